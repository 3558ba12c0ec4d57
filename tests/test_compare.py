"""`compare`: paired differences with common random numbers, the balloon effect, resume, corruption,
worker invariance, and the `query` command over the store."""
import shutil
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from fentflow.ensemble import Comparison, connect
from fentflow.ensemble.cli import compare_command, query_command

SHORT = ["--start", "2024-07-01", "--end", "2025-12-31"]
ARGS = ["baseline", "port_surge", "treatment", "--runs", "4", "--block-size", "2", "--seed", "5", *SHORT]
runner = CliRunner()


def cli() -> typer.Typer:
    """The commands mounted the way the main app mounts them."""
    app = typer.Typer()
    app.command("compare")(compare_command)
    app.command("query")(query_command)
    return app


def invoke(*args):
    return runner.invoke(cli(), [str(a) for a in args])


def compare_into(out: Path, *args):
    result = invoke("compare", *args, "--out", out)
    assert result.exit_code == 0, result.output
    return result


def tables_of(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((out / "tables").glob("*.csv"))}


def store_of(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted((out / "store").rglob("*.parquet"))}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, str]:
    """The comparison computed in this process without Dask: the numbers every other way must give."""
    out = tmp_path_factory.mktemp("reference")
    result = compare_into(out, *ARGS, "--workers", 0)
    return out, result.output


def test_compare_prints_the_paired_table_and_writes_tables_charts_and_store(reference):
    out, output = reference
    assert "Paired differences vs baseline, 2025:" in output and "deaths averted" in output
    assert "Displacement" in output and "San Diego Field Office" in output
    assert "computed 12, reused 0" in output
    assert "Violence: not anchored" in output and "Violence: every" not in output   # 2024 is not whole here
    assert len(list((out / "store").glob("arm=*/run=*.parquet"))) == 12
    assert {p.name for p in (out / "charts").glob("*.png")} == {
        "differences.png", "displacement.png", "states.png", "violence.png", "deaths_by_year.png"}
    differences = pd.read_csv(out / "tables" / "differences.csv")
    assert set(differences["arm"]) == {"port_surge", "treatment"}
    assert (differences["diff_p05"] <= differences["diff_p50"]).all()
    assert (differences["diff_p50"] <= differences["diff_p95"]).all()


def test_the_balloon_effect_shows_where_it_happens(reference):
    out, _ = reference
    shares = pd.read_csv(out / "tables" / "displacement.csv")
    surge = shares[(shares["arm"] == "port_surge") & (shares["measure"] == "attempted crossings")]
    change = surge.set_index("place")
    assert change.loc["San Diego Field Office", "change_pp_p95"] < 0       # the surge's office loses share
    assert change.loc["Tucson Field Office", "change_pp_p05"] > 0          # its neighbour gains
    assert change.loc["between", "change_pp_p05"] > 0                      # and so does the ground between ports
    seized = pd.read_csv(out / "tables" / "differences.csv").set_index(["arm", "metric"])
    assert seized.loc[("port_surge", "border_seized_pure_kg"), "diff_p05"] > 0


def test_identical_arms_differ_by_exactly_zero(tmp_path):
    copy = tmp_path / "baseline_copy.toml"
    copy.write_text('name = "baseline_copy"\n')
    out = tmp_path / "out"
    compare_into(out, "baseline", copy, "--runs", 2, "--block-size", 2, *SHORT, "--workers", 0, "--no-charts")
    differences = pd.read_csv(out / "tables" / "differences.csv")
    assert (differences[["diff_p05", "diff_p50", "diff_p95"]] == 0).all().all()
    shares = pd.read_csv(out / "tables" / "displacement.csv")
    assert (shares[["change_pp_p05", "change_pp_p95"]].fillna(0) == 0).all().all()


def test_one_and_two_workers_give_byte_identical_results(reference, tmp_path):
    out, _ = reference
    for workers in (1, 2):
        compare_into(tmp_path / f"w{workers}", *ARGS, "--workers", workers, "--no-charts")
    assert tables_of(tmp_path / "w1") == tables_of(tmp_path / "w2") == tables_of(out)
    assert store_of(tmp_path / "w1") == store_of(tmp_path / "w2") == store_of(out)


def test_a_damaged_store_is_repaired_not_used(reference, tmp_path):
    source, _ = reference
    out = tmp_path / "damaged"
    shutil.copytree(source, out)
    truncated = out / "store" / "arm=port_surge" / "run=00001.parquet"
    truncated.write_bytes(truncated.read_bytes()[:500])                                 # a partial file
    (out / "store" / "arm=treatment" / "run=00003.parquet").unlink()                   # a missing run
    (out / "store" / "arm=treatment" / ".run=00003.parquet.999.tmp").write_bytes(b"")  # a killed write
    result = compare_into(out, *ARGS, "--workers", 0, "--no-charts")
    assert "computed 2, reused 10" in result.output and "1 corrupt or stale" in result.output
    assert tables_of(out) == tables_of(source) and store_of(out) == store_of(source)


