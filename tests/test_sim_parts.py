"""Unit tests of the simulator's building blocks: parameters, calendar, streams, the road, ledger, curves."""
import numpy as np
import pytest

from fentflow.errors import InputError, LedgerError
from fentflow.sim.calendar import Calendar
from fentflow.sim.cargo import N_CARGO, PILL_LOADS, PILL_PURE
from fentflow.sim.curves import log_path, logit_path, segmented_growth
from fentflow.sim.ledger import Ledger, first_broken
from fentflow.sim.modules.precursors import rates_after_the_data
from fentflow.sim.road import new_road, set_off, take_off
from fentflow.sim.pars import PARAMETERS, Pars
from fentflow.sim.results import FLOW, STOCK, Results, rows
from fentflow.sim.rng import Streams
from fentflow import units


# Parameters ------------------------------------------------------------------------
def test_every_parameter_declares_unit_bounds_prior_and_source():
    for par in PARAMETERS:
        lo, hi = par.bounds
        assert lo <= par.default <= hi, par.name
        assert par.unit and par.source and par.doc, par.name
        assert par.prior[0] in ("uniform", "loguniform", "fixed"), par.name
        if par.prior[0] != "fixed":
            assert lo <= par.prior[1] < par.prior[2] <= hi, par.name


def test_unknown_parameter_is_rejected_with_its_name():
    with pytest.raises(InputError, match="field 'supply_kg_wek'"):
        Pars({"supply_kg_wek": 3})


def test_out_of_bounds_value_is_rejected():
    with pytest.raises(InputError, match="poe_detection_2023.*outside its bounds"):
        Pars({"poe_detection_2023": 1.5})


def test_batch_of_parameters_gives_one_column_per_replicate():
    pars = Pars({"raids_per_year": [1.0, 2.0, 3.0]})
    assert pars.n_reps == 3
    assert pars["raids_per_year"].tolist() == [1.0, 2.0, 3.0]
    assert pars["supply_growth_to_2019"].shape == (3,)
    assert pars.replicate(1)["raids_per_year"] == 2.0


def test_batch_sizes_must_agree():
    with pytest.raises(InputError, match="disagree"):
        Pars({"raids_per_year": [1.0, 2.0], "supply_growth_to_2019": [0.3, 0.4, 0.5]})


# Units -----------------------------------------------------------------------------
def test_unit_constants_are_exact():
    assert units.lb_to_kg(1.0) == 0.45359237
    assert units.kg_to_lb(units.lb_to_kg(13000.0)) == pytest.approx(13000.0, rel=1e-15)
    assert units.DOSES_PER_PURE_KG == 500_000  # DEA: 1 kg of pure fentanyl = 500,000 doses of 2 mg


# Calendar --------------------------------------------------------------------------
def test_default_span_is_weekly_2015_to_2030():
    cal = Calendar.between()
    assert cal.year[0] == 2015 and cal.year[-1] == 2030
    assert cal.n_weeks in (834, 835)
    assert (np.diff(cal.week_start.to_numpy()) == np.timedelta64(7, 'D')).all()


def test_fiscal_year_starts_in_october():
    cal = Calendar.between("2022-09-20", "2022-10-20")
    assert list(zip(cal.month, cal.fiscal_year)) [0] == (9, 2022)
    assert (cal.fiscal_year[cal.month == 10] == 2023).all()


def test_every_week_falls_in_the_month_of_its_thursday():
    cal = Calendar.between("2020-01-01", "2020-12-31")
    assert (cal.thursday.month == cal.month).all()
    assert (cal.year == 2020).all()


def test_bad_dates_are_input_errors():
    with pytest.raises(InputError, match="field 'start'"):
        Calendar.between("not-a-date", "2020-01-01")
    with pytest.raises(InputError, match="before start"):
        Calendar.between("2021-01-01", "2020-01-01")


