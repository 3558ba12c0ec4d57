"""Where chunks run: in this process, on a local Dask cluster (127.0.0.1 only) or on a user's cluster.

`Executor.ordered(fn, tasks)` yields `fn(task)` in the order of `tasks`, keeping a few tasks
in flight per worker; tasks are pulled from the iterator only when a slot frees up, so a
caller can stop early (a generation that has its particles) and the rest is cancelled. An
iterator may also yield `HOLD` to say "enough is in flight for now"; it is asked again after the
next result.
Results never depend on which worker ran what: tasks are pure and carry their own seeds.

- `scheduler="tcp://host:port"`: an existing cluster; its workers need fentflow installed.
- `workers=0`: no Dask, tasks run here one after another (tests, debugging).
- otherwise a `LocalCluster` of `workers` single-threaded processes on 127.0.0.1, no dashboard
  (the one cluster helper of the package, `ensemble.execute.dask_client`).
"""
from __future__ import annotations

import collections
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator

from fentflow.ensemble.execute import dask_client, quiet_on_interrupt

log = logging.getLogger(__name__)

HOLD = object()            # a task iterator yields this for "nothing more to submit for now"
EXTRA_IN_FLIGHT = 1        # tasks queued per worker beyond the one it runs, so no worker idles


class Executor:
    """Ordered, lazily fed map over a Dask client, or in this process when `client` is None."""

    def __init__(self, client=None):
        self.client = client

    @property
    def n_workers(self) -> int:
        if self.client is None:
            return 1
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def describe(self) -> str:
        if self.client is None:
            return "this process"
        return f"Dask at {self.client.scheduler.address} ({self.n_workers} workers)"

    def ordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        if self.client is None:
            return (fn(task) for task in tasks if task is not HOLD)
        return self._ordered_on_dask(fn, iter(tasks))

    def _ordered_on_dask(self, fn: Callable, tasks: Iterator) -> Iterator:
        in_flight = collections.deque()
        slots = self.n_workers * (1 + EXTRA_IN_FLIGHT)
        try:
            while True:
                while len(in_flight) < slots:
                    task = next(tasks, None)
                    if task is None or task is HOLD:
                        break
                    in_flight.append(self.client.submit(fn, task, key=f"fentflow-calibrate-{uuid.uuid4().hex}",
                                                        pure=False))
                if not in_flight:
                    return
                yield in_flight.popleft().result()
        finally:
            if in_flight:
                self.client.cancel(list(in_flight))


@contextlib.contextmanager
def open_executor(workers: int = 2, scheduler: str | None = None) -> Iterator[Executor]:
    """An `Executor` for the duration of a calibration (a local cluster is closed afterwards)."""
    if scheduler is None and workers == 0:
        yield Executor(None)
        return
    with quiet_on_interrupt(), dask_client(workers, scheduler) as client:
        yield Executor(client)