def test_changed_inputs_make_stored_runs_stale(reference, tmp_path):
    source, _ = reference
    out = tmp_path / "reseeded"
    shutil.copytree(source, out)
    reseeded = [a if a != "5" else "6" for a in ARGS]
    refused = invoke("compare", *reseeded, "--workers", 0, "--no-charts", "--out", out)
    assert refused.exit_code == 2 and "seed 5, now 6" in refused.output and "--overwrite" in refused.output
    assert store_of(out) == store_of(source)             # nothing overwritten
    result = compare_into(out, *reseeded, "--workers", 0, "--no-charts", "--overwrite")
    assert "computed 12, reused 0 from the store (12 corrupt or stale" in result.output


def test_the_comparison_reads_back_from_its_folder(reference):
    out, _ = reference
    loaded = Comparison.load(out)
    on_disk = pd.read_csv(out / "tables" / "differences.csv")
    pd.testing.assert_frame_equal(loaded.differences.reset_index(drop=True), on_disk, check_exact=False, rtol=1e-9)
    assert loaded.reused == 12 and loaded.compared == ["port_surge", "treatment"]


def test_query_the_store_with_sql(reference):
    out, _ = reference
    counted = invoke("query", "SELECT arm, count(DISTINCT run) AS runs FROM runs GROUP BY arm ORDER BY arm",
                     "--store", out, "--csv")
    assert counted.exit_code == 0, counted.output
    assert counted.output.splitlines() == ["arm,runs", "baseline,4", "port_surge,4", "treatment,4"]
    table = invoke("query", "SELECT arm, diff_p50 FROM differences WHERE metric = 'deaths'", "--store", out)
    assert table.exit_code == 0 and "treatment" in table.output
    deaths = connect(out).sql("SELECT sum(value) FROM national WHERE metric = 'deaths' AND arm = 'baseline'")
    assert deaths.fetchall()[0][0] > 0


def test_query_leaves_damaged_files_out_and_reports_bad_sql(reference, tmp_path):
    source, _ = reference
    out = tmp_path / "q"
    shutil.copytree(source, out)
    (out / "store" / "arm=baseline" / "run=00000.parquet").write_bytes(b"not parquet")
    counted = connect(out).sql("SELECT count(DISTINCT run) FROM runs WHERE arm = 'baseline'").fetchall()[0][0]
    assert counted == 3
    bad = invoke("query", "SELEKT 1", "--store", out)
    assert bad.exit_code == 2 and "SQL error" in bad.output and "Traceback" not in bad.output
    nowhere = invoke("query", "SELECT 1", "--store", tmp_path / "nowhere")
    assert nowhere.exit_code == 2


def test_every_bundled_scenario_runs_through_compare(tmp_path):
    from fentflow.policy.scenarios import bundled_names

    names = ["baseline", *[n for n in bundled_names() if n != "baseline"]]
    out = tmp_path / "all"
    compare_into(out, *names, "--runs", 2, "--block-size", 2, *SHORT, "--workers", 0, "--no-charts")
    differences = pd.read_csv(out / "tables" / "differences.csv").set_index(["arm", "metric"])
    assert set(differences.index.get_level_values("arm")) == set(names) - {"baseline"}
    # Naloxone reverses overdoses and touches nothing upstream: with common random numbers the
    # trade is exactly unchanged, and deaths fall.
    assert differences.loc[("naloxone_saturation", "consumed_pure_kg"), "diff_p95"] == 0
    assert differences.loc[("naloxone_saturation", "deaths"), "diff_p05"] > 0
    assert differences.loc[("treatment", "people_in_treatment"), "diff_p05"] > 0


@pytest.mark.parametrize("args, words", [
    (["baseline", "nonesuch"], "no scenario 'nonesuch'"),
    (["baseline"], "at least two scenarios"),
    (["baseline", "port_surge", "--start", "2015-01-01", "--end", "2020-12-31"], "outside the simulated span"),
    (["baseline", "port_surge", "--years", "2030-2040"], "report years"),
    (["baseline", "port_surge", "--posterior", "missing.parquet"], "posterior file not found"),
])
def test_bad_input_exits_2_without_traceback(tmp_path, args, words):
    result = invoke("compare", *args, "--out", tmp_path, "--workers", 0)
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and words in result.output and "Traceback" not in result.output


def test_a_place_not_in_the_world_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[interventions]]\nkind = "port_inspection"\nstart = "2025-01-01"\nend = "2025-12-31"\n'
                   'strength = 1\nplaces = ["Atlantis"]\n')
    result = invoke("compare", "baseline", bad, *SHORT, "--out", tmp_path / "out", "--workers", 0)
    assert result.exit_code == 2 and "unknown place 'Atlantis'" in result.output
