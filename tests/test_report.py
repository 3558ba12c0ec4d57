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

SECTIONS = ("run", "balance", "baseline", "calibration", "scenarios", "risk", "claims", "sources")
# Keys written for programs, never for readers: dotted JSON paths, quantile and difference columns.
RAW_KEYS = re.compile(r"\b\w+\.(p05|p25|p50|p75|p95|median)\b|\bspec\.\w+|\b(diff|pct|change_pp|change)_p\d\d\b"
                      r"|seizure_share_overall|share_pure|share_gross|baseline_p50|arm_p50")
COMMA_YEAR = re.compile(r"\b2,0[0-9]{2}\.[0-9]")      # 2,019.75: a year formatted as a quantity
TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

app = typer.Typer()
app.command("report")(report_command)


@app.command("version")
def _version() -> None:
    pass


runner = CliRunner()


@pytest.fixture(scope="module")
def run_dir(built_report):
    return built_report


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


def test_every_section_opens_with_one_sentence_saying_what_it_shows(page):
    for section in SECTIONS:
        lead = re.search(r'<p class="lead">([^<]+)</p>', _section(page, section))
        assert lead and lead.start() < 200, section
        assert lead.group(1).count(". ") == 0 and lead.group(1).endswith("."), lead.group(1)


def test_no_raw_keys_and_no_years_formatted_as_quantities(page):
    text = visible_text(page)
    assert not RAW_KEYS.search(text), RAW_KEYS.search(text)
    assert not COMMA_YEAR.search(text), COMMA_YEAR.search(text)
    for header, cells in year_columns(page):
        assert all(re.fullmatch(r"\d{4}", cell) for cell in cells), (header, cells[:5])


def test_years_in_tables_are_plain():
    import pandas as pd

    from fentflow.report.html import fmt_in_unit, fmt_year, table

    rendered = table(pd.DataFrame({"year": [2019.0, 2023.0], "fiscal year": [2021, 2022], "deaths": [2019.0, 12345]}))
    assert "<td>2019</td>" in rendered and "<td>2022</td>" in rendered and "2,019" not in rendered.split("</td>", 1)[0]
    assert "<td>12,345</td>" in rendered and "<td>2,019</td>" in rendered     # a count keeps its separator
    assert fmt_year(2019.75) == "2019.75" and fmt_in_unit(2019.75, "year") == "2019.75"
    assert fmt_in_unit(2019.75, "kg") == "2,020" and fmt_in_unit(19.754, "kg") == "19.75"   # no false precision


def test_print_styles(page):
    assert "@media print" in page and "break-inside: avoid" in page and "nav { display: none; }" in page


def test_what_was_run(page):
    run = _section(page, "run")
    assert "seed" in run and "supply_kg_week_2023" in run and "none (baseline)" in run
    assert "overdose deaths, synthetic opioids (deaths)" in run and "seized at the border (gross lb)" in run
    assert "violence" in run and "not anchored on SESNSP" in run and "does not hold all of" in run   # ends in 2023


def test_baseline_against_public_series(page):
    baseline = _section(page, "baseline")
    assert "cdc_synthetic_deaths" in baseline and "sesnsp_homicides" in baseline
    assert "CDC: synthetic-opioid (T40.4) overdose deaths" in baseline
    assert baseline.count("<img") >= 5


def test_baseline_states_the_parameter_source_it_ran_with(page, run_dir, tmp_path):
    ran = _section(page, "baseline")       # the baseline the report ran itself: the shipped calibration
    assert "weighted posterior draws" in ran and "in-sample" in ran and "not calibrated" not in ran
    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    summary = json.loads((out / "summary.json").read_text())
    source = "default parameters (each run differs by seed only)"
    (out / "summary.json").write_text(json.dumps(summary | {"parameter_choice": "defaults",
                                                            "parameter_source": source}))
    baseline = _section(build_report(out, claims=False, write_map=False).read_text(encoding="utf-8"), "baseline")
    assert source in baseline and "not calibrated" in baseline and "in-sample" not in baseline


