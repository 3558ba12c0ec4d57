"""The `fentflow` command line through Typer's runner: success, bad input (exit 2, no traceback)."""
import json

from typer.testing import CliRunner

from fentflow.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_run_writes_results(tmp_path):
    result = invoke("run", "--start", "2022-01-01", "--end", "2022-06-30", "--seed", 7, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Results written to" in result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seed"] == 7
    assert summary["start"] == "2022-01-03"  # the first week whose Thursday falls on or after --start
    assert (tmp_path / "observables" / "cdc_deaths.parquet").exists()


def test_run_quiet_prints_nothing_and_profile_prints_the_step_order(tmp_path):
    quiet = invoke("run", "--start", "2022-01-01", "--end", "2022-03-31", "--out", tmp_path, "--quiet")
    assert quiet.exit_code == 0 and quiet.output.strip() == ""
    profiled = invoke("run", "--start", "2022-01-01", "--end", "2022-03-31", "--out", tmp_path, "--quiet",
                      "--profile")
    assert profiled.exit_code == 0
    for step in ("precursors", "crossing", "violence", "ledger"):
        assert step in profiled.output


def test_bad_dates_exit_2_without_traceback(tmp_path):
    result = invoke("run", "--start", "soon", "--out", tmp_path)
    assert result.exit_code == 2
    assert "error:" in result.output and "field 'start'" in result.output
    assert "Traceback" not in result.output


def test_missing_world_exits_2(tmp_path):
    result = invoke("run", "--world", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output


def test_an_out_folder_that_is_a_file_exits_2_before_any_work(tmp_path):
    taken = tmp_path / "results.txt"
    taken.write_text("kept")
    for command in (["run"], ["calibrate", "--budget", "small"], ["compare", "baseline"], ["map"]):
        result = invoke(*command, "--out", taken / "inner")
        assert result.exit_code == 2, (command, result.output)
        assert "is a file, not a folder" in result.output and "Traceback" not in result.output
    assert taken.read_text() == "kept"
