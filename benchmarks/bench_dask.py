"""Benchmark 5: an ensemble of independent runs on a local Dask cluster, 1 worker vs 2.

Each task is one full simulation (2015-2023, monthly, its own seed), the kind of task an
ensemble runs. Workers are processes with one thread each, bound to 127.0.0.1; every
worker runs a warm-up task first (imports, loading the world), so the timings are of the
ensemble alone. Parallel efficiency = T1 / (2 x T2), medians over rounds in which the two
clusters take turns.
"""
from __future__ import annotations

import contextlib
import logging
import statistics
import time
from collections.abc import Iterator, Sequence

from benchmarks.measure import Measurement

START, END = "2015-01-01", "2023-12-31"
TARGET_EFFICIENCY = 0.85
WARM_UP_SEED = 999_999


def simulate(seed: int, pars: dict | None = None) -> float:
    """One task: a simulation (a batch when `pars` holds arrays); returns its wall seconds."""
    import fentflow as ff
    from benchmarks.measure import world
    began = time.perf_counter()
    ff.Sim(world(), pars, start=START, end=END, seed=seed, resolution="month").run()
    return time.perf_counter() - began


@contextlib.contextmanager
def local_client(n_workers: int) -> Iterator:
    from dask.distributed import Client, LocalCluster
    logging.getLogger("distributed").setLevel(logging.ERROR)
    # No dashboard; the scheduler's small HTTP server takes any free port (8787 may be taken).
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
            Client(cluster) as client:
        client.wait_for_workers(n_workers)
        _warm_up(client)
        yield client


def _warm_up(client) -> None:
    """One simulation on every worker, so imports and the world's loading are not timed."""
    for address in client.scheduler_info()["workers"]:
        client.submit(simulate, WARM_UP_SEED, workers=[address], pure=False).result()


def wall_time(client, tasks: Sequence[tuple[int, dict | None]]) -> float:
    return timed_ensemble(client, tasks)[0]


def timed_ensemble(client, tasks: Sequence[tuple[int, dict | None]]) -> tuple[float, float]:
    """Wall seconds of the whole ensemble, and the mean seconds of one task inside a worker."""
    began = time.perf_counter()
    inside = client.gather(client.map(simulate, *zip(*tasks), pure=False))
    return time.perf_counter() - began, statistics.mean(inside)


def measure(n_runs: int, rounds: int) -> Measurement:
    """Both clusters stay up and take turns, so drifting load on the machine hits both alike."""
    tasks = [(seed, None) for seed in range(n_runs)]
    rounds_1, rounds_2 = [], []
    with local_client(1) as one_worker, local_client(2) as two_workers:
        for _ in range(rounds):
            rounds_1.append(timed_ensemble(one_worker, tasks))
            rounds_2.append(timed_ensemble(two_workers, tasks))
    (one, task_1), (two, task_2) = _medians(rounds_1), _medians(rounds_2)
    # A task that takes longer when two run at once means the two cores were not both free
    # (other work on the machine, shared memory bandwidth), not that Dask lost time.
    detail = (f"{n_runs} runs 2015-2023, median of {rounds} alternating rounds: 1 worker {one:.2f} s, "
              f"2 workers {two:.2f} s (speed-up x{one / two:.2f}); one task inside a worker: "
              f"{task_1:.2f} s alone, {task_2:.2f} s two at a time")
    return Measurement("Dask parallel efficiency, 1 -> 2 workers", one / (2 * two) * 100, "%",
                       TARGET_EFFICIENCY * 100, True, detail,
                       {"runs": n_runs, "t1_s": rounds_1, "t2_s": rounds_2, "task_s": [task_1, task_2]})


def _medians(rounds: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)