def test_mass_balance_chart(page, run_dir):
    from fentflow.report.balance import TO_STOCK, links, year_flows

    balance = _section(page, "balance")
    assert balance.count('class="plotly-graph-div"') == 1 and 'id="mass-balance"' in balance
    assert '"type":"sankey"' in balance and "overdose deaths" in balance
    flows = year_flows(run_dir, 2023)
    chart = links(flows)
    ends = sum(kg for source, target, kg, _ in chart if target not in {s for s, *_ in chart})
    # Everything that entered ends seized, destroyed, consumed or held over (drawn stocks enter as well).
    drawn = sum(kg for source, _, kg, _ in chart if source not in {t for _, t, *_ in chart})
    assert ends == pytest.approx(drawn, rel=0.01)
    assert any(target == TO_STOCK for _, target, _, _ in chart) or drawn > flows["precursor_inflow_kg"]
    assert f"{flows['consumed_pure_kg']:,.0f}" in balance


def test_balance_links_keep_every_stage_balanced():
    from fentflow.report.balance import FROM_STOCK, TO_STOCK, links, stages

    flows = {"precursor_inflow_kg": 1000.0, "precursor_seized_kg": 20.0, "delivered_kg": 980.0, "destroyed_kg": 30.0,
             "dispatched_kg": 900.0, "mexico_seized_kg": 10.0, "attempted_pure_kg": 950.0, "seized_pure_kg": 100.0,
             "passed_pure_kg": 850.0, "domestic_seized_pure_kg": 50.0, "consumed_pure_kg": 700.0, "deaths": 5000.0}
    chart = links(flows)
    for stage in stages(flows["deaths"])[1:]:
        into = sum(kg for _, target, kg, _ in chart if target == stage.name)
        out = sum(kg for source, _, kg, _ in chart if source == stage.name)
        assert into == pytest.approx(out), stage.name
    assert ("Labs in Mexico", TO_STOCK, pytest.approx(50.0), "stock") in chart        # 980 in, 930 out
    assert (FROM_STOCK, "Sent north by road", pytest.approx(60.0), "stock") in chart   # 900 in, 960 out
    assert ("Crossed into the U.S.", TO_STOCK, pytest.approx(100.0), "stock") in chart


def test_without_a_calibration_of_its_own_the_report_shows_the_shipped_one(page):
    from fentflow.calibrate.shipped import shipped_table

    calibration = _section(page, "calibration")
    assert "calibration shipped with fentflow" in calibration
    overall = shipped_table("seizure_share").query("component == 'all' and measure == 'pure' and year == 2022")
    assert f"{100 * overall['median'].iloc[0]:.1f}%" in calibration
    assert "share_pure" not in calibration   # shares are shown as percentages
    assert "What the calibration says" in calibration and "maybe 10 percent" in calibration
    assert "Fit to the public series" in calibration and "observed inside the 90% band" in calibration
    assert calibration.count("<img") >= 2      # seizure share and posterior marginals, drawn from shipped tables
    assert "data through</th><td>2023</td>" in calibration


