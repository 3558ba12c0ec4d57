"""One parameter story: every command and `ff.Sim` default to the shipped posterior and the same
replicate count, say where their parameters came from, and tell the same numbers."""
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import fentflow as ff
from fentflow.cli import app
from fentflow.errors import InputError
from fentflow.sim.pars import PAR_BY_NAME
from fentflow.sim.sources import (DEFAULT_REPLICATES, MIN_INTERVAL_RUNS, PosteriorDraws, interval_warning,
                                          parameter_source)

runner = CliRunner()
SHORT = {"start": "2021-01-01", "end": "2021-03-31"}


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def posterior_file(tmp_path_factory):
    """A user's own posterior: three unweighted draws of two parameters."""
    path = tmp_path_factory.mktemp("posterior") / "mine.parquet"
    pd.DataFrame({"supply_kg_week_2023": [100.0, 150.0, 200.0], "overdose_hazard": [
        PAR_BY_NAME["overdose_hazard"].default] * 3}).to_parquet(path)
    return path


def test_the_default_replicate_count_backs_a_90_percent_interval():
    assert DEFAULT_REPLICATES >= MIN_INTERVAL_RUNS >= 20
    assert interval_warning(DEFAULT_REPLICATES) is None
    assert "3 runs" in interval_warning(3)


def test_sim_defaults_to_the_shipped_posterior_and_the_default_replicates():
    sim = ff.Sim(**SHORT)
    assert sim.n_reps == DEFAULT_REPLICATES
    assert "posterior draws" in sim.parameter_source and "posterior.parquet" in sim.parameter_source
    assert len(set(sim.parameter_draws)) > 1 and min(sim.parameter_draws) >= 0
    shipped = parameter_source("calibrated")
    np.testing.assert_allclose(sim.pars["supply_kg_week_2023"],
                               shipped.values(range(DEFAULT_REPLICATES), 0)["supply_kg_week_2023"])


def test_sim_takes_defaults_a_path_or_explicit_values(posterior_file):
    defaults = ff.Sim(parameters="defaults", replicates=2, **SHORT)
    assert defaults.parameter_source.startswith("default parameters") and defaults.parameter_draws == [-1, -1]
    assert (defaults.pars["supply_kg_week_2023"] == PAR_BY_NAME["supply_kg_week_2023"].default).all()
    mine = ff.Sim(parameters=posterior_file, replicates=4, **SHORT)
    assert list(mine.pars["supply_kg_week_2023"]) == [100.0, 150.0, 200.0, 100.0]
    assert str(posterior_file) in mine.parameter_source
    explicit = ff.Sim(pars={"supply_kg_week_2023": 120.0}, **SHORT)
    assert explicit.n_reps == 1 and explicit.parameter_source == "explicit parameter values"
    batch = ff.Sim(pars=ff.Pars({"supply_kg_week_2023": [100.0, 120.0]}), **SHORT)
    assert batch.n_reps == 2


@pytest.mark.parametrize("kwargs, field", [
    ({"pars": {"supply_kg_week_2023": 120.0}, "parameters": "defaults"}, "parameters"),
    ({"replicates": 0}, "replicates"),
    ({"pars": ff.Pars(None, n_reps=2), "replicates": 3}, "replicates"),
    ({"parameters": "no-such-posterior.parquet"}, None),
])
def test_sim_rejects_contradictory_or_missing_parameters(kwargs, field):
    with pytest.raises(InputError) as raised:
        ff.Sim(**SHORT, **kwargs)
    assert field is None or raised.value.field == field


def test_run_and_claims_tell_the_same_story_for_2021_deaths(tmp_path):
    run = invoke("run", "--end", "2021-12-31", "--out", tmp_path, "--quiet")
    assert run.exit_code == 0, run.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["replicates"] == DEFAULT_REPLICATES and summary["parameter_choice"] == "calibrated"
    assert "posterior draws" in summary["parameter_source"]
    claims = invoke("claims", "--claim", "C5", "--json")
    assert claims.exit_code == 0, claims.output
    model_row = next(row for row in json.loads(claims.output) if row["check"].startswith("fentflow"))
    run_deaths = f"{summary['calendar_years']['2021']['deaths']:,.0f}"
    assert f"T40.4 deaths: {run_deaths} (5-95% over {DEFAULT_REPLICATES} replicates" in model_row["fentflow"]


def test_claims_parameters_reach_c8(posterior_file):
    shipped = invoke("claims", "--claim", "C8", "--json")
    mine = invoke("claims", "--claim", "C8", "--json", "--parameters", posterior_file, "--replicates", 3)
    assert shipped.exit_code == 0 and mine.exit_code == 0, mine.output
    shipped_rows, my_rows = json.loads(shipped.stdout), json.loads(mine.stdout)     # the warning is on stderr
    assert all("posterior draws" in row["fentflow"] for row in shipped_rows)
    assert all("3 runs" in row["fentflow"] for row in my_rows)
    assert [row["numbers"]["median"] for row in my_rows] != [row["numbers"]["median"] for row in shipped_rows]


def test_few_replicates_warn_that_the_interval_is_rough(tmp_path):
    result = invoke("run", *sum(([f"--{k}", v] for k, v in SHORT.items()), []), "--replicates", 3,
                    "--out", tmp_path, "--quiet")
    assert result.exit_code == 0
    assert "warning: 3 runs behind each 90% interval" in result.output
    again = invoke("run", *sum(([f"--{k}", v] for k, v in SHORT.items()), []), "--out", tmp_path, "--quiet")
    assert "warning" not in again.output


def test_every_interval_command_defaults_to_the_same_replicates():
    import inspect

    from fentflow.calibrate.fitcheck_cli import fit_check_command
    from fentflow.claims.cli import claims_command
    from fentflow.cli import run
    from fentflow.ensemble.cli import compare_command
    from fentflow.risk.cli import map_command

    for command, option in ((run, "replicates"), (claims_command, "replicates"), (fit_check_command, "replicates"),
                            (map_command, "replicates"), (compare_command, "runs")):
        assert inspect.signature(command).parameters[option].default.default == DEFAULT_REPLICATES, command


def test_parameter_source_passes_a_source_through(posterior_file):
    source = PosteriorDraws.load(posterior_file)
    assert parameter_source(source) is source and not source.is_shipped
    assert parameter_source("calibrated").is_shipped


def test_a_sim_remembers_the_choice_that_gives_its_parameters_back(posterior_file):
    assert ff.Sim(**SHORT, replicates=1).parameter_choice == "calibrated"
    assert ff.Sim(**SHORT, replicates=1, parameters="defaults").parameter_choice == "defaults"
    assert ff.Sim(**SHORT, replicates=1, parameters=posterior_file).parameter_choice == str(posterior_file)
    assert ff.Sim(**SHORT, pars={"supply_kg_week_2023": 120.0}).parameter_choice is None
