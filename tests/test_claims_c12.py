"""C12 "demand vs enforcement" with constructed margins: each branch of its rule (clear win, clear loss, a
straddle whose sign an unsourced assumption sets, a straddle it does not) gives its verdict and says why."""
import numpy as np
import pandas as pd

from fentflow.claims import c12_demand_reduction as c12
from fentflow.claims.row import CONSISTENT, INCONSISTENT, NOT_CHECKABLE

RUNS = 20
YEARS = range(2028, 2031)
SOURCES = {"source_url": "https://example.org/moud", "primary_url": "https://example.org/moud"}
TREATMENT = np.linspace(10_000, 12_000, RUNS)      # deaths averted by treatment, run by run


def row_for(monkeypatch, raids, *, raids_without=None, folder=False, short=None, rose=None):
    """The row with treatment and the two clear arms fixed, the raids arm given, and (unless `folder`)
    a sensitivity in which the raids arm averts `raids_without`; `short` marks the runs whose baseline
    market is short of supply (none by default), `rose` those whose price rose 2021-2023 (unknown by default)."""
    main = {c12.DEMAND_ARM: TREATMENT, "port_surge": TREATMENT - 5_000, "precursor_crackdown": TREATMENT - 4_000,
            "raids_tripled": np.asarray(raids, float)}
    again = {c12.DEMAND_ARM: TREATMENT, "raids_tripled": np.asarray(raids_without if raids_without is not None
                                                                     else raids, float)}
    monkeypatch.setattr(c12, "_averted", lambda comparison, arm, years: comparison[arm])
    monkeypatch.setattr(c12, "_flows_and_violence", lambda comparison, years: "")
    short = np.zeros(RUNS, bool) if short is None else np.asarray(short)
    monkeypatch.setattr(c12, "_baseline_prices", lambda comparison: None)
    monkeypatch.setattr(c12, "_short_of_supply", lambda context, prices, years, n_runs: short)
    monkeypatch.setattr(c12, "_price_rose", lambda prices: None if rose is None else np.asarray(rose))
    calls = []

    def sensitivity(context, arms, fixed):
        calls.append((arms, fixed))
        return None if folder else again

    monkeypatch.setattr(c12, "sensitivity_comparison", sensitivity)
    row = c12._demand_row(object(), main, YEARS, "public", SOURCES)
    return row, calls


def test_a_clear_win_against_every_arm_is_consistent_and_needs_no_sensitivity(monkeypatch):
    row, calls = row_for(monkeypatch, TREATMENT - 3_000)
    assert row.verdict == CONSISTENT and calls == []
    assert row.numbers["margin_vs_raids_tripled_p05"] > 0
    assert "Not checkable until" not in row.reason and "not checkable if" in row.rule


def test_a_clear_loss_is_inconsistent_whatever_drives_it(monkeypatch):
    row, calls = row_for(monkeypatch, TREATMENT + 3_000, raids_without=TREATMENT - 3_000)
    assert row.verdict == INCONSISTENT and calls == []
    assert row.numbers["margin_vs_raids_tripled_p95"] < 0
    assert "does not clearly avert more deaths than raids_tripled" in row.reason


def straddling():
    """Raids avert more than treatment in most runs, less in a few: the median margin is negative."""
    return TREATMENT + np.linspace(-4_000, 6_000, RUNS)


def test_a_straddle_whose_sign_an_unsourced_driver_sets_is_not_checkable_and_names_what_is_missing(monkeypatch):
    row, calls = row_for(monkeypatch, straddling(), raids_without=TREATMENT - 8_000)
    assert calls == [((c12.DEMAND_ARM, "raids_tripled"), (("raid_capacity_loss", 0.0),))]
    assert row.verdict == NOT_CHECKABLE
    assert row.numbers["margin_vs_raids_tripled_p50"] < 0 < row.numbers["margin_vs_raids_tripled_without_driver_p50"]
    assert "raid_capacity_loss" in row.reason and "capacity_recovery_weeks" in row.reason
    assert "Not checkable until" in row.reason and "SEDENA" in row.reason
    assert "raids_tripled at raid_capacity_loss = 0" in row.fentflow


def test_a_straddle_the_driver_does_not_flip_is_inconsistent(monkeypatch):
    row, _ = row_for(monkeypatch, straddling(), raids_without=straddling() + 1_000)
    assert row.verdict == INCONSISTENT


