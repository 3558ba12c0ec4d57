"""The scale check: the posterior's supply scaled with the parameters it trades with (`fentflow validate scale`)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fentflow.calibrate.executor import open_executor
from fentflow.calibrate.posterior import load_default_posterior
from fentflow.calibrate.priors import fitted_parameters
from fentflow.calibrate.scale_check import PARTNERS, outside_priors, scale_between, scale_check, scaled
from fentflow.cli import app
from fentflow.errors import InputError


@pytest.fixture(scope="module")
def posterior() -> pd.DataFrame:
    return load_default_posterior()


def test_scaling_moves_the_partners_only_by_the_factor_or_its_inverse(posterior):
    twice = scaled(posterior, 2.0)
    for name in posterior.columns:
        expected = posterior[name] * 2.0 ** PARTNERS.get(name, 0)
        np.testing.assert_array_equal(twice[name].to_numpy(), expected.to_numpy(), err_msg=name)
    assert {name for name, power in PARTNERS.items() if power == 1} == {"supply_kg_week_2023",
                                                                       "need_mg_per_user_week"}
    pd.testing.assert_frame_equal(scaled(posterior, 1.0), posterior)


@pytest.mark.parametrize("factor", [0.0, -1.0, float("nan"), float("inf")])
def test_a_factor_must_be_a_positive_number(posterior, factor):
    with pytest.raises(InputError, match="positive") as error:
        scaled(posterior, factor)
    assert error.value.field == "--factor"


def test_a_posterior_without_a_partner_is_refused(posterior):
    with pytest.raises(InputError, match="domestic_seizure_rate"):
        scaled(posterior.drop(columns="domestic_seizure_rate"), 2.0)


def test_a_posterior_scaled_by_k_sits_at_k_on_the_line(posterior):
    assert scale_between(scaled(posterior, 2.0), posterior) == pytest.approx(2.0, rel=1e-12)
    assert scale_between(posterior, posterior) == 1.0
    # one partner moved alone moves the scale by its power's share of the seven
    moved = posterior.assign(poe_detection_2023=posterior["poe_detection_2023"] * np.exp(7 * 0.1))
    assert scale_between(moved, posterior) == pytest.approx(np.exp(-0.1))


def test_outside_priors_counts_draws_beyond_either_bound():
    fitted = fitted_parameters(["supply_kg_week_2023", "domestic_seizure_rate", "overdose_hazard"])
    (supply_low, supply_high), (rate_low, rate_high) = (p.natural_bounds for p in fitted[:2])
    draws = pd.DataFrame({"supply_kg_week_2023": [supply_low, supply_high, supply_high * 1.01, 200.0],
                          "domestic_seizure_rate": [rate_low, rate_high, 0.1, rate_low * 0.99],
                          "overdose_hazard": [1.0, 1.0, 1.0, 1.0]})     # not a partner: never counted
    shares = outside_priors(draws, fitted)
    assert shares == {"outside_priors": 0.5, "outside_supply_kg_week_2023": 0.25,
                      "outside_domestic_seizure_rate": 0.25}


def test_a_larger_supply_fits_as_well_and_gives_a_smaller_share(posterior):
    with open_executor(0, None) as executor:
        table = scale_check(posterior, (1.0, 2.0), draws=6, seed=0, executor=executor)
    one, two = table.iloc[0], table.iloc[1]
    assert list(table["factor"]) == [1.0, 2.0]
    assert one["outside_priors"] == 0.0
    # the share seized halves, about, while the distance to the data barely moves (docs/validation.md)
    assert 0.35 < two["share_2022_median"] / one["share_2022_median"] < 0.7
    assert abs(two["distance_median"] - one["distance_median"]) < 0.25 * one["distance_median"]
    assert 0.0 < one["coverage_90"] <= 1.0 and np.isfinite(one["male_cdc_synthetic_deaths"])


def test_the_command_writes_its_table(tmp_path):
    result = CliRunner().invoke(app, ["validate", "scale", "--factor", "1", "--factor", "0.5", "--draws", "3",
                                      "--workers", "0", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "scale.csv")
    assert list(table["factor"]) == [1.0, 0.5]
    assert {"distance_median", "share_2022_median", "outside_need_mg_per_user_week", "consumed_2021_t_median",
            "rand_2021_below_bound"} <= set(table.columns)
