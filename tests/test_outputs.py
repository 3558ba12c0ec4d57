"""Results as tidy tables and files: units, fiscal years, byte-identical Parquet for the same seed."""
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fentflow.sim.engine import Sim
from fentflow.sim.output import write_outputs


def run_to(out, seed):
    sim = Sim(start="2021-09-01", end="2022-12-31", seed=seed, parameters="defaults", replicates=1)
    sim.run()
    return write_outputs(sim, out)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    return out, run_to(out, seed=4)


def test_files_and_summary(written):
    out, summary = written
    for name in ("crossings", "markets", "states", "sites", "entries"):
        assert (out / f"{name}.parquet").exists()
    assert json.loads((out / "summary.json").read_text()) == summary
    assert summary["seed"] == 4 and summary["weeks"] > 60
    assert set(summary["cbp_southwest_lb_by_fiscal_year"]["2022"]) == {"port", "between", "total"}


def test_tables_are_tidy_with_units(written):
    out, _ = written
    table = pq.read_table(out / "crossings.parquet")
    units = json.loads(table.schema.metadata[b"fentflow.units"])
    assert units["seized_gross_kg"] == "gross kg" and units["attempts"] == "loads"
    frame = table.to_pandas()
    assert {"period", "replicate", "crossing", "seizure_events", "seized_pills"} <= set(frame.columns)
    assert frame.groupby(["period", "crossing"]).size().max() == 1


def test_fiscal_years_split_in_october(written):
    out, _ = written
    monthly = pq.read_table(out / "observables" / "cbp_sw_monthly.parquet").to_pandas()
    assert set(monthly.query("year == 2021 and month >= 10")["fy"]) == {2022}
    assert set(monthly.query("year == 2022 and month <= 9")["fy"]) == {2022}


def test_same_seed_gives_byte_identical_parquet(tmp_path, written):
    first, _ = written
    second = tmp_path / "again"
    run_to(second, seed=4)
    for path in sorted(first.rglob("*.parquet")) + [first / "summary.json"]:
        twin = second / path.relative_to(first)
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_different_seed_differs(tmp_path, written):
    first, _ = written
    run_to(tmp_path, seed=5)
    assert (first / "crossings.parquet").read_bytes() != (tmp_path / "crossings.parquet").read_bytes()


def test_aggregate_by_period_sums_flows_and_keeps_stock_ends():
    from fentflow.sim.observables import aggregate
    sim = Sim(start="2021-09-01", end="2022-12-31", seed=1, parameters="defaults", replicates=1)
    results = sim.run()
    by_fy = aggregate(results, "seizure_events", "fiscal_year", by_place=False)
    assert by_fy["seizure_events"].sum() == pytest.approx(results["seizure_events"].sum(), rel=1e-12)
    assert set(by_fy["fy"]) == {2021, 2022, 2023}
    monthly = aggregate(results, "people_in_treatment", "month")
    december = monthly.query("year == 2022 and month == 12").set_index("market")["people_in_treatment"]
    december = december.reindex(sim.net.markets)
    assert np.allclose(december.to_numpy(), results["people_in_treatment"][-1, 0])


def test_monthly_resolution_splits_weeks_over_months_and_keeps_totals():
    weekly = Sim(start="2022-01-01", end="2022-12-31", seed=2, parameters="defaults", replicates=1)
    monthly = Sim(start="2022-01-01", end="2022-12-31", seed=2, parameters="defaults", replicates=1, resolution="month")
    weekly.run()
    monthly.run()
    # The last week (Mon 26 Dec 2022) ends on Sunday 1 January 2023: one day of January.
    assert monthly.results.period_start[0].strftime("%Y-%m") == "2022-01"
    assert monthly.results.period_start[-1].strftime("%Y-%m") == "2023-01"
    for name in ("seized_gross_kg", "deaths"):
        assert monthly.results[name].sum() == pytest.approx(weekly.results[name].sum(), rel=1e-12)
    # A 31-day month gets 31/7 weeks' worth, not 4 or 5 whole weeks.
    from fentflow.sim.observables import aggregate
    by_month = aggregate(weekly.results, "seized_gross_kg", "month", by_place=False)
    np.testing.assert_allclose(by_month["seized_gross_kg"].to_numpy(),
                               monthly.results["seized_gross_kg"].sum(axis=2)[:, 0], rtol=1e-9)


