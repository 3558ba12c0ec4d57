"""What the commands show: progress with the time left, tables that fit 80 columns without cutting
a name, quiet Dask, and a Python API whose every public name has an example and clear errors."""
import io
import logging

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

import fentflow as ff
from fentflow.cli import app
from fentflow.clikit import staged_progress
from fentflow.errors import InputError
from fentflow.tables import Column, print_fitting, print_stacked

runner = CliRunner()
WIDTH = 80


def terminal(width: int = WIDTH) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, force_terminal=True, color_system=None, highlight=False), buffer


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


# Progress --------------------------------------------------------------------------------------

def test_staged_progress_shows_the_stage_and_the_time_left_weighted_by_expected_time():
    console, buffer = terminal(100)
    with staged_progress(console, [("simulating", 1.0), ("scoring", 4.0)]) as report:
        report("simulating the baseline", 1.0)
        report("scoring the states", 0.5)          # 1 + 4 x 0.5 of 5: 60%
    shown = buffer.getvalue()                      # the last frame is drawn before the bar is cleared
    assert "scoring the states" in shown and "60%" in shown and "left" in shown


def test_quiet_progress_shows_nothing():
    console, buffer = terminal()
    with staged_progress(console, [("simulating", 1.0)], quiet=True) as report:
        report("simulating the baseline", 1.0)
    assert buffer.getvalue() == ""


def test_calibration_progress_counts_every_generation_against_the_budget():
    from fentflow.calibrate.budget import get_budget
    from fentflow.calibrate.cli import CalibrationProgress
    from fentflow.calibrate.sampler import Progress as Event

    display = CalibrationProgress(False, get_budget("small"))
    update = display.__enter__()
    try:
        update(Event(t=0, accepted=150, needed=150, evaluated=300, epsilon=float("inf")))
        update(Event(t=1, accepted=40, needed=150, evaluated=500, epsilon=2.0))
        overall = display.bar.tasks[0]
        assert overall.total == get_budget("small").max_simulations and overall.completed == 800
        assert any(isinstance(column, type(display.bar.columns[-1])) for column in display.bar.columns)
        assert type(display.bar.columns[-1]).__name__ == "TimeRemainingColumn"
    finally:
        display.__exit__(None, None, None)


def test_a_calibration_run_longer_counts_the_simulations_it_goes_on_from():
    from fentflow.calibrate.budget import get_budget
    from fentflow.calibrate.cli import CalibrationProgress
    from fentflow.calibrate.sampler import Progress as Event

    display = CalibrationProgress(False, get_budget("default", 50_000))
    update = display.__enter__()
    try:
        update(Event(t=9, accepted=100, needed=400, evaluated=2_000, epsilon=7.8, earlier=22_609))
        assert display.bar.tasks[0].completed == 24_609 and display.bar.tasks[0].total == 50_000
    finally:
        display.__exit__(None, None, None)


DASK_SCRIPT = """
import logging
from fentflow.calibrate.executor import open_executor
from fentflow.ensemble.execute import dask_client
for helper in (open_executor, dask_client):
    with helper(1, None):
        # what the nanny logs when a worker is slow to stop, as comparisons and calibrations end
        logging.getLogger("distributed.nanny").warning("Worker process still alive after 4.0 seconds, killing")
print("done")
"""


