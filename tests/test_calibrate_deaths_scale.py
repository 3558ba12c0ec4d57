"""The deaths scale: each particle's overdose hazard is the one that fits its deaths best, found exactly."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fentflow.calibrate.deaths_scale import DeathsScale
from fentflow.calibrate.distance import Distance, distance_of
from fentflow.calibrate.priors import fitted_parameters
from fentflow.calibrate.statistics import GROUP_BY_NAME, TargetSet

FITTED = fitted_parameters(("overdose_hazard", "supply_kg_week_2023"))
HAZARD = FITTED[0]                      # log10 scale, prior 1e-4 .. 1e-3


@pytest.fixture(scope="module")
def targets():
    return TargetSet()


def _distance(targets, fitted) -> Distance:
    distance = Distance(targets, fitted)
    distance.initialize(t=0, get_sample=lambda: None, x_0=targets.observed, total_sims=0)   # as pyABC does
    return distance


def _deaths_times(observed: dict, factors) -> dict:
    """The observed statistics with each year's deaths multiplied by its factor."""
    years = iter(factors)
    return {name: value + (math.log(next(years)) if name.startswith("cdc_deaths") else 0.0)
            for name, value in observed.items()}


def test_the_best_shift_is_minus_the_median_miss_within_the_prior():
    scale = DeathsScale(HAZARD, ("cdc_deaths:a", "cdc_deaths:b", "cdc_deaths:c"))
    misses = np.array([[0.1, 0.5, 0.3], [-2.0, -2.0, -2.0], [3.0, 3.0, 3.0]])
    hazard = np.array([3e-4, 3e-4, 3e-4])
    shifts = scale.shifts(misses, hazard)
    assert shifts[0] == pytest.approx(-0.3)
    assert shifts[1] == pytest.approx(math.log(1e-3 / 3e-4))   # deaths 7x too low: the hazard stops at its bound
    assert shifts[2] == pytest.approx(math.log(1e-4 / 3e-4))


