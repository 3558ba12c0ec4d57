"""The risk assessment end to end on the default world: inputs, index, scenario change, hotspots."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fentflow.errors import InputError
from fentflow.policy.scenarios import load_scenario, parse_scenario
from fentflow.risk.assess import BASELINE_YEAR, assess, check_year, default_year
from fentflow.risk.hotspots import COLD, HOT, NOT_SIGNIFICANT
from fentflow.risk.inputs import OBSERVED, ActivityFrames, annual_activity, raw_indicators
from fentflow.risk.method import LEVELS

SCENARIO = """
name = "raids_now"
[[interventions]]
kind = "raids"
start = "2022-01-01"
end = "2023-12-31"
strength = 5.0
"""


STAGES_HEARD: list[tuple[str, float]] = []


@pytest.fixture(scope="module")
def assessment(world, tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "raids_now.toml"
    path.write_text(SCENARIO)
    return assess(world, year=2023, scenario=str(path), seed=1,
                  progress=lambda stage, fraction: STAGES_HEARD.append((stage, fraction)))


def test_progress_hears_each_stage_in_order_to_the_end(assessment):
    stages = list(dict.fromkeys(stage for stage, _ in STAGES_HEARD))
    assert stages == ["simulating raids_now", "simulating the baseline", "scoring the states (hotspots, sensitivity)"]
    for stage in stages:
        fractions = [fraction for heard, fraction in STAGES_HEARD if heard == stage]
        assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert assessment.run["replicates"] == 20 and "posterior draws" in assessment.run["parameters"]


@pytest.fixture(scope="module")
def short_sim(world):
    from fentflow.sim.engine import Sim

    sim = Sim(world, start="2015-01-01", end="2016-12-31", seed=2, parameters="defaults", replicates=1)
    sim.run()
    return sim


def test_table_has_32_states_with_levels(assessment):
    table = assessment.table()
    assert len(table) == 32 and table["abbr"].is_unique
    assert set(table["level"].astype(str)) <= set(LEVELS)
    assert table["score"].between(0, 10).all()
    assert (table["year"] == 2023).all()
    for column in ("code", "name", "drivers", "stability", "hotspot", "gi_z", "moran_cluster", "baseline_score",
                   "score_change", "level_change", "homicide_rate_from"):
        assert column in table


def test_homicide_rate_is_the_observed_series_in_observed_years(assessment):
    table = assessment.table().set_index("abbr")
    assert (table["homicide_rate_from"] == f"{OBSERVED} 2023").all()
    assert table.loc["COL", "homicide_rate"] == pytest.approx(118.0)
    assert table.loc["YUC", "homicide_rate"] == pytest.approx(1.4)


def test_scenario_change_is_scenario_minus_baseline(assessment):
    table = assessment.table().set_index("abbr")
    np.testing.assert_allclose(table["score_change"], table["score"] - table["baseline_score"])
    assert (table["level_change"] == assessment.arm.index.level_number - assessment.baseline.level_number).all()
    assert assessment.arm.scenario.name == "raids_now"
    assert table.loc["SIN", "score_change"] < 0     # raids on Sinaloa's production lower its exposure


def test_hotspot_labels(assessment):
    assert set(assessment.hotspots.label) <= {HOT, COLD, NOT_SIGNIFICANT}
    assert assessment.hotspots.z.index.tolist() == assessment.shapes["abbr"].tolist()


def test_activity_is_the_same_from_results_and_from_files(short_sim, world, tmp_path):
    from fentflow.sim.output import write_outputs

    write_outputs(short_sim, tmp_path)
    from_results = annual_activity(ActivityFrames.from_results(short_sim.results), world, 2016)
    from_files = annual_activity(ActivityFrames.from_output_dir(tmp_path), world, 2016)
    pd.testing.assert_frame_equal(from_results, from_files)


def test_activity_adds_up(short_sim, world):
    from fentflow.sim.observables import aggregate

    activity = annual_activity(ActivityFrames.from_results(short_sim.results), world, 2016)
    produced = aggregate(short_sim.results, "produced_kg")
    assert activity["produced_kg"].sum() == pytest.approx(produced.loc[produced["year"] == 2016, "produced_kg"].sum())
    entered = aggregate(short_sim.results, "precursor_inflow_kg")
    assert activity["precursor_inflow_kg"].sum() == pytest.approx(
        entered.loc[entered["year"] == 2016, "precursor_inflow_kg"].sum())
    flow = aggregate(short_sim.results, "fentanyl_flow_kg").query("year == 2016").set_index("state")["fentanyl_flow_kg"]
    np.testing.assert_allclose(activity["transit_kg"] + activity["produced_kg"] + activity["precursor_inflow_kg"],
                               flow.reindex(activity.index), rtol=1e-9)
    assert (activity["transit_kg"] >= 0).all()


def test_model_homicides_outside_observed_years(short_sim, world, monkeypatch):
    monkeypatch.setattr("fentflow.risk.inputs.observed_homicides", lambda year: None)   # SESNSP covers 2015-2024
    activity = annual_activity(ActivityFrames.from_results(short_sim.results), world, 2016)
    raw = raw_indicators(activity, world, 2016)
    population = world.states.set_index("abbr")["population_2023"]
    np.testing.assert_allclose(raw["homicide_rate"], activity["homicides"] / population * 1e5)
    assert (raw["homicide_source"] == "model 2016").all()


def test_missing_output_files_are_an_input_error(tmp_path):
    with pytest.raises(InputError, match="fentflow run"):
        ActivityFrames.from_output_dir(tmp_path)


def test_default_year():
    assert default_year(None) == BASELINE_YEAR == 2023
    assert default_year(load_scenario("baseline")) == 2023                # no interventions
    assert default_year(load_scenario("raids_tripled")) == 2026           # starts 2025
    assert default_year(parse_scenario(SCENARIO)) == 2023                 # starts 2022: never before 2023


@pytest.mark.parametrize("year", [2014, 2031])
def test_years_outside_the_span_are_rejected(year):
    with pytest.raises(InputError, match="outside the simulated span"):
        check_year(year)


# The maps: hot spots outlined and states labelled, in HTML and PNG --------------------------------

def test_html_map_outlines_the_hotspots_and_labels_every_state(assessment):
    from fentflow.risk.plotly_map import HOTSPOT_LABEL, risk_figure

    figure = risk_figure(assessment)
    table = assessment.table()
    labels = next(trace for trace in figure.data if trace.name == "state labels")
    assert labels.mode == "text" and sorted(labels.text) == sorted(table["abbr"])
    outline = next(trace for trace in figure.data if trace.name == HOTSPOT_LABEL)
    hot = table[table["hotspot"] == HOT]
    assert not hot.empty                                       # raids in 2022-23 leave the north-west hot
    drawn = [lon for lon in outline.lon if lon is not None]
    assert outline.mode == "lines" and outline.showlegend and len(drawn) > 10 * len(hot)
    west = assessment.shapes.set_index("abbr").loc[hot["abbr"]].total_bounds
    assert west[0] <= min(drawn) and max(drawn) <= west[2]     # the outlines are the hot states', nothing else


def test_png_map_labels_states_without_overlap_and_adds_a_change_panel(assessment, tmp_path):
    import matplotlib.pyplot as plt
    from PIL import Image

    from fentflow.risk.png_map import _frame, _labels, footer, write_png

    figure, ax = plt.subplots(figsize=(10, 7))
    assessment.shapes.plot(ax=ax)
    _frame(ax, "test")
    _labels(ax, assessment.shapes, dark=set())
    renderer = figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    plt.close(figure)
    assert len(boxes) >= 24 and not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    width, height = Image.open(write_png(assessment, tmp_path / "map.png")).size
    assert width > 2 * height                                  # levels and change, side by side
    assert assessment.run["homicide_rate_from"] in footer(assessment)
    assert "where observed" not in footer(assessment)
