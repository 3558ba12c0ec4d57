"""A calibration end to end on a tiny budget and a short span: reproducible, worker-independent,
resumable after being killed, exported to Parquet; and the `calibrate` command."""
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
import pytest
import typer
from typer.testing import CliRunner

from fentflow.calibrate import accepted
from fentflow.calibrate.budget import Budget, get_budget
from fentflow.calibrate.calibration import CalibrationSpec, _acceptance_fell, calibrate
from fentflow.calibrate.cli import calibrate_command
from fentflow.calibrate.distance import Distance
from fentflow.calibrate.posterior import parameter_columns, posterior_from_history, read_posterior
from fentflow.calibrate.priors import FITTED, fitted_parameters
from fentflow.calibrate.statistics import TargetSet
from fentflow.errors import InputError
from fentflow.sim.sources import PosteriorDraws

SHORT = TargetSet(start="2019-01-01", end="2021-12-31", data_end=2021)
TINY = get_budget("tiny")
SPEC = CalibrationSpec(TINY, seed=7, targets=SHORT)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    return calibrate(SPEC, tmp_path_factory.mktemp("tiny"), workers=0)


def test_the_posterior_is_one_weighted_row_per_particle_in_parquet(tiny_run):
    posterior = read_posterior(tiny_run.out / "posterior.parquet")
    assert len(posterior) == TINY.population
    assert parameter_columns(posterior) == list(FITTED)
    assert posterior["weight"].sum() == pytest.approx(1.0)
    assert (posterior["generation"] == TINY.generations - 1).all()
    assert np.isfinite(posterior["distance"]).all()
    PosteriorDraws.load(tiny_run.out / "posterior.parquet")      # `run`/`compare` can read it


def test_supply_growth_after_the_data_end_is_held_level_not_fitted(tiny_run):
    assert SPEC.held == {"supply_growth_2021_2023": 0.0}           # its segment, mid-2021 to mid-2023, is mostly after 2021
    assert "supply_growth_2021_2023" not in SPEC.free
    assert (tiny_run.posterior["supply_growth_2021_2023"] == 0.0).all()
    assert tiny_run.posterior["supply_growth_2019_2021"].nunique() > 1
    recorded = json.loads((tiny_run.out / "calibration.json").read_text())["spec"]
    assert recorded["held"] == {"supply_growth_2021_2023": 0.0}
    assert CalibrationSpec(TINY).held == {}                          # through 2023 every fitted rate is informed


def test_generations_tighten_epsilon_and_count_simulations(tiny_run):
    generations = tiny_run.generations
    assert list(generations["generation"]) == list(range(TINY.generations))
    assert generations["epsilon"].iloc[0] == np.inf and np.isfinite(generations["epsilon"].iloc[-1])
    assert tiny_run.simulations == generations["simulations"].sum()
    assert (generations["particles"] == TINY.population).all()


def test_same_seed_same_posterior_and_the_number_of_workers_does_not_matter(tiny_run, tmp_path):
    on_dask = calibrate(SPEC, tmp_path / "dask", workers=1)
    pd.testing.assert_frame_equal(on_dask.posterior, tiny_run.posterior)
    other_seed = calibrate(replace(SPEC, seed=8), tmp_path / "other", workers=0)
    assert not other_seed.posterior[list(FITTED)].equals(tiny_run.posterior[list(FITTED)])


def test_a_finished_calibration_is_not_rerun_and_a_different_one_is_refused(tiny_run):
    again = calibrate(SPEC, tiny_run.out, workers=0)
    assert again.resumed_from == TINY.generations
    pd.testing.assert_frame_equal(again.posterior, tiny_run.posterior)
    with pytest.raises(InputError, match="different calibration"):
        calibrate(replace(SPEC, seed=99), tiny_run.out, workers=0)


KILLED_RUN = textwrap.dedent("""
    import sys
    from fentflow.calibrate.budget import Budget
    from fentflow.calibrate.calibration import CalibrationSpec, calibrate
    from fentflow.calibrate.statistics import TargetSet
    budget = Budget("tiny", population=16, generations=4, max_simulations=10_000, min_acceptance=0.0, chunk=16,
                    predictive_draws=16)
    spec = CalibrationSpec(budget, seed=3, targets=TargetSet(start="2019-01-01", end="2021-12-31", data_end=2021))
    calibrate(spec, sys.argv[1], workers=0)
""")


def _stored_generations(db) -> int:
    try:
        with sqlite3.connect(db) as connection:
            return connection.execute("select count(*) from populations where t >= 0").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_calibration_killed_midway_resumes_to_the_same_result(tmp_path):
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN)
    interrupted, uninterrupted = tmp_path / "interrupted", tmp_path / "uninterrupted"
    process = subprocess.Popen([sys.executable, str(script), str(interrupted)])
    deadline = time.time() + 120
    while _stored_generations(interrupted / "history.db") < 1 and time.time() < deadline and process.poll() is None:
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = _stored_generations(interrupted / "history.db")
    assert 1 <= stored < 4, "the run should have been stopped after its first generation"

    namespace = {}
    exec(compile(KILLED_RUN.replace("calibrate(spec, sys.argv[1], workers=0)", ""), "spec", "exec"), namespace)
    spec = namespace["spec"]
    resumed = calibrate(spec, interrupted, workers=0)
    assert resumed.resumed_from == stored
    assert list(resumed.generations["generation"]) == [0, 1, 2, 3]
    whole = calibrate(spec, uninterrupted, workers=0)
    pd.testing.assert_frame_equal(resumed.posterior, whole.posterior)


