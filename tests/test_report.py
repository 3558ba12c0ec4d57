"""The self-contained HTML report: sections, optional results, no external fetches, CLI exit codes."""
from __future__ import annotations

import json
import re
import shutil

import pytest
import typer
from typer.testing import CliRunner

from fentflow.report import REPORT_FILE, build_report
from fentflow.report.cli import report_command

SECTIONS = ("run", "baseline", "calibration", "scenarios", "risk", "claims", "sources")
TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

app = typer.Typer()
app.command("report")(report_command)


@app.command("version")
def _version() -> None:
    pass


runner = CliRunner()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A report built from scratch: the baseline 2015-2023 is run into the folder first."""
    out = tmp_path_factory.mktemp("report") / "run"
    build_report(out, start="2015-01-01", end="2023-12-31", seed=0)
    return out


@pytest.fixture(scope="module")
def page(run_dir):
    return (run_dir / REPORT_FILE).read_text(encoding="utf-8")


def assert_self_contained(html: str) -> None:
    """No external script, stylesheet, image, frame or font: nothing is fetched to draw the page."""
    assert not re.search(r"<script[^>]+\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<(img|iframe|source|video|audio|embed)[^>]+\bsrc\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", html, re.I)
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'<img[^>]+src="([^"]+)"', html))


def test_report_written_with_the_run_and_map(run_dir):
    assert (run_dir / REPORT_FILE).exists() and (run_dir / "summary.json").exists()
    assert (run_dir / "map" / "risk_map.html").exists() and (run_dir / "map" / "risk_scores.geojson").exists()


def test_report_is_self_contained(page):
    assert_self_contained(page)
    assert page.index("window.PlotlyGeoAssets") < page.index("* plotly.js v") < page.index("Plotly.newPlot")


def test_report_has_every_section_in_order(page):
    positions = [page.index(f'<section id="{section}">') for section in SECTIONS]
    assert positions == sorted(positions)


def test_what_was_run(page):
    run = _section(page, "run")
    assert "seed" in run and "supply_kg_week_2023" in run and "none (baseline)" in run


def test_baseline_against_public_series(page):
    baseline = _section(page, "baseline")
    assert "cdc_synthetic_deaths" in baseline and "sesnsp_homicides" in baseline
    assert baseline.count("<img") >= 5


def test_without_a_calibration_of_its_own_the_report_shows_the_shipped_one(page):
    from fentflow.calibrate.shipped import shipped_table

    calibration = _section(page, "calibration")
    assert "calibration shipped with fentflow" in calibration
    overall = shipped_table("seizure_share").query("component == 'all' and measure == 'pure' and year == 2022")
    assert f"{100 * overall['median'].iloc[0]:.1f}%" in calibration
    assert "share_pure" not in calibration   # shares are shown as percentages
    assert "No scenario comparison yet" in _section(page, "scenarios")


def test_risk_map_section(page):
    risk = _section(page, "risk")
    assert risk.count('class="plotly-graph-div"') == 1 and 'id="risk-map"' in risk
    assert "Sinaloa" in risk and "Extreme" in risk and "How stable are the levels?" in risk


def test_claims_table(page):
    claims = _section(page, "claims")
    assert "C5" in claims and "C7" in claims and 'class="verdict' in claims


def test_assumptions_and_sources(page):
    sources = _section(page, "sources")
    assert "assumption" in sources and "SESNSP" in sources and "homicide_rate" in sources


def test_optional_results_appear_when_present(run_dir, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    calibration = out / "calibration"
    calibration.mkdir()
    (calibration / "summary.json").write_text(json.dumps({"seizure_share": {"median": 0.12, "p05": 0.07}}))
    (calibration / "posterior.csv").write_text("parameter,median\npoe_detection_2023,0.11\n")
    (calibration / "fit.png").write_bytes(TINY_PNG)
    compare = out / "compare"
    (compare / "tables").mkdir(parents=True)
    (compare / "charts").mkdir()
    (compare / "comparison.json").write_text(json.dumps({"reference": "baseline", "runs": 4, "seed": 0,
                                                         "arms": [{"name": "treatment", "title": "More MOUD"}],
                                                         "window": [2026, 2030]}))
    (compare / "tables" / "differences.csv").write_text("arm,metric,difference\ntreatment,deaths,-1234.5\n")
    (compare / "charts" / "deaths.png").write_bytes(TINY_PNG)
    first = build_report(out, claims=False, write_map=False).read_text(encoding="utf-8")
    assert "seizure_share.median" in first and "poe_detection_2023" in _section(first, "calibration")
    scenarios = _section(first, "scenarios")
    assert "More MOUD" in scenarios and "-1,234" in scenarios and "<img" in scenarios
    assert "claims check was skipped" in _section(first, "claims")
    assert_self_contained(first)
    second = build_report(out, claims=False, write_map=False).read_text(encoding="utf-8")
    assert first == second          # the same run gives the same report, byte for byte


def test_report_command(run_dir, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    result = runner.invoke(app, ["report", "--out", str(out), "--no-claims", "--year", "2022"])
    assert result.exit_code == 0, result.output
    assert "Report written" in result.output and "Parameters: 400 weighted posterior draws" in result.output
    assert "Fentanyl supply-chain risk in 2022" in (out / REPORT_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize("year", ["2024", "2010"])
def test_report_year_outside_the_run_exits_2(run_dir, year):
    result = runner.invoke(app, ["report", "--out", str(run_dir), "--no-claims", "--year", year])
    assert result.exit_code == 2 and "no risk map for" in result.output and "Traceback" not in result.output


def test_broken_run_directory_exits_2(tmp_path):
    (tmp_path / "summary.json").write_text("{not json")
    result = runner.invoke(app, ["report", "--out", str(tmp_path), "--no-claims"])
    assert result.exit_code == 2 and "not valid JSON" in result.output and "Traceback" not in result.output


def _section(page: str, section: str) -> str:
    start = page.index(f'<section id="{section}">')
    return page[start:page.index("</section>", start)]