def test_deaths_at_any_level_the_hazard_can_reach_cost_nothing_and_their_shape_still_counts(targets):
    observed = targets.observed
    distance = _distance(targets, FITTED)
    par = {HAZARD.fit_name: math.log10(3e-4), "supply_kg_week_2023": 200.0}
    n_years = sum(name.startswith("cdc_deaths") for name in observed)
    assert distance(_deaths_times(observed, [2.0] * n_years), observed, 0, par) == pytest.approx(0, abs=1e-9)
    assert distance(_deaths_times(observed, [0.5] * n_years), observed, 0, par) == pytest.approx(0, abs=1e-9)
    # 10x too many deaths, at a hazard of 3e-4: it can fall to 1e-4 only, so a factor 10/3 remains
    assert distance(_deaths_times(observed, [10.0] * n_years), observed, 0, par) == pytest.approx(
        GROUP_BY_NAME["cdc_deaths"].weight * math.log(10 / 3) / GROUP_BY_NAME["cdc_deaths"].scale, rel=1e-6)
    # a shape no hazard fixes: the first half of the years doubled, the rest as observed
    shape = [2.0] * (n_years // 2) + [1.0] * (n_years - n_years // 2)
    assert distance(_deaths_times(observed, shape), observed, 0, par) > 0.1
    assert distance_of(targets, _deaths_times(observed, shape), fitted=FITTED, par=par) == pytest.approx(
        distance(_deaths_times(observed, shape), observed, 0, par))


def test_without_the_hazard_among_the_fitted_the_distance_is_the_plain_one(targets):
    observed = targets.observed
    doubled = _deaths_times(observed, [2.0] * 20)
    plain = _distance(targets, fitted_parameters(("supply_kg_week_2023",)))
    assert plain(doubled, observed, 0, {"supply_kg_week_2023": 200.0}) == pytest.approx(distance_of(targets, doubled))


def test_the_posterior_holds_the_rescaled_hazard_and_its_deaths(targets):
    observed = targets.observed
    names = list(targets.weights)
    deaths = [name for name in names if name.startswith("cdc_deaths")]
    statistics = pd.DataFrame([_deaths_times(observed, [1.5] * len(deaths)),
                               _deaths_times(observed, [0.8] * len(deaths))])[names]
    theta = pd.DataFrame({HAZARD.fit_name: np.log10([2e-4, 5e-4]), "supply_kg_week_2023": [150.0, 250.0]})
    scale = DeathsScale.of(FITTED, names)
    moved, rescaled = scale.rescaled(theta, statistics, observed)
    assert 10 ** moved[HAZARD.fit_name].to_numpy() == pytest.approx([2e-4 / 1.5, 5e-4 / 0.8])
    assert moved["supply_kg_week_2023"].tolist() == [150.0, 250.0]
    assert rescaled[deaths].to_numpy() == pytest.approx(np.tile([observed[name] for name in deaths], (2, 1)))
    others = [name for name in names if name not in deaths]
    assert rescaled[others].equals(statistics[others])


def test_a_rerun_at_the_rescaled_hazard_fits_its_deaths_as_predicted(targets):
    """What the method rests on: deaths are proportional to the hazard and nothing else moves with it."""
    from fentflow.calibrate.batch import Chunk, chunk_statistics

    short = TargetSet(start="2019-01-01", end="2021-12-31", data_end=2021)
    names = list(short.weights)
    deaths = [name for name in names if name.startswith("cdc_deaths")]
    hazard = np.array([2e-4, 6e-4])

    def statistics(values):
        return pd.DataFrame(chunk_statistics(Chunk(params={"overdose_hazard": values}, seed=4, targets=short)))

    before = statistics(hazard)
    moved, predicted = DeathsScale.of(FITTED, names).rescaled(
        pd.DataFrame({HAZARD.fit_name: np.log10(hazard)}), before, short.observed)
    after = statistics(10 ** moved[HAZARD.fit_name].to_numpy())
    assert np.abs(after[deaths] - predicted[deaths]).to_numpy().max() < 0.02      # Poisson noise only
    others = [name for name in names if name not in deaths]
    pd.testing.assert_frame_equal(after[others], before[others])


def test_the_refit_finds_the_hazard_and_lethal_term_that_made_the_deaths():
    """Deaths built as hazard x (base + lethal x extra): the refit recovers both from two runs."""
    from fentflow.calibrate.deaths_scale import refit

    names = [f"cdc_deaths:{year}:all" for year in range(2015, 2024)]
    fitted = fitted_parameters(("overdose_hazard", "lethal_pill_hazard", "supply_kg_week_2023"))
    base = np.linspace(1.2e8, 2.7e8, 9)                  # deaths per unit hazard, no lethal term
    extra = np.r_[np.zeros(4), np.linspace(3e7, 1.8e8, 5)]   # per unit of the lethal term: from 2019
    truth_hazard, truth_lethal = 3e-4, 2.5
    observed = {name: math.log(truth_hazard * (b + truth_lethal * e) + 1) for name, b, e in zip(names, base, extra)}
    posterior = pd.DataFrame({"overdose_hazard": [1e-4, 8e-4], "lethal_pill_hazard": [0.0, 9.0],
                              "supply_kg_week_2023": [150.0, 300.0], "weight": [0.5, 0.5]})

    def simulate(values):
        deaths = values["overdose_hazard"][:, None] * (base + values["lethal_pill_hazard"][:, None] * extra)
        return pd.DataFrame(np.log(deaths + 1), columns=names)

    fitted_posterior = refit(posterior, fitted, simulate, observed, names)
    assert fitted_posterior["overdose_hazard"].to_numpy() == pytest.approx([truth_hazard] * 2, rel=1e-3)
    assert fitted_posterior["lethal_pill_hazard"].to_numpy() == pytest.approx([truth_lethal] * 2)
    assert fitted_posterior["supply_kg_week_2023"].tolist() == [150.0, 300.0]


def test_the_refit_keeps_both_inside_their_priors():
    from fentflow.calibrate.deaths_scale import refit

    names = [f"cdc_deaths:{year}:all" for year in range(2019, 2024)]
    fitted = fitted_parameters(("overdose_hazard", "lethal_pill_hazard"))
    observed = {name: math.log(1e7) for name in names}          # far more deaths than any pair can make

    def simulate(values):
        return pd.DataFrame(np.log(values["overdose_hazard"][:, None] * (1e8 + values["lethal_pill_hazard"][:, None]
                                                                         * 1e7 * np.ones(5)) + 1), columns=names)

    out = refit(pd.DataFrame({"overdose_hazard": [2e-4], "lethal_pill_hazard": [1.0]}), fitted, simulate, observed,
                names)
    assert out["overdose_hazard"].item() == pytest.approx(1e-3) and out["lethal_pill_hazard"].item() == 10.0