GROWING = Budget("tiny", population=16, generations=4, max_simulations=10_000, min_acceptance=0.0, chunk=16,
                 predictive_draws=16)


def test_a_calibration_given_a_higher_cap_goes_on_from_its_history_to_the_longer_runs_result(tmp_path):
    capped = CalibrationSpec(replace(GROWING, max_simulations=20), seed=3, targets=SHORT)
    longer = replace(capped, budget=GROWING)
    short = calibrate(capped, tmp_path / "extended", workers=0)
    events = []
    extended = calibrate(longer, tmp_path / "extended", workers=0, progress=events.append)
    whole = calibrate(longer, tmp_path / "whole", workers=0)
    assert 0 < extended.resumed_from == len(short.generations) < len(whole.generations)
    assert events and all(event.earlier == short.simulations for event in events)   # the bar counts them
    pd.testing.assert_frame_equal(extended.posterior, whole.posterior)
    pd.testing.assert_frame_equal(extended.generations, whole.generations)
    assert json.loads((tmp_path / "extended" / "calibration.json").read_text())["finished"]
    with pytest.raises(InputError, match="different calibration"):       # a lower cap is another calibration
        calibrate(capped, tmp_path / "extended", workers=0)


def test_a_run_that_stopped_for_low_acceptance_is_complete_whatever_its_cap(tmp_path):
    strict = CalibrationSpec(replace(GROWING, min_acceptance=0.5), seed=1, targets=SHORT)
    first = calibrate(strict, tmp_path, workers=0)
    assert len(first.generations) == 1     # generation 1 could not accept half of its proposals: not stored
    again = calibrate(replace(strict, budget=replace(strict.budget, max_simulations=20_000)), tmp_path, workers=0)
    pd.testing.assert_frame_equal(again.generations, first.generations)
    pd.testing.assert_frame_equal(again.posterior, first.posterior)


def test_a_stored_generation_below_the_acceptance_floor_ends_the_run(tiny_run):
    # pyABC stores a generation that filled its population on its very last allowed proposal, with an
    # acceptance just under the floor, then stops: a resumed run must not sample another
    history = pyabc.History(f"sqlite:///{tiny_run.out / 'history.db'}")
    last = tiny_run.generations.iloc[-1]["acceptance"]
    assert _acceptance_fell(history, last + 0.01) and not _acceptance_fell(history, last)


def test_fresh_discards_a_stored_calibration(tiny_run, tmp_path):
    out = tmp_path / "fresh"
    calibrate(SPEC, out, workers=0)
    (out / accepted.FOLDER / "t009.parquet").write_bytes(b"a generation the fresh run does not reach")
    other = calibrate(replace(SPEC, seed=11), out, workers=0, resume=False)
    assert other.resumed_from == 0
    assert not (out / accepted.FOLDER / "t009.parquet").exists()
    assert json.loads((out / "calibration.json").read_text())["spec"]["seed"] == 11


def test_the_history_stores_no_statistics_and_the_accepted_particles_keep_theirs(tiny_run):
    """pyABC's history writes a row per statistic per particle (27 s a generation of the default budget):
    it stores none, and each generation's accepted particles keep theirs beside it (`accepted.py`),
    found again by their parameters: each particle's statistics give the distance the history holds."""
    history = pyabc.History(f"sqlite:///{tiny_run.out / 'history.db'}")
    particles = history.get_population(t=history.max_t).particles
    assert all(particle.sum_stat == {} for particle in particles)
    assert sorted(p.name for p in (tiny_run.out / accepted.FOLDER).iterdir()) == [
        f"t{t:03d}.parquet" for t in range(history.max_t + 1)]
    statistics = accepted.statistics(history, history.max_t, particles)
    distance = Distance(SHORT, fitted_parameters(SPEC.free))
    distance.initialize(0, lambda: None, SHORT.observed, 0)
    for particle, (_, row) in zip(particles, statistics.iterrows()):
        recomputed = distance(row.to_dict(), SHORT.observed, history.max_t, particle.parameter)
        assert recomputed == pytest.approx(particle.distance, rel=1e-12)


def test_a_history_without_its_accepted_particles_is_an_error_naming_the_file(tiny_run, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "history.db").write_bytes((tiny_run.out / "history.db").read_bytes())
    history = pyabc.History(f"sqlite:///{copy / 'history.db'}")
    with pytest.raises(InputError, match=r"t001\.parquet.*is missing"):
        posterior_from_history(history, fitted_parameters(SPEC.free), targets=SHORT)


