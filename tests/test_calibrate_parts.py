"""Calibration pieces with known values: seeds, priors, summary statistics, distance, kernel, executor."""
import math

import numpy as np
import pandas as pd
import pytest

from fentflow.calibrate.budget import BUDGETS, get_budget
from fentflow.calibrate.distance import distance_of
from fentflow.calibrate.executor import Executor
from fentflow.calibrate.priors import FITTED, fitted_parameters, natural_columns, pyabc_prior, sample_prior
from fentflow.calibrate.seeds import derive_seed
from fentflow.calibrate.statistics import GROUP_BY_NAME, TargetSet, group_of
from fentflow.calibrate.transition import BUCKETS, IndependentTransition, bucket_starts, chosen
from fentflow.errors import InputError
from fentflow.sim.pars import PAR_BY_NAME, Pars


def test_seeds_are_pure_functions_of_master_purpose_and_indices():
    assert derive_seed(1, "simulate", 2, 3) == derive_seed(1, "simulate", 2, 3)
    seeds = {derive_seed(1, "simulate", t, k) for t in range(5) for k in range(20)}
    assert len(seeds) == 100
    assert derive_seed(1, "simulate", 0) != derive_seed(1, "propose", 0) != derive_seed(2, "simulate", 0)
    assert all(0 <= s < 2 ** 31 for s in seeds)


def test_at_least_eight_parameters_are_fitted_with_their_declared_priors():
    fitted = fitted_parameters()
    assert len(fitted) >= 8
    for p in fitted:
        kind, low, high = PAR_BY_NAME[p.name].prior
        assert p.log_scale == (kind == "loguniform")
        assert p.natural_bounds == pytest.approx((low, high))


def test_a_fixed_prior_cannot_be_calibrated():
    with pytest.raises(InputError, match="fixed"):
        fitted_parameters(("pill_mass_mg",))


def test_prior_draws_lie_inside_the_prior_and_are_valid_simulator_parameters():
    fitted = fitted_parameters()
    draws = sample_prior(fitted, 200, np.random.default_rng(0))
    Pars(draws)      # within the simulator's bounds
    for p in fitted:
        low, high = p.natural_bounds
        assert ((draws[p.name] >= low) & (draws[p.name] <= high)).all()
    hazard = np.log10(draws["overdose_hazard"])      # loguniform: uniform in log10
    assert abs(hazard.mean() - (-3.5)) < 0.1


def test_pyabc_prior_is_on_the_fitting_scale_and_converts_back():
    fitted = fitted_parameters(("overdose_hazard", "poe_detection_2023"))
    prior = pyabc_prior(fitted)
    theta = {"log10_overdose_hazard": -3.0, "poe_detection_2023": 0.1}
    assert prior.pdf(theta) > 0
    assert prior.pdf({"log10_overdose_hazard": -5.0, "poe_detection_2023": 0.1}) == 0
    columns = natural_columns(fitted, [theta])
    assert columns["overdose_hazard"][0] == pytest.approx(1e-3)
    assert columns["poe_detection_2023"][0] == 0.1


@pytest.fixture(scope="module")
def targets():
    return TargetSet()


def test_observed_statistics_have_known_values(targets):
    observed = targets.observed
    assert observed["cbp_lb:FY2019:port"] == pytest.approx(math.log(2408 + 1))
    assert observed["cbp_lb:FY2023:between"] == pytest.approx(math.log(2791 + 1))
    assert observed["cbp_lb_per_event:FY2019:port"] == pytest.approx(math.log(2409 / 322))   # per FY: the load
    assert observed["cbp_lb_per_event:FY2023:port"] == pytest.approx(math.log(23928 / 945))  # size's trend
    assert observed["cdc_deaths:2021:all"] == pytest.approx(math.log(70601 + 1))
    assert observed["dea_share_2mg:2022:all"] == pytest.approx(0.6)
    assert "dea_share_2mg:2017:all" not in observed          # the target window starts in 2019
    assert "dea_seizures:pills:2021:all" not in observed       # 2021 is a bound only
    port_split = [v for k, v in observed.items() if k.startswith("cbp_port_split:")]
    assert sum(port_split) == pytest.approx(1.0) and len(port_split) == 4