def test_without_a_sensitivity_a_straddle_is_inconsistent_and_says_it_was_not_run(monkeypatch):
    row, _ = row_for(monkeypatch, straddling(), folder=True)
    assert row.verdict == INCONSISTENT and "not run" in row.fentflow


def test_the_driver_is_an_unsourced_assumption_in_the_parameter_table():
    from fentflow.sim.pars import PAR_BY_NAME

    for arm, (name, neutral, _) in c12.UNSOURCED_DRIVER.items():
        assert arm in c12.ENFORCEMENT_ARMS
        assert PAR_BY_NAME[name].source.startswith("assumption")
        low, high = PAR_BY_NAME[name].bounds
        assert low <= neutral <= high


def test_a_straddle_split_by_the_market_gives_each_part_and_names_the_price_evidence(monkeypatch):
    short = np.arange(RUNS) >= 14                     # 6 runs short of supply, where raids avert far more
    raids = np.where(short, TREATMENT + np.linspace(-2_000, 30_000, RUNS), TREATMENT - 9_000)
    rose = np.arange(RUNS) % 3 == 0                   # runs 0, 3, ... 18: two of them (15, 18) short of supply
    row, _ = row_for(monkeypatch, raids, raids_without=raids + 1_000, short=short, rose=rose)
    assert row.verdict == INCONSISTENT
    assert "of the 6 short of supply, 2 saw the retail price rise from 2021 to 2023" in row.fentflow
    assert "when every public retail price with two dates fell" in row.fentflow      # San Diego, the Twin Cities
    assert row.numbers["runs_short_price_rose"] == 2
    assert row.numbers["margin_vs_raids_tripled_spare_p50"] == 9_000
    assert row.numbers["margin_vs_raids_tripled_short_p50"] < 0 and row.numbers["runs_short_of_supply"] == 6
    assert "14 runs with supply to spare, 6 short of supply" in row.fentflow
    assert "two markets" in row.reason and "national retail price series" in row.reason
    assert "supply_growth_after_2023" in row.reason                     # the assumption the window rests on
    assert "San Diego" in row.reason and "fell by more than 50%" in row.reason   # from the observed series


def test_a_straddle_the_markets_agree_on_gets_no_market_reason(monkeypatch):
    row, _ = row_for(monkeypatch, straddling(), raids_without=straddling() + 1_000, short=np.arange(RUNS) % 2 == 0)
    assert row.verdict == INCONSISTENT and "two markets" not in row.reason
    assert "runs_short_of_supply" in row.numbers


def test_a_market_is_short_of_supply_when_its_price_is_above_the_reference():

    from fentflow.ensemble.comparison import Comparison
    from fentflow.sim.sources import DefaultParameters
    from fentflow.sim.pars import PAR_BY_NAME

    reference = PAR_BY_NAME["price_per_pill_ref"].default
    prices = {0: 0.5 * reference, 1: 1.5 * reference, 2: 0.9 * reference}
    rises = {0: 0.1, 1: -0.1, 2: 0.0}                  # each run's price change a year, 2021 to 2023
    years = range(2021, 2031)
    rows = [{"arm": arm, "run": run, "table": "national", "place": "US", "year": year, "metric": "price_usd_per_pill",
             "value": price if year in YEARS else price * (1 + rises[run]) ** (year - 2023)}
            for arm in ("baseline", c12.DEMAND_ARM) for run, price in prices.items() for year in years]
    comparison = Comparison("baseline", ["baseline", c12.DEMAND_ARM], (2025, 2030), pd.DataFrame(rows))

    class Context:
        parameters, seed = DefaultParameters(), 0

    assert c12._short_of_supply(Context(), c12._baseline_prices(comparison), YEARS, 3).tolist() == [False, True, False]
    assert c12._price_rose(c12._baseline_prices(comparison)).tolist() == [True, False, False]
    deaths = pd.DataFrame(rows).assign(metric="deaths")          # a comparison that recorded no prices
    no_prices = Comparison("baseline", ["baseline", c12.DEMAND_ARM], (2025, 2030), deaths)
    assert c12._short_of_supply(Context(), c12._baseline_prices(no_prices), YEARS, 3).tolist() == [False, False, False]
    assert c12._price_rose(c12._baseline_prices(no_prices)) is None