# Random streams --------------------------------------------------------------------
def test_streams_are_keyed_by_seed_decision_and_global_replicate():
    keys = Streams(7, [0, 5, 9]).keys("inspection")
    assert keys.shape == (3, 2) and keys.dtype == np.uint64
    np.testing.assert_array_equal(Streams(7, [9]).keys("inspection")[0], keys[2])   # position in the batch is no key
    assert len({tuple(k) for k in keys}) == 3
    assert not np.array_equal(Streams(8, [0, 5, 9]).keys("inspection"), keys)
    assert not np.array_equal(Streams(7, [0, 5, 9]).keys("route"), keys)
    first = Streams(7, [3, 4]).generator("census", 1).random(3)
    assert np.array_equal(first, Streams(7, [4]).generator("census", 0).random(3))


# The road to the border ------------------------------------------------------------
def test_the_road_delivers_each_routes_cargo_after_its_travel_time():
    """Two routes to crossing 0 (travel 0 and 2 weeks) and one to crossing 1: what sets off in week w
    arrives in w + 1 + travel, by crossing and by route; pure kg in transit is kept per replicate."""
    road = new_road(2, 2, travel_weeks=np.array([0, 2, 1]), route_crossing=np.array([0, 0, 1]))
    assert road.cargo.shape[0] == 4                      # this week and up to 3 ahead: it never grows
    leaving = np.zeros((2, 3, N_CARGO))
    leaving[:, :, PILL_PURE] = [[1.0, 2.0, 4.0], [0.0, 8.0, 0.0]]
    leaving[:, :, PILL_LOADS] = 1.0
    set_off(road, 5, leaving)
    assert road.pure_in_transit.tolist() == [7.0, 8.0]
    arrivals = {week: _take_off(road, week) for week in (5, 6, 7, 8)}
    assert arrivals[5][0][:, :, PILL_PURE].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert arrivals[6][0][:, :, PILL_PURE].tolist() == [[1.0, 0.0], [0.0, 0.0]]
    assert arrivals[7][0][:, :, PILL_PURE].tolist() == [[0.0, 4.0], [0.0, 0.0]]
    assert arrivals[8][0][:, :, PILL_PURE].tolist() == [[2.0, 0.0], [8.0, 0.0]]
    assert arrivals[8][0][:, 0, PILL_LOADS].tolist() == [1.0, 1.0]
    assert arrivals[8][1].tolist() == [[0.0, 2.0, 0.0], [0.0, 8.0, 0.0]]     # by route: whose it is
    assert road.pure_in_transit.tolist() == [0.0, 0.0] and not road.cargo.any()


def _take_off(road, week):
    arriving, by_route = np.zeros((2, 2, N_CARGO)), np.zeros((2, 3))
    take_off(road, week, arriving, by_route)
    return arriving, by_route


# Ledger ----------------------------------------------------------------------------
def test_ledger_closes_and_reports_a_breach_with_its_week():
    ledger = Ledger(2)
    stock, none = np.array([3.0, 3.0]), np.zeros(2)
    ledger.enter(np.array([10.0, 10.0]))
    ledger.book("seized", np.array([2.0, 2.0]))
    ledger.book("consumed", np.array([5.0, 5.0]))
    assert first_broken(ledger.arrays, stock, none, none) == -1
    stock[1] = 2.0
    assert first_broken(ledger.arrays, stock, none, none) == 1
    with pytest.raises(LedgerError, match="week 4 .*replicate 12.*gap 1.*site stock 2"):
        ledger.fail(4, "2015-02-02", 1, 12, {"site stock": stock})


# Curves ----------------------------------------------------------------------------
def test_paths_hit_their_anchors_and_hold_outside():
    assert log_path(2010, 2017.5, 1.2, 2023.5, 2.4) == pytest.approx(1.2)
    assert log_path(2023.5, 2017.5, 1.2, 2023.5, 2.4) == pytest.approx(2.4)
    assert log_path(2020.5, 2017.5, 1.2, 2023.5, 2.4) == pytest.approx(np.sqrt(1.2 * 2.4))
    assert logit_path(2030, 2017.5, 0.1, 2023.5, 0.5) == pytest.approx(0.5)
    assert 0.1 < logit_path(2020, 2017.5, 0.1, 2023.5, 0.5) < 0.5