def test_without_a_comparison_of_its_own_the_report_shows_the_bundled_one(page):
    from fentflow.report.comparison_tables import bundled_folder, read_comparison

    scenarios = _section(page, "scenarios")
    assert "example comparison bundled with fentflow" in scenarios
    bundled = read_comparison(bundled_folder())
    deaths = bundled.differences.query("arm == 'treatment' and metric == 'deaths'").iloc[0]
    row = re.search(r"<tr><td>treatment</td><td>deaths</td>.*?</tr>", scenarios).group()
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[3] == f"{deaths['baseline_p50']:,.0f}" and cells[4] == f"{deaths['arm_p50']:,.0f}"   # absolute
    assert cells[5].startswith(f"{deaths['diff_p50']:,.0f} averted")             # the averted column: averted
    assert cells[6] == (f"{deaths['pct_p50']:.1f}% fewer [{deaths['pct_p05']:.1f}% to "
                        f"{deaths['pct_p95']:.1f}%]").replace("-", "−")
    assert "deaths averted over 2025–2030" in scenarios
    assert scenarios.count("<img") == 5 and "Year by year" in scenarios
    assert f"every arm&#x27;s anchored on SESNSP&#x27;s {bundled.manifest['violence_anchored_on']}" in scenarios


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
    (compare / "tables" / "differences.csv").write_text("arm,metric,diff_p05,diff_p50,diff_p95\n"
                                                        "treatment,deaths,100,1234.5,2000\n")
    (compare / "charts" / "deaths.png").write_bytes(TINY_PNG)
    first = build_report(out, claims=False, write_map=False).read_text(encoding="utf-8")
    calibration = _section(first, "calibration")
    assert "seizure_share.median" not in calibration and "summary.json" not in calibration   # read, never dumped
    assert "poe_detection_2023" in calibration and "posterior.csv" in calibration and "<img" in calibration
    scenarios = _section(first, "scenarios")
    assert "More MOUD" in scenarios and "example comparison bundled" not in scenarios and "<img" in scenarios
    assert "1,234 averted [100 to 2,000]" in scenarios
    assert "claims check was skipped" in _section(first, "claims")
    assert_self_contained(first)
    second = build_report(out, claims=False, write_map=False).read_text(encoding="utf-8")
    assert first == second          # the same run gives the same report, byte for byte


def test_a_calibration_of_ones_own_is_read_like_the_shipped_one(run_dir, tmp_path):
    from fentflow.calibrate.shipped import shipped_path

    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    folder = out / "calibration"
    (folder / "predictive").mkdir(parents=True)
    for name in ("seizure_share.csv", "posterior_summary.csv", "generations.csv", "calibration.json", "summary.json"):
        shutil.copyfile(shipped_path(f"data/{name}"), folder / name)
    shutil.copyfile(shipped_path("data/predictive_errors.csv"), folder / "predictive" / "errors.csv")
    (folder / "predictive" / "cdc_synthetic_deaths.png").write_bytes(TINY_PNG)
    page = build_report(out, claims=False, write_map=False).read_text(encoding="utf-8")
    calibration = _section(page, "calibration")
    assert f"the calibration in <code>{folder}</code>" in calibration and "What the calibration says" in calibration
    assert "CDC: synthetic-opioid (T40.4) overdose deaths" in calibration        # the chart's caption, by title
    assert "data through</th><td>2023</td>" in calibration and "Other files" not in calibration
    assert not RAW_KEYS.search(visible_text(calibration))


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


def visible_text(page: str) -> str:
    """What a reader sees: the page without scripts, styles, data URIs and tags."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<code\b.*?</code>", " ", text, flags=re.S)     # names for typing (commands, files)
    return re.sub(r"<[^>]+>", " ", text)


def year_columns(page: str):
    """(header, cells) of every table column whose header names a year."""
    for head, body in re.findall(r"<table[^>]*><thead><tr>(.*?)</tr></thead><tbody>(.*?)</tbody>", page, re.S):
        headers = re.findall(r"<th>(.*?)</th>", head)
        rows = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
        for i, header in enumerate(headers):
            if re.search(r"\byear\b", header, re.I):
                yield header, [row[i] for row in rows if len(row) > i]


def _section(page: str, section: str) -> str:
    start = page.index(f'<section id="{section}">')
    return page[start:page.index("</section>", start)]


def test_a_run_without_its_tables_gets_a_note_not_a_mass_balance(run_dir, tmp_path):
    from types import SimpleNamespace

    from fentflow.report.sections import balance

    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    (out / "markets.parquet").unlink()
    section = balance.build(SimpleNamespace(out=out, risk_year=2023, summary={"replicates": 1}))
    assert "No mass balance" in section.body and "markets.parquet" in section.body
