"""Benchmark 1: one default run (2015-2030, weekly) — wall time after warm-up, peak memory, and where time goes."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import fentflow as ff
from benchmarks.measure import Measurement, median_seconds, world

START, END = "2015-01-01", "2030-12-31"
TARGET_SECONDS = 0.025
TARGET_MB = 200.0
REPO = Path(__file__).resolve().parents[1]


def measure_time(repeats: int) -> tuple[Measurement, dict[str, float]]:
    """Median wall time of one default run, `ff.Sim(world, parameters="defaults", replicates=1, seed=s).run()`
    (construction included; the target is for one run); the last run's step timings.

    CPU time is reported beside it: on a shared machine it moves less than wall time.
    """
    sims: list[ff.Sim] = []
    cpu: list[float] = []

    def one_run():
        began = time.process_time()
        sims.append(ff.Sim(world(), parameters="defaults", replicates=1, start=START, end=END, seed=len(sims)))
        sims[-1].run()
        cpu.append(time.process_time() - began)

    median, times = median_seconds(one_run, repeats, warmup=1)
    detail = (f"median of {repeats} after 1 warm-up (range {min(times) * 1e3:.0f}-{max(times) * 1e3:.0f} ms; "
              f"CPU time median {statistics.median(cpu[1:]) * 1e3:.0f} ms)")
    row = Measurement("Default run 2015-2030, weekly", median * 1e3, "ms", TARGET_SECONDS * 1e3, False, detail,
                      {"times_s": times, "cpu_s": cpu[1:], "weeks": sims[-1].calendar.n_weeks})
    return row, _profile(sims[-1].timings, times[-1])


def _profile(timings: dict[str, float], wall: float) -> dict[str, float]:
    """Seconds per step of one run, plus the time spent outside the steps (construction, the loop)."""
    steps = dict(timings)
    steps["outside the steps"] = max(wall - sum(timings.values()), 0.0)
    return steps


def measure_memory() -> Measurement:
    """Peak memory of one run in a fresh process (see memory_probe.py for the measures)."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.memory_probe", START, END], cwd=REPO,
                         capture_output=True, text=True, check=True)
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    if probe["peak_reset"]:
        figure, how = probe["run_peak_mb"], "peak RSS during the run minus RSS before it (VmHWM reset)"
    else:                                  # no /proc/self/clear_refs: fall back on Python's own tracking
        figure, how = probe["tracemalloc_peak_mb"], "tracemalloc peak (RSS peak could not be reset)"
    detail = (f"{how}; tracemalloc peak {probe['tracemalloc_peak_mb']:.0f} MB; whole process peak "
              f"{probe['process_peak_mb']:.0f} MB incl. {probe['rss_before_mb']:.0f} MB of Python, libraries and world")
    return Measurement("Peak memory, one default run", figure, "MB", TARGET_MB, False, detail, probe)