# Results ---------------------------------------------------------------------------
def test_python_records_split_a_flow_over_its_months_and_set_a_stock():
    results = Results(Calendar.between("2020-01-20", "2020-02-20"), n_reps=2, resolution="month")
    results.declare("flow", "kg", "flow", "national")
    results.declare("stock", "kg", "stock", "national")
    week = 1                                  # 2020-01-27 to 2020-02-02: 5 days in January, 2 in February
    results.record("flow", week, [7.0, 14.0])
    results.record("stock", week, [3.0, 4.0])
    np.testing.assert_allclose(results["flow"][:, :, 0], [[5.0, 10.0], [2.0, 4.0]])
    assert results["stock"][:, :, 0].tolist() == [[3.0, 4.0], [0.0, 0.0]]   # its Thursday, Jan 30, is in January


def test_a_block_holds_its_quantities_as_rows_each_readable_by_name():
    results = Results(Calendar.between("2020-01-06", "2020-01-26"), n_reps=2)
    declared = {"seized": ("kg", FLOW, "seized"), "stock": ("kg", STOCK, "held")}
    block = results.declare_block("crossing", ("a", "b", "c"), declared)
    assert block.shape == (2, 3, 2, 3) and rows(declared, "stock", "seized") == (1, 0)
    block[1, 2, 0, 1] = 4.0                   # what a kernel writes to row 1 ...
    assert results["stock"][2, 0, 1] == 4.0   # ... is the quantity's array
    results.record("seized", 0, np.ones((2, 3)))
    assert block[0, 0].sum() == 6.0 and results.frame("crossing")["seized"].sum() == 6.0
    with pytest.raises(ValueError, match="'stock' declared twice"):
        results.declare("stock", "kg", "stock", "crossing", ("a", "b", "c"))
    with pytest.raises(KeyError, match="not declared in the block: stocks"):
        rows(declared, "stocks")


def test_segmented_growth_is_one_at_the_anchor_continuous_and_grows_at_each_segments_rate():
    knots, rates = (2019.5, 2023.5), (0.3, 0.6, -0.1)
    assert segmented_growth(2023.5, knots, rates) == pytest.approx(1.0)
    assert segmented_growth(2019.5, knots, rates) == pytest.approx(np.exp(-0.6 * 4))
    assert segmented_growth(2015.5, knots, rates) == pytest.approx(np.exp(-0.6 * 4 - 0.3 * 4))
    assert segmented_growth(2025.5, knots, rates) == pytest.approx(np.exp(-0.1 * 2))
    eps = 1e-9
    for knot in knots:   # no jump at a knot
        assert segmented_growth(knot - eps, knots, rates) == pytest.approx(segmented_growth(knot + eps, knots, rates))
    batch = segmented_growth(np.array([2017.0, 2021.0])[:, None], knots, (np.array([0.1, 0.5]), 0.6, 0.0))
    assert batch.shape == (2, 2) and batch[0, 0] > batch[0, 1]   # faster early growth starts lower


def test_the_rates_a_fit_cannot_inform_are_those_of_segments_mostly_after_its_data():
    assert rates_after_the_data(2023) == ("supply_growth_after_2023",)
    assert rates_after_the_data(2022) == ("supply_growth_after_2023",)         # 2021.5-2023.5 is 3/4 inside
    assert rates_after_the_data(2021) == ("supply_growth_2021_2023", "supply_growth_after_2023")
    assert rates_after_the_data(2019)[0] == "supply_growth_2019_2021"
    assert "supply_growth_to_2019" not in rates_after_the_data(2016)           # the data begin in 2015