def test_dask_warnings_do_not_reach_the_user():
    # A subprocess: Dask installs its console handlers only where logging is not configured (not under pytest).
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    done = subprocess.run([sys.executable, "-c", DASK_SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0 and "done" in done.stdout, done.stderr
    assert "still alive" not in done.stderr, done.stderr


# Tables at 80 columns ----------------------------------------------------------------------------

def test_a_wide_table_is_split_by_whole_columns_with_its_key_repeated():
    console, buffer = terminal()
    names = ["cbp_sw_component_events", "cdc_synthetic_deaths"]
    columns = [Column("series", "left")] + [Column(f"measure {i}") for i in range(10)]
    print_fitting(console, "Errors", columns, [[name, *(f"{i * 1234.5:,.1f}" for i in range(10))] for name in names])
    shown = lines_of(buffer.getvalue())
    assert max(map(len, shown)) <= WIDTH and "…" not in buffer.getvalue()
    assert sum("cbp_sw_component_events" in line for line in shown) >= 2        # one per part
    for i in range(10):
        assert f"measure {i}" in buffer.getvalue()


def test_stacked_items_keep_long_names_whole():
    console, buffer = terminal()
    long_source = "assumption: " + "words that wrap " * 20
    print_stacked(console, "parameters", [("a_rather_long_parameter_name_2023", [("source", long_source)])])
    shown = lines_of(buffer.getvalue())
    assert "a_rather_long_parameter_name_2023" in shown and max(map(len, shown)) <= WIDTH


@pytest.mark.parametrize("command", [["params"], ["scenarios"]])
def test_listing_commands_fit_80_columns_and_never_cut_a_name(command, monkeypatch):
    import fentflow.cli as cli
    import fentflow.ensemble.cli as ensemble_cli
    from fentflow.policy.scenarios import bundled_names
    from fentflow.sim.pars import PARAMETERS

    for module in (cli, ensemble_cli):
        monkeypatch.setattr(module, "console", Console(width=WIDTH, highlight=False, force_terminal=False))
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert max(map(len, lines_of(result.output))) <= WIDTH and "…" not in result.output
    names = [p.name for p in PARAMETERS] if command == ["params"] else bundled_names()
    for name in names:
        assert name in result.output, name


def test_params_csv_is_a_whole_table():
    result = runner.invoke(app, ["params", "--csv"])
    table = pd.read_csv(io.StringIO(result.output))
    assert list(table.columns) == ["name", "default", "unit", "prior", "source", "primary_url"]
    assert len(table) == len(ff.PARAMETERS)


def test_fit_check_table_fits_80_columns(monkeypatch):
    from fentflow.calibrate import fitcheck_cli

    console, buffer = terminal()
    monkeypatch.setattr(fitcheck_cli, "console", console)
    errors = pd.DataFrame([{"series": "cbp_sw_component_events", "unit": "events", "n": 10, "mean_ratio": 0.9,
                            "male": 0.6, "male_chance": 0.3, "rmse": 198.0, "nrmse": 0.4, "corr": 0.9, "coverage_90": 0.9, "bounds": 1,
                            "bounds_met": 1}])
    fitcheck_cli._print_fit_errors(errors, 0, 20)
    text = buffer.getvalue()
    assert max(map(len, lines_of(text))) <= WIDTH and "…" not in text
    for header in ("mean ratio", "MALE", "by chance", "RMSE", "NRMSE", "corr", "in 5-95%", "bounds met", "cbp_sw_component_events"):
        assert header in text


# The Python API ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Sim", "World", "Pars", "Intervention", "observables", "aggregate", "convert",
                                  "load_scenario", "write_outputs"])
def test_every_public_name_has_a_docstring_with_an_example(name):
    doc = getattr(ff, name).__doc__ or ""
    assert "Example::" in doc and "ff." in doc, name


def test_results_has_a_docstring_with_an_example():
    from fentflow.sim.results import Results
    assert "Example::" in Results.__doc__


def test_intervention_lists_every_lever_kind():
    from fentflow.policy.interventions import LEVER_KINDS
    for kind, lever in LEVER_KINDS.items():
        assert f"| {kind} | {lever.effect} |" in ff.Intervention.__doc__


@pytest.fixture(scope="module")
def results():
    return ff.Sim(start="2022-01-01", end="2022-02-28", parameters="defaults", replicates=1).run()


def test_wrong_names_raise_input_errors_with_the_closest_match(results):
    with pytest.raises(InputError, match="did you mean 'deaths'"):
        ff.aggregate(results, "deahts")
    with pytest.raises(InputError, match="period must be one of"):
        ff.aggregate(results, "deaths", period="week")
    with pytest.raises(InputError, match="did you mean 'deaths'"):
        results["death"]
    with pytest.raises(InputError, match="no place kind named 'crosing'; did you mean 'crossing'"):
        results.frame("crosing")
    with pytest.raises(InputError, match="did you mean 'overdose_hazard'"):
        ff.Pars({"overdose_hazzard": 1e-4})
    with pytest.raises(InputError, match="unknown intervention 'port_inspections'"):
        ff.Intervention("port_inspections", "2025-01-01", "2025-12-31", 1.0)


def test_scenarios_csv_lists_every_bundled_scenario_and_a_scenarios_levers():
    from fentflow.policy.scenarios import bundled_names

    listing = pd.read_csv(io.StringIO(runner.invoke(app, ["scenarios", "--csv"]).output))
    assert list(listing["name"]) == bundled_names()
    levers = pd.read_csv(io.StringIO(runner.invoke(app, ["scenarios", "port_surge", "--csv"]).output))
    assert list(levers.columns[:4]) == ["kind", "start", "end", "strength"] and (levers["kind"] == "port_inspection").all()


def test_the_report_plans_a_stage_for_every_section():
    from fentflow.report.build import STAGES, _section_name
    from fentflow.report.sections import ORDER

    planned = [name for name, _ in STAGES]
    assert [f"section: {_section_name(module)}" for module in ORDER] == [p for p in planned if p.startswith("section")]
