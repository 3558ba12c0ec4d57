"""A first run compiles the step kernels in two processes (`sim/warmup.py`): the week runs as
plain Python with the same results, the helper compiles only its steps, and one process
compiles at a time."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

import fentflow as ff
from fentflow.sim import compile_cache, fused, warmup


def _sim() -> ff.Sim:
    return ff.Sim(parameters="defaults", replicates=2, seed=3, start="2019-01-01", end="2019-03-31")


def test_named_steps_become_runs_of_consecutive_step_numbers():
    names = [m.name for m in fused.MODULES]
    assert warmup.segments(["crossing", "distribution"]) == [(3, 5)]
    assert warmup.segments(["production", "crossing", "distribution"]) == [(1, 2), (3, 5)]
    assert warmup.segments([n for n in names if n not in ("production", "crossing", "distribution")]) == \
        [(0, 1), (2, 3), (5, 9)]
    assert warmup.segments(names) == [(0, len(names))]


def test_the_week_run_as_python_matches_the_compiled_week():
    compiled, python = _sim(), _sim()
    for week in range(6):
        fused.run_weeks(*compiled.week_arguments(week, week + 1, 0, fused.N_STEPS))
        for lo, hi in warmup.segments([m.name for m in fused.MODULES]):
            fused.run_weeks.py_func(*python.week_arguments(week, week + 1, lo, hi))
    for name, values in compiled.results.data.items():
        np.testing.assert_array_equal(values, python.results.data[name], err_msg=name)
    np.testing.assert_array_equal(compiled.ledger.arrays.seized, python.ledger.arrays.seized)


def test_the_helper_compiles_only_the_steps_it_is_given(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "fentflow.sim.warmup", "adaptation"], env=env, check=True, timeout=300)
    compiled = {path.name.split("-")[0] for path in tmp_path.glob("*/*.nbi")}
    assert "adaptation.adaptation_step" in compiled
    assert not {"market.market_step", "crossing.crossing_step", "fused.run_weeks"} & compiled


def test_only_a_process_that_finds_nothing_compiled_compiles_and_only_once(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(compile_cache, "cache_folder", lambda: tmp_path)
    monkeypatch.setattr(warmup, "compile_week", calls.append)
    monkeypatch.setattr(compile_cache, "kernels_cached", lambda: True)
    monkeypatch.setattr(warmup, "_prepared", False)
    warmup.prepare("world")
    assert calls == []
    monkeypatch.setattr(compile_cache, "kernels_cached", lambda: False)
    monkeypatch.setattr(warmup, "_prepared", False)
    warmup.prepare("world")
    warmup.prepare("world")
    assert calls == ["world"]
    assert (tmp_path / ".lock").read_text() == str(os.getpid())


def test_a_cache_it_cannot_write_leaves_the_week_to_compile_in_one_process(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(compile_cache, "cache_folder", lambda: tmp_path / "file" / "cache")
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr(warmup, "compile_week", calls.append)
    monkeypatch.setattr(compile_cache, "kernels_cached", lambda: False)
    monkeypatch.setattr(warmup, "_prepared", False)
    warmup.prepare("world")
    assert calls == []


def test_without_a_second_process_the_week_compiles_every_kernel_itself(monkeypatch):
    ran_as_python = []
    monkeypatch.setattr(warmup, "_cores", lambda: 1)
    monkeypatch.setattr(warmup, "run_as_python", lambda sim, steps: ran_as_python.append(steps))
    warmup.compile_week(ff.World.load())        # compiled already in this process: loads, runs a week
    assert ran_as_python == []


def test_a_cache_under_numba_cache_dir_is_found_one_folder_down(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert compile_cache.cache_folder() == tmp_path
    assert not compile_cache.kernels_cached()
    (tmp_path / "sim_0123").mkdir()
    (tmp_path / "sim_0123" / "fused.run_weeks-50.py311.nbi").write_text("index")
    assert compile_cache.kernels_cached()
