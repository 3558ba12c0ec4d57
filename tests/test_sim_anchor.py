"""Violence anchored on the last counted year (`sim/anchor.py`): where it applies, what it moves, and pairing."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fentflow.errors import InputError
from fentflow.policy.interventions import Intervention
from fentflow.policy.scenarios import Scenario
from fentflow.sim import anchor
from fentflow.sim.calendar import Calendar
from fentflow.sim.engine import Sim
from fentflow.sim.yearly import period_years

LAST = anchor.counted_years()[-1]


def _homicides(sim, year: int) -> np.ndarray:
    """(rep, state) homicides of `year`."""
    return sim.results["homicides"][period_years(sim.results) == year].sum(axis=0)


def _sim(**kwargs) -> Sim:
    options = dict(parameters="calibrated", replicates=3, seed=4, resolution="month")
    return Sim(**(options | kwargs))


def test_the_shift_matches_the_count_and_leaves_states_without_one():
    shifted = anchor.Anchor(2021, 0, np.array([19.5, np.nan])).shift(np.array([[9.5, 3.0], [39.5, 3.0]]))
    np.testing.assert_allclose(shifted, [[np.log(2.0), 0.0], [np.log(0.5), 0.0]])


def test_the_default_is_the_last_counted_year_and_a_year_not_counted_is_an_error():
    assert anchor.resolve_year(anchor.LAST_COUNTED) == LAST
    assert anchor.resolve_year(2019) == 2019 and anchor.resolve_year(None) is None
    for bad in (LAST + 1, 1990, "2019", True, 2019.5):
        with pytest.raises(InputError) as raised:
            anchor.resolve_year(bad)
        assert raised.value.field == "anchor_year"
    assert anchor.last_counted_through(LAST + 5) == LAST and anchor.last_counted_through(1990) is None


def test_the_anchor_week_is_the_first_that_begins_after_a_year_the_run_holds_whole():
    calendar = Calendar.between("2015-01-01", "2030-12-31")
    week = anchor.anchor_week(calendar, 2024)
    assert calendar.week_start[week] == pd.Timestamp("2025-01-06")        # 2025-01-01 is a Wednesday
    assert calendar.week_start[week - 1] < pd.Timestamp("2025-01-01")
    assert anchor.anchor_week(Calendar.between("2024-03-01", "2030-12-31"), 2024) is None    # 2024 not whole
    assert anchor.anchor_week(Calendar.between("2015-01-01", "2024-12-31"), 2024) is None    # nothing after it
    assert anchor.anchor_week(Calendar.between("2024-01-01", "2025-02-01"), 2024) is not None


def test_every_state_has_a_count_in_the_counted_years():
    states = Sim(end="2015-01-31").net.states
    for year in anchor.counted_years():
        assert np.isfinite(anchor._counts(year, states)).all()


def test_an_anchored_run_starts_the_next_year_from_the_counts_and_leaves_the_years_before():
    anchored, free = (_sim(start="2019-01-01", end="2022-12-31", anchor_year=year) for year in (2021, None))
    anchored.run(), free.run()
    counted = anchored.anchor.counts

    def miss_2022(sim):
        return np.median(np.abs(np.log((_homicides(sim, 2022) + 0.5) / (counted + 0.5))))

    # a year after the anchor, each state is near its count; without it, where years of drift left it
    assert miss_2022(anchored) < 0.3 < miss_2022(free)
    before = period_years(anchored.results) <= 2021
    for name in anchored.results.data:
        np.testing.assert_array_equal(anchored.results[name][before], free.results[name][before])
    assert "2021" in anchored.anchor_note and "not anchored" in free.anchor_note


def test_a_run_that_ends_with_the_counted_year_is_not_anchored():
    sim = _sim(start="2015-01-01", end=f"{LAST}-12-31")
    assert sim.anchor is None and "does not hold" in sim.anchor_note


def test_stepped_and_alone_runs_anchor_as_the_fused_batch_does():
    span = dict(start="2022-01-01", end="2024-06-30", anchor_year=2022)
    fused = _sim(**span)
    fused.run()
    stepped = _sim(**span)
    for week in range(stepped.calendar.n_weeks):
        stepped.step(week)
    alone = _sim(**span, replicates=None, replicate_ids=[2])
    alone.run()
    for name in fused.results.data:
        np.testing.assert_array_equal(stepped.results[name], fused.results[name])
        np.testing.assert_array_equal(alone.results[name][:, 0], fused.results[name][:, 2])


def test_a_lever_acting_before_the_anchor_week_keeps_its_run_unanchored():
    early = Intervention("treatment", "2024-06-01", "2026-12-31", 1.0)
    on_time = Intervention("treatment", "2025-01-01", "2026-12-31", 1.0)    # first acts in the week of 2025-01-06
    span = dict(start="2023-01-01", end="2026-12-31", anchor_year=2024, replicates=1)
    assert _sim(**span, interventions=[on_time]).anchor is not None
    sim = _sim(**span, interventions=[early])
    assert sim.anchor is None and "lever" in sim.anchor_note


def test_a_comparison_anchors_all_its_arms_or_none():
    from fentflow.ensemble.run import make_task
    from fentflow.ensemble.spec import ComparisonSpec

    baseline = Scenario("baseline")
    on_time = Scenario("later", interventions=(Intervention("treatment", "2025-01-01", "2030-12-31", 1.0),))
    early = Scenario("earlier", interventions=(Intervention("treatment", "2022-01-01", "2030-12-31", 1.0),))
    paired = ComparisonSpec((baseline, on_time), runs=2)
    assert paired.anchor_year == LAST and paired.describe()["violence_anchored_on"] == LAST
    assert {make_task(paired, arm, 0, (0,)).anchor_year for arm in paired.arms} == {LAST}
    unanchored = ComparisonSpec((baseline, on_time, early), runs=2)
    assert unanchored.anchor_year is None
    assert {make_task(unanchored, arm, 0, (0,)).anchor_year for arm in unanchored.arms} == {None}
    assert unanchored.fingerprint(baseline) != paired.fingerprint(baseline)     # stored runs are redone
    assert ComparisonSpec((baseline, on_time), start=f"{LAST}-03-01").anchor_year is None   # the year is not whole


def test_run_says_where_its_violence_is_anchored(tmp_path):
    import json

    from typer.testing import CliRunner

    from fentflow.cli import app

    early = tmp_path / "early.toml"
    early.write_text('name = "early"\n[[interventions]]\nkind = "treatment"\nstart = "2024-06-01"\n'
                     'end = "2025-06-30"\nstrength = 1.0\n')
    told = {}
    for name, options in {"baseline": [], "early": ["--scenario", str(early)]}.items():
        result = CliRunner().invoke(app, ["run", "--start", f"{LAST}-01-01", "--end", f"{LAST + 1}-03-31",
                                          "--replicates", "2", "--out", str(tmp_path / name), *options])
        assert result.exit_code == 0, result.output
        told[name] = json.loads((tmp_path / name / "summary.json").read_text())["violence_anchor"]
        assert f"Violence: {told[name]}" in " ".join(result.output.split())
    assert told["baseline"].startswith(f"each state's anchored on SESNSP's {LAST} homicides")
    assert "not anchored" in told["early"] and "lever" in told["early"]


@pytest.mark.parametrize("start, anchored", [("2024-06-01", False), ("2025-01-01", True)])
def test_a_scenario_map_anchors_its_baseline_as_its_scenario(tmp_path, start, anchored):
    from fentflow.risk.assess import assess

    lever = (Intervention("raids", start, "2025-12-31", 2.0, places=("SIN",)),)
    assessment = assess(year=LAST + 1, scenario=Scenario("raids", interventions=lever), replicates=1)
    assert ("not anchored" not in assessment.run["violence"]) is anchored   # the baseline's, as its arm's


def test_an_imported_count_moves_the_anchor(tmp_path, bundled_only):
    from fentflow.observed.series import load_series, use_data_folder

    table = load_series(anchor.SERIES)
    later = table[table["year"] == LAST].assign(year=LAST + 1, victims=lambda rows: rows["victims"] * 2)
    later.to_csv(tmp_path / "sesnsp_homicides.csv", index=False)
    use_data_folder(tmp_path)
    assert anchor.resolve_year(anchor.LAST_COUNTED) == LAST + 1
    assert anchor.counted(LAST + 1)["COL"] == 2 * anchor.counted(LAST)["COL"]
