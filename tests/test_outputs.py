"""Results as tidy tables and files: units, fiscal years, byte-identical Parquet for the same seed."""
import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from fentflow.sim.engine import Sim
from fentflow.sim.output import write_outputs


def run_to(out, seed):
    sim = Sim(start="2021-09-01", end="2022-12-31", seed=seed)
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
    sim = Sim(start="2021-09-01", end="2022-12-31", seed=1)
    results = sim.run()
    by_fy = aggregate(results, "seizure_events", "fiscal_year", by_place=False)
    assert by_fy["seizure_events"].sum() == pytest.approx(results["seizure_events"].sum(), rel=1e-12)
    assert set(by_fy["fy"]) == {2021, 2022, 2023}
    monthly = aggregate(results, "people_in_treatment", "month")
    december = monthly.query("year == 2022 and month == 12").set_index("market")["people_in_treatment"]
    december = december.reindex(sim.net.markets)
    assert np.allclose(december.to_numpy(), results["people_in_treatment"][-1, 0])


def test_monthly_resolution_splits_weeks_over_months_and_keeps_totals():
    weekly = Sim(start="2022-01-01", end="2022-12-31", seed=2)
    monthly = Sim(start="2022-01-01", end="2022-12-31", seed=2, resolution="month")
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
