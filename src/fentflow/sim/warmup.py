"""A first run compiles the step kernels in two processes at once.

The first run on a machine compiles the nine step kernels, then the week that calls them
(`fused.run_weeks`): about 25 s, on one core, since numba compiles in one thread. The kernels
do not call one another, and numba's on-disk cache lets a process load what another compiled.
So a first run starts a second process that compiles two kernels (`HELPER_STEPS`) while this
one compiles the other seven; the week then loads all nine from the cache and compiles only
itself (about 18 s on 2 cores; `make bench` row 9).

A process compiles a set of kernels without stating their arguments a second time: it runs
the week as plain Python (`run_weeks.py_func`), steps lo..hi-1 of the first week of a small
throwaway run, and each kernel it calls compiles for the very types the compiled week passes.

One process compiles at a time: a lock beside the cache makes the others (Dask's workers,
commands started together) wait, then load what it compiled.

    python -m fentflow.sim.warmup crossing distribution    # what the second process runs
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fentflow.interrupts import children_ignore_interrupts
from fentflow.sim import compile_cache, fused

HELPER_STEPS = ("crossing", "distribution")   # about as long to compile as the other seven together

_prepared = False   # this process has compiled the week, or found it compiled


def prepare(world) -> None:
    """Before this process's first compiled week: compile the week in two processes if no process has."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    folder = compile_cache.cache_folder()
    if compile_cache.kernels_cached() or not _writable(folder):   # read-only: numba caches elsewhere, and
        return                                                    # the week compiles here, in one process
    from fentflow.ensemble.lock import store_lock   # here: the ensemble package takes 0.7 s to import
    with store_lock(folder, wait=True):
        if not compile_cache.kernels_cached():    # not compiled by a process we waited for
            compile_week(world)


def compile_week(world) -> None:
    """Compile the step kernels, `HELPER_STEPS` in a second process and the rest here, then the week."""
    sim, helper = _throwaway(world), _start_helper()
    if helper is not None:               # else the week compiles every kernel, here
        try:
            run_as_python(sim, [m.name for m in fused.MODULES if m.name not in HELPER_STEPS])
            helper.wait()                # if it failed, the week compiles the kernels it left
        except BaseException:
            helper.kill()
            raise
    fused.run_weeks(*sim.week_arguments(0, 1, 0, fused.N_STEPS))


def run_as_python(sim, steps: list[str]) -> None:
    """Run the named steps of `sim`'s first week as plain Python: each one's kernel compiles (or loads from
    the cache) for the types the compiled week passes it. The run's numbers do not matter, only their types."""
    for lo, hi in segments(steps):
        fused.run_weeks.py_func(*sim.week_arguments(0, 1, lo, hi))


def segments(steps: list[str]) -> list[tuple[int, int]]:
    """The named steps as runs of consecutive step numbers (lo, hi), in step order."""
    numbers = [k for k, module in enumerate(fused.MODULES) if module.name in steps]
    runs: list[tuple[int, int]] = []
    for k in numbers:
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs


def _start_helper() -> subprocess.Popen | None:
    """The second process, compiling `HELPER_STEPS`; None on one core, or where no process can start."""
    if _cores() < 2 or not sys.executable:
        return None
    try:
        with children_ignore_interrupts():    # a Ctrl-C meanwhile reaches this process; the helper finishes
            return subprocess.Popen([sys.executable, "-m", __name__, *HELPER_STEPS], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # not Linux
        return os.cpu_count() or 1


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _throwaway(world):
    from fentflow.sim.engine import Sim   # the engine calls this module
    return Sim(world, parameters="defaults", replicates=1, start="2019-01-01", end="2019-01-31")


if __name__ == "__main__":
    from fentflow.world import World
    run_as_python(_throwaway(World.load()), sys.argv[1:])
