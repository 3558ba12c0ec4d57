"""Benchmarks 8 and 9: the stepped path against the fused loop, and the first run's compile time.

8. A step order with plain-Python modules inserted, or `sim.step(week)` by hand, runs the
   compiled week in segments, one week at a time. The figure is the ratio of a default run
   stepped week by week to the same run in one fused call (medians after a warm-up). Its
   detail splits what stepping adds: the same run with the compiled week called directly once
   a week (what numba's unpacking of the week's arrays costs); the rest is `sim.step`'s own
   bookkeeping.
9. A newcomer's first command compiles the simulation kernels. Measured as two fresh
   processes that make the same short run: one with an empty numba cache (`NUMBA_CACHE_DIR`
   pointing at a new folder, so every kernel compiles), one with the cache that compile left;
   the figure is the difference, so Python's start and fentflow's imports cancel out.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import fentflow as ff
from benchmarks.measure import Measurement, median_seconds, seconds, world
from fentflow.sim import fused
from fentflow.sim.dispatch import Resolved

TARGET_COMPILE_SECONDS = 20.0
TARGET_STEPPED_RATIO = 1.5
START, END = "2015-01-01", "2030-12-31"
REPO = Path(__file__).resolve().parents[1]
SHORT_RUN = ("import fentflow as ff; "
             "ff.Sim(parameters='defaults', replicates=1, start='2019-01-01', end='2019-01-31').run()")


def measure_compile() -> Measurement:
    """Seconds to compile every kernel from nothing (cold process minus warm process, same run)."""
    with tempfile.TemporaryDirectory(prefix="fentflow-numba-") as cache:
        env = {"NUMBA_CACHE_DIR": cache}
        cold = seconds(lambda: _python(SHORT_RUN, env))
        warm = seconds(lambda: _python(SHORT_RUN, env))
    detail = f"fresh process, empty numba cache {cold:.1f} s; same with the cache it left {warm:.1f} s"
    return Measurement("First run, compiling from nothing", cold - warm, "s", TARGET_COMPILE_SECONDS, False, detail,
                       {"cold_s": cold, "warm_s": warm})


def _python(code: str, env: dict[str, str]) -> None:
    import os
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ, **env}, check=True,
                   capture_output=True)


def measure_stepped(repeats: int) -> Measurement:
    """A default run stepped week by week against the same run in one fused call."""
    def new_sim() -> ff.Sim:
        return ff.Sim(world(), parameters="defaults", replicates=1, start=START, end=END)

    def fused_run():
        new_sim().run()

    def stepped():
        sim = new_sim()
        for week in range(sim.calendar.n_weeks):
            sim.step(week)

    def called_directly():
        sim, week_call = new_sim(), Resolved(fused.run_weeks)
        for week in range(sim.calendar.n_weeks):
            week_call(*sim.week_arguments(week, week + 1, 0, fused.N_STEPS))

    fused_s, _ = median_seconds(fused_run, repeats)
    stepped_s, _ = median_seconds(stepped, repeats)
    direct_s, _ = median_seconds(called_directly, repeats)
    detail = (f"median of {repeats} after a warm-up: stepped {stepped_s * 1e3:.0f} ms, fused {fused_s * 1e3:.0f} ms; "
              f"the compiled week called once a week {direct_s * 1e3:.0f} ms")
    return Measurement("Stepped path / fused loop, default run", stepped_s / fused_s, "x", TARGET_STEPPED_RATIO,
                       False, detail, {"stepped_s": stepped_s, "fused_s": fused_s, "direct_s": direct_s})