def test_each_group_weighs_its_weight_over_its_scale(targets):
    weights = pd.Series(targets.weights)
    by_group = weights.groupby([group_of(name) for name in weights.index]).sum()
    for group, total in by_group.items():
        assert total == pytest.approx(GROUP_BY_NAME[group].weight / GROUP_BY_NAME[group].scale)


def test_data_end_keeps_only_periods_through_that_year():
    through_2021 = TargetSet(end="2021-12-31", data_end=2021)
    names = list(through_2021.observed)
    assert names and not any("2022" in name or "2023" in name for name in names)
    assert not any(name.startswith("dea_seizures") for name in names)
    assert {"sesnsp_states:2016:SIN", "sesnsp_states:2021:ZAC"} <= set(names)   # homicides by state from 2016


def test_sesnsp_statistics_fit_each_state_after_the_baseline_year(targets):
    observed = targets.observed
    assert observed["sesnsp_states:2022:COL"] == pytest.approx(math.log(868 + 1))
    assert observed["sesnsp_total:2016"] == pytest.approx(math.log(22541 + 1))
    assert not any(name.split(":")[1] == "2015" for name in observed if name.startswith("sesnsp"))   # the baseline
    spread = [v for k, v in observed.items() if k.startswith("sesnsp_spread:")]
    assert len(spread) == 8 and all(0.3 < v < 0.9 for v in spread)   # sd over states of ln(victims / 2015's)


def test_observed_data_are_at_distance_zero_and_a_factor_two_costs_the_group_weight(targets):
    observed = targets.observed
    assert distance_of(targets, observed) == 0
    doubled = {k: v + (math.log(2) if k.startswith("cdc_deaths") else 0) for k, v in observed.items()}
    assert distance_of(targets, doubled) == pytest.approx(GROUP_BY_NAME["cdc_deaths"].weight, rel=1e-3)


def test_simulated_statistics_match_the_observed_ones_in_name(world):
    from fentflow.calibrate.batch import Chunk, chunk_statistics

    targets = TargetSet(start="2019-01-01", end="2021-12-31", data_end=2021)
    stats = chunk_statistics(Chunk(params={"supply_kg_week_2023": np.array([150.0, 250.0])}, seed=1,
                                   targets=targets))
    assert len(stats) == 2
    assert list(stats[0]) == list(targets.observed)
    assert all(math.isfinite(v) for row in stats for v in row.values())
    assert stats[1]["cbp_lb:FY2021:port"] > stats[0]["cbp_lb:FY2021:port"]   # more supply, more seized


def test_the_calibrations_tables_are_the_observables_own(world):
    """`fitted_observables` (what a calibration chunk computes) builds the crossings' long table once;
    its tables are those `all_observables` gives, and the statistics need no other."""
    import fentflow as ff
    from fentflow.sim.observables import all_observables, fitted_observables

    sim = ff.Sim(world, parameters="defaults", replicates=2, seed=3, start="2019-01-01", end="2021-12-31",
                 resolution="month")
    sim.run()
    fitted, every = fitted_observables(sim.results, sim.net), all_observables(sim.results, sim.net)
    for name, table in fitted.items():
        pd.testing.assert_frame_equal(table, every[name], check_exact=True)
    targets = TargetSet(start="2019-01-01", end="2021-12-31", data_end=2021)
    assert list(targets.simulated(fitted).columns) == list(targets.observed)


def test_budgets_grow_and_an_unknown_budget_is_an_input_error():
    assert BUDGETS["tiny"].max_simulations < BUDGETS["small"].max_simulations < BUDGETS["default"].max_simulations
    with pytest.raises(InputError, match="budget"):
        get_budget("huge")


def test_the_independent_kernel_draws_a_whole_batch_with_the_population_variance():
    rng = np.random.default_rng(0)
    population = pd.DataFrame({"a": rng.normal(0, 1, 400), "b": rng.normal(5, 2, 400)})
    transition = IndependentTransition(["a", "b"])
    transition.fit(population, np.full(400, 1 / 400))
    np.random.seed(0)
    draws = transition.rvs(size=20_000)
    assert list(draws.columns) == ["a", "b"]
    assert draws["b"].std() == pytest.approx(2 * math.sqrt(2), rel=0.05)   # population var + kernel var
    assert transition.pdf(draws.iloc[:5]).shape == (5,)