# The command ---------------------------------------------------------------------------------------

def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("calibrate")(calibrate_command)
    app.command("noop")(lambda: None)     # two commands, so the command name is required as in fentflow
    return app


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "calibration"
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--workers", "0", "--out", str(out),
                                         "--start", "2019-01-01", "--data-through", "2021", "--draws", "8",
                                         "--seed", "2", "--quiet"])
    return out, result


def test_the_command_writes_posterior_predictive_bands_and_seizure_shares(cli_run):
    out, result = cli_run
    assert result.exit_code == 0, result.output
    assert "Seizure share" in result.output and "RAND" in result.output
    for name in ("posterior.parquet", "posterior_summary.csv", "marginals.png", "seizure_share.csv",
                 "seizure_share.png", "national.csv", "summary.json", "history.db", "predictive/errors.csv",
                 "predictive/cdc_synthetic_deaths.png", "predictive/cbp_sw_component_lb.png"):
        assert (out / name).is_file(), name
    shares = pd.read_csv(out / "seizure_share.csv")
    assert set(shares["component"]) == {"port", "between", "all"} and set(shares["measure"]) == {"pure", "gross"}
    assert set(shares["year"]) == {2019, 2020, 2021, 2022, 2023}       # predicted through 2023
    ordered = shares[["p05", "p25", "median", "p75", "p95"]].to_numpy()
    assert (np.diff(ordered, axis=1) >= -1e-12).all() and ((ordered >= 0) & (ordered <= 1)).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["draws"] == 8 and summary["rand_2021"]["bound_t"] == 10.0


def test_predictions_past_the_fitted_years_start_violence_from_the_last_fitted_count(tmp_path, monkeypatch):
    import fentflow.calibrate.run as calibrate_run

    asked = []
    real = calibrate_run.posterior_predictive
    monkeypatch.setattr(calibrate_run, "posterior_predictive",
                        lambda *args, **kwargs: asked.append(kwargs["anchor_year"]) or real(*args, **kwargs))
    calibrate_run.calibrate_and_report("tiny", tmp_path, workers=0, seed=2, data_through=2021, start="2019-01-01",
                                       draws=4)
    assert asked == [2021]


SHIP = [sys.executable, str(Path(__file__).resolve().parents[1] / "scripts" / "ship_calibration.py")]


def test_a_finished_calibration_ships_as_package_data_with_its_provenance(cli_run, tmp_path):
    out, _ = cli_run
    data, images = tmp_path / "data", tmp_path / "img"
    done = subprocess.run([*SHIP, str(out), "--data-dir", str(data), "--images-dir", str(images)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    PosteriorDraws.load(data / "posterior.parquet")
    pd.testing.assert_frame_equal(pd.read_csv(data / "seizure_share.csv"), pd.read_csv(out / "seizure_share.csv"))
    readme = (data / "README.md").read_text()
    assert "fentflow calibrate --budget tiny --seed 2" in readme and "--data-through 2021" in readme
    assert "effective sample size" in readme
    assert (images / "seizure_share.png").is_file() and (data / "predictive_errors.csv").is_file()


def test_max_simulations_replaces_the_budgets_cap_and_the_shipped_command_says_so(cli_run, tmp_path):
    out = tmp_path / "capped"
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--workers", "0", "--out", str(out),
                                         "--start", "2019-01-01", "--data-through", "2021", "--draws", "4",
                                         "--seed", "2", "--max-simulations", "10", "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "calibration.json").read_text())["spec"]["budget"]["max_simulations"] == 10
    capped, full = (pd.read_csv(folder / "generations.csv") for folder in (out, cli_run[0]))
    assert len(capped) < len(full)                   # stopped after the generation that reached 10 simulations
    done = subprocess.run([*SHIP, str(out), "--data-dir", str(tmp_path / "d"), "--images-dir", str(tmp_path / "i")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "--data-through 2021 --max-simulations 10 --out" in (tmp_path / "d" / "README.md").read_text()
    refused = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--max-simulations", "0", "--quiet"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output


def test_an_unfinished_calibration_is_not_shipped(tmp_path):
    (tmp_path / "calibration.json").write_text(json.dumps({"spec": {}, "finished": False}))
    done = subprocess.run([*SHIP, str(tmp_path), "--data-dir", str(tmp_path / "d"), "--images-dir",
                           str(tmp_path / "i")], capture_output=True, text=True)
    assert done.returncode == 2 and "not finished" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "d").exists()


def test_the_command_reports_bad_input_in_one_line():
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "huge", "--workers", "0"])
    assert result.exit_code == 2
    assert "budget" in result.output and "Traceback" not in result.output


def test_an_unreachable_scheduler_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setattr("fentflow.ensemble.execute.CONNECT_TIMEOUT", "2s")
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--scheduler", "tcp://127.0.0.1:9",
                                         "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 2
    assert "scheduler" in result.output
