"""`fentflow map` and the map files: HTML (offline), PNG, GeoJSON, CSV, sensitivity, summary; exit codes."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from fentflow.risk.cli import map_command
from fentflow.risk.offline_html import TOPOJSON_NAME
from fentflow.risk.writers import FILES, SCORE_COLUMNS

app = typer.Typer()
app.command("map")(map_command)


@app.command("version")     # a second command, so "map" stays a subcommand as in the real app
def _version() -> None:
    pass


runner = CliRunner()


@pytest.fixture(scope="module")
def map_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("map")
    result = runner.invoke(app, ["map", "--out", str(out), "--seed", "3"])
    return out, result


def test_map_command_succeeds_and_prints_levels(map_run):
    out, result = map_run
    assert result.exit_code == 0, result.output
    assert "Risk by state, 2023" in result.output and "Map written" in result.output
    assert all((out / name).exists() for name in FILES.values())
    assert "Violence:" not in result.output           # 2023's homicides are SESNSP's, not the model's


def test_a_simulated_year_says_where_its_violence_starts(tmp_path):
    result = runner.invoke(app, ["map", "--year", "2025", "--replicates", "1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Violence: each state's anchored on SESNSP's 2024 homicides" in " ".join(result.output.split())
    assert "anchored" in json.loads((tmp_path / FILES["summary"]).read_text())["run"]["violence"]


def test_geojson_has_32_features_with_scores(map_run):
    out, _ = map_run
    collection = json.loads((out / FILES["geojson"]).read_text())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 32
    feature = collection["features"][0]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert {"abbr", "code", "name", "level", "score", "drivers", "hotspot"} <= set(feature["properties"])
    assert {f["properties"]["abbr"] for f in collection["features"]} == set(pd.read_csv(out / FILES["csv"])["abbr"])


def test_csv_columns_and_values(map_run):
    out, _ = map_run
    table = pd.read_csv(out / FILES["csv"], dtype={"code": str})
    assert list(table.columns[:len(SCORE_COLUMNS)]) == list(SCORE_COLUMNS)
    assert len(table) == 32 and table["code"].str.fullmatch(r"\d\d").all()
    assert table["score"].between(0, 10).all() and table["stability"].between(0, 1).all()
    assert set(table["level"]) <= {"Low", "Moderate", "High", "Very high", "Extreme"}
    assert table.sort_values("score", ascending=False)["abbr"].iloc[0] in {"SIN", "MICH", "BC", "COL", "SON"}


def test_sensitivity_csv_and_summary(map_run):
    out, _ = map_run
    sensitivity = pd.read_csv(out / FILES["sensitivity"])
    assert len(sensitivity) == 32
    assert {"stability", "share_Extreme", "ST_hazard_weight", "S1_cut_shift"} <= set(sensitivity.columns)
    summary = json.loads((out / FILES["summary"]).read_text())
    assert summary["year"] == 2023 and summary["run"]["seed"] == 3 and len(summary["levels"]) == 32
    assert summary["method"][0].startswith("risk = ")


def test_html_is_self_contained_and_offline_safe(map_run):
    out, _ = map_run
    page = (out / FILES["html"]).read_text()
    assert_self_contained(page)
    # the empty topology must be defined before plotly.js runs, or plotly fetches one from a CDN
    assets = page.index("window.PlotlyGeoAssets")
    assert TOPOJSON_NAME in page[assets:assets + 200]
    assert assets < page.index("* plotly.js v") < page.index("Plotly.newPlot")
    assert page.count('class="plotly-graph-div"') == 1          # no scenario: one map


def test_png_is_a_png(map_run):
    out, _ = map_run
    assert (out / FILES["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def assert_self_contained(page: str) -> None:
    """No external script, stylesheet, image, frame or font: nothing to fetch to draw the page."""
    assert not re.search(r"<script[^>]+\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"<(img|iframe|source|video|audio|embed)[^>]+\bsrc\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", page, re.I)


@pytest.mark.parametrize("args, message", [
    (["--year", "2014"], "outside the simulated span"),
    (["--year", "2031"], "outside the simulated span"),
    (["--scenario", "no_such_scenario"], "no scenario 'no_such_scenario'"),
    (["--scenario", "missing.toml"], "scenario file not found"),
    (["--scenario", "port_surge", "--year", "2023"], "outside the simulated span"),
])
def test_bad_input_exits_2_without_traceback(tmp_path, args, message):
    result = runner.invoke(app, ["map", "--out", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / FILES["html"]).exists()


def test_malformed_scenario_file_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \"bad\"\n[[interventions]]\nkind = \"raids\"\nstart = \"2024-01-01\"\n")
    result = runner.invoke(app, ["map", "--out", str(tmp_path), "--scenario", str(bad)])
    assert result.exit_code == 2 and "missing 'end'" in result.output


def test_non_integer_year_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["map", "--year", "soon"])
    assert result.exit_code == 2 and "Traceback" not in result.output