def test_the_independent_kernel_draws_what_pyabcs_kernels_draw_bit_for_bit():
    rng = np.random.default_rng(1)
    population = pd.DataFrame({"a": rng.normal(0, 1, 50), "b": rng.uniform(0, 3, 50), "c": rng.normal(9, 4, 50)})
    weights = rng.dirichlet(np.ones(50))
    transition = IndependentTransition(["a", "b", "c"])
    transition.fit(population, weights)
    np.random.seed(3)
    pyabcs = pd.concat([kernel.rvs(size=300).reset_index(drop=True) for kernel in transition.mapping.values()],
                       axis=1)
    next_after_pyabcs = np.random.random()
    np.random.seed(3)
    ours = transition.rvs(size=300)
    pd.testing.assert_frame_equal(ours, pyabcs, check_exact=True)
    assert np.random.random() == next_after_pyabcs          # the generator is left where pyABC leaves it


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_draws_stay_pyabcs_with_zero_weights_and_any_batch_size(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 600))
    population = pd.DataFrame({"a": rng.normal(0, 1, n), "b": rng.lognormal(0, 2, n)})
    weights = rng.dirichlet(np.ones(n)) * (rng.random(n) < 0.7)       # some particles carry no weight
    weights[0] += 1e-3
    transition = IndependentTransition(["a", "b"])
    transition.fit(population, weights / weights.sum())
    for size in (1, 7, 100, 1_000):
        np.random.seed(seed + size)
        pyabcs = np.column_stack([kernel.rvs(size=size).to_numpy()[:, 0] for kernel in transition.mapping.values()])
        np.random.seed(seed + size)
        ours = transition.draw(size)
        assert ours.tobytes() == pyabcs.tobytes()


def test_the_bucket_lookup_counts_what_searchsorted_counts():
    rng = np.random.default_rng(4)
    weights = rng.random(300) * (rng.random(300) < 0.5)                   # runs of equal cumulative sums
    weights[-1] = 0.0
    weights[5] = 1.0
    cumulative = np.cumsum(weights)
    cumulative /= cumulative[-1]
    bucket_start = bucket_starts(cumulative)
    edges = np.concatenate([[0.0, np.nextafter(1.0, 0.0)], cumulative[:-1], np.nextafter(cumulative[:-1], 0.0),
                            np.arange(BUCKETS) / BUCKETS, rng.random(10_000)])
    edges = edges[edges < 1.0]                  # uniforms: numpy's random_sample lies in [0, 1)
    found = [chosen(cumulative, bucket_start, u) for u in edges]
    assert found == cumulative.searchsorted(edges, side="right").tolist()


def test_the_box_prior_gives_pyabcs_densities_bit_for_bit():
    import pyabc

    fitted = fitted_parameters()
    prior = pyabc_prior(fitted)
    reference = pyabc.Distribution(**{p.fit_name: pyabc.RV("uniform", p.low, p.high - p.low) for p in fitted})
    rng = np.random.default_rng(7)
    lows, highs = np.array([p.low for p in fitted]), np.array([p.high for p in fitted])
    points = [rng.uniform(lows, highs) for _ in range(200)]
    points += [lows, highs, np.nextafter(highs, np.inf), np.nextafter(lows, -np.inf)]
    points += [np.where(rng.random(len(fitted)) < 0.5, lows, highs) for _ in range(20)]
    for point in points:
        theta = pyabc.Parameter({p.fit_name: float(v) for p, v in zip(fitted, point)})
        assert float(prior.pdf(theta)).hex() == float(reference.pdf(theta)).hex()
    assert math.isnan(prior.pdf(pyabc.Parameter({p.fit_name: math.nan for p in fitted})))
    assert prior.copy().pdf(theta) == prior.pdf(theta)


def test_the_executor_keeps_order_and_stops_when_asked():
    seen = []

    def tasks():
        for i in range(100):
            seen.append(i)
            yield i

    results = Executor(None).ordered(lambda i: i * i, tasks())
    assert [next(results) for _ in range(3)] == [0, 1, 4]
    results.close()
    assert seen == [0, 1, 2]