def test_every_place_has_its_name_beside_its_code(written):
    out, _ = written
    crossings = pq.read_table(out / "crossings.parquet").to_pandas()
    assert crossings.columns.get_loc("crossing_name") == crossings.columns.get_loc("crossing") + 1
    assert set(crossings.loc[crossings["crossing"] == "2504", "crossing_name"]) == {"San Ysidro"}
    homicides = pq.read_table(out / "observables" / "sesnsp_homicides.parquet").to_pandas()
    assert set(homicides.loc[homicides["abbr"] == "SIN", "abbr_name"]) == {"Sinaloa"}
    for name in ("markets", "states", "sites", "entries"):
        frame = pq.read_table(out / f"{name}.parquet").to_pandas()
        assert any(column.endswith("_name") for column in frame.columns), name


def test_every_parquet_file_has_units_for_its_value_columns(written):
    out, _ = written
    for path in sorted(out.rglob("*.parquet")):
        table = pq.read_table(path)
        units = json.loads(table.schema.metadata[b"fentflow.units"])
        numeric = [f.name for f in table.schema if f.type in (pa.float64(), pa.int64()) and f.name != "replicate"]
        assert numeric and set(numeric) <= set(units), (path.name, set(numeric) - set(units))


def test_partial_periods_are_flagged(written):
    out, summary = written      # 2021-09-01 to 2022-12-31: FY2021 (from October 2020) and 2021 are partial
    by_fy = pq.read_table(out / "observables" / "cbp_sw_component.parquet").to_pandas()
    assert by_fy.groupby("fy")["partial"].first().to_dict() == {2021: True, 2022: False, 2023: True}
    deaths = pq.read_table(out / "observables" / "cdc_deaths.parquet").to_pandas()
    assert deaths.groupby("year")["partial"].first().to_dict() == {2021: True, 2022: False, 2023: True}  # 1 day
    monthly = pq.read_table(out / "observables" / "cbp_sw_monthly.parquet").to_pandas()
    assert not monthly.query("year == 2022")["partial"].any()
    assert summary["partial_years"] == [2021, 2023]


def test_annual_csv_has_runs_then_median_and_bounds(tmp_path):
    sim = Sim(start="2021-01-01", end="2022-12-31", seed=1, parameters="defaults", replicates=3)
    sim.run()
    write_outputs(sim, tmp_path)
    annual = pd.read_csv(tmp_path / "annual.csv")
    assert list(annual.columns[:4]) == ["year", "partial", "statistic", "replicate"]
    per_year = annual[annual["year"] == 2022]
    assert list(per_year["statistic"]) == ["run"] * 3 + ["median", "p05", "p95"]
    runs = per_year[per_year["statistic"] == "run"]["deaths"]
    median = per_year.loc[per_year["statistic"] == "median", "deaths"].item()
    assert median == pytest.approx(runs.median())
    low, high = (per_year.loc[per_year["statistic"] == s, "deaths"].item() for s in ("p05", "p95"))
    assert runs.min() <= low <= median <= high <= runs.max()
    assert per_year["seizure_share_pure"].between(0, 1).all()


def test_csv_copies_every_parquet_table(tmp_path):
    sim = Sim(start="2022-01-01", end="2022-03-31", seed=1, parameters="defaults", replicates=1)
    sim.run()
    write_outputs(sim, tmp_path, csv=True)
    for path in tmp_path.rglob("*.parquet"):
        copy = pd.read_csv(path.with_suffix(".csv"))
        assert len(copy) == pq.read_metadata(path).num_rows, path.name


def test_run_command_runs_a_scenario_and_writes_csv(tmp_path):
    from typer.testing import CliRunner

    from fentflow.cli import app

    args = ["run", "--start", "2024-10-01", "--end", "2025-03-31", "--replicates", "2", "--quiet", "--csv"]
    result = CliRunner().invoke(app, [*args, "--scenario", "port_surge", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["scenario"] == "port_surge" and summary["interventions"][0]["kind"] == "port_inspection"
    assert (tmp_path / "annual.csv").is_file() and (tmp_path / "observables" / "cdc_deaths.csv").is_file()
    bad = CliRunner().invoke(app, [*args, "--scenario", "no_such_scenario", "--out", str(tmp_path / "bad")])
    assert bad.exit_code == 2 and "no scenario 'no_such_scenario'" in bad.output and "Traceback" not in bad.output
