"""`group_sums`: the observables' sums straight from the result arrays (`sim/period_sums.py`).

Checked against the long table they replace (a row per period, replicate, place and month,
summed with pandas): the same groups in the same order with the same key types, and sums equal
to within a rounding. A replicate's sums are its own, bit for bit, whatever ran beside it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fentflow as ff
from fentflow.sim.observables import COMPONENT, aggregate, cdc_deaths, cbp_sw_unit, sesnsp_homicides
from fentflow.sim.period_sums import group_sums, period_rows


@pytest.fixture(scope="module")
def weekly():
    """Weekly results whose first and last weeks straddle months and years (flows split over them)."""
    sim = ff.Sim(parameters="defaults", replicates=2, start="2018-11-14", end="2020-02-11", seed=4)
    sim.run()
    return sim


@pytest.fixture(scope="module")
def monthly():
    sim = ff.Sim(parameters="defaults", replicates=3, start="2019-01-01", end="2020-12-31", seed=4,
                 resolution="month")
    sim.run()
    return sim


def long_table_sums(results, names, period_keys, place_keys=None, last_period_only=False) -> pd.DataFrame:
    """The reference: a row per period, replicate, place and month (a week's flow split by its days), summed
    with pandas; for stocks with `last_period_only`, the rows of each period group's last period."""
    places = results.quantities[names[0]].places
    frame = pd.DataFrame({
        "period": np.repeat(np.arange(results.n_periods), results.n_reps * len(places)),
        "replicate": np.tile(np.repeat(np.arange(results.n_reps), len(places)), results.n_periods),
        "place_index": np.tile(np.arange(len(places)), results.n_periods * results.n_reps),
        **{name: results[name].reshape(-1) for name in names}})
    frame = frame.merge(period_rows(results, results.quantities[names[0]].kind == "flow"), on="period")
    frame[list(names)] = frame[list(names)].mul(frame.pop("share"), axis=0)
    if last_period_only:
        frame = frame[frame["period"] == frame.groupby(list(period_keys))["period"].transform("max")]
    for key, values in (place_keys or {}).items():
        frame[key] = pd.Series(values).to_numpy()[frame["place_index"].to_numpy()]
    keys = ["replicate", *period_keys, *(place_keys or {})]
    return frame.groupby(keys, as_index=False)[list(names)].sum()


def assert_same_table(got: pd.DataFrame, want: pd.DataFrame, names) -> None:
    keys = [c for c in want.columns if c not in names]
    pd.testing.assert_frame_equal(got[keys], want[keys], check_exact=True)
    np.testing.assert_allclose(got[list(names)].to_numpy(), want[list(names)].to_numpy(), rtol=1e-13, atol=0)


@pytest.mark.parametrize("period_keys", [["year"], ["fy"], ["fy", "year", "month"]])
def test_crossing_sums_match_the_long_table(weekly, period_keys):
    net, names = weekly.net, ["seized_gross_kg", "seizure_events"]
    place_keys = {"unit": net.crossing_unit, "component": [COMPONENT[bool(p)] for p in net.crossing_is_port]}
    got = group_sums(weekly.results, names, period_keys, place_keys)
    assert_same_table(got, long_table_sums(weekly.results, names, period_keys, place_keys), names)


@pytest.mark.parametrize("resolution", ["weekly", "monthly"])
def test_sums_without_place_keys_and_by_state_match_the_long_table(resolution, request):
    results = request.getfixturevalue(resolution).results
    assert_same_table(group_sums(results, ["deaths"], ["year"]), long_table_sums(results, ["deaths"], ["year"]),
                      ["deaths"])
    states = {"abbr": results.quantities["homicides"].places}
    assert_same_table(group_sums(results, ["homicides"], ["year", "month"], states),
                      long_table_sums(results, ["homicides"], ["year", "month"], states), ["homicides"])


@pytest.mark.parametrize("period_keys", [["year"], ["year", "month"]])
def test_stocks_at_each_period_end_match_the_long_table(weekly, period_keys):
    results = weekly.results
    sites = {"site": results.quantities["site_stock_kg"].places}
    for place_keys in (sites, None):
        got = group_sums(results, ["site_stock_kg"], period_keys, place_keys, last_period_only=True)
        want = long_table_sums(results, ["site_stock_kg"], period_keys, place_keys, last_period_only=True)
        assert_same_table(got, want, ["site_stock_kg"])


def test_a_replicates_sums_are_its_own_bit_for_bit():
    """Replicate 1 summed in a batch of three, and alone: the same tables, to the last bit."""
    span = dict(parameters="defaults", start="2019-06-01", end="2020-12-31", seed=9)
    batch, alone = ff.Sim(replicates=3, **span), ff.Sim(replicate_ids=[1], **span)
    batch.run(), alone.run()
    for table in (cdc_deaths, sesnsp_homicides):
        pd.testing.assert_frame_equal(table(batch.results).query("replicate == 1").reset_index(drop=True),
                                      table(alone.results).assign(replicate=1), check_exact=True)
    pd.testing.assert_frame_equal(cbp_sw_unit(batch.results, batch.net).query("replicate == 1").reset_index(drop=True),
                                  cbp_sw_unit(alone.results, alone.net).assign(replicate=1), check_exact=True)


def test_aggregate_keeps_its_columns(weekly):
    table = aggregate(weekly.results, "homicides", "month")
    assert list(table.columns) == ["replicate", "year", "month", "partial", "state", "homicides"]
    assert table["state"].dtype == pd.Series(["x"]).dtype


def test_a_table_of_flows_and_stocks_or_of_different_places_is_refused(weekly):
    with pytest.raises(ValueError, match="mix of flows and stocks"):
        group_sums(weekly.results, ["deaths", "people_in_treatment"], ["year"])
    with pytest.raises(ValueError, match="different places"):
        group_sums(weekly.results, ["deaths", "homicides"], ["year"])
