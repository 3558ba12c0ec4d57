"""Run block tasks: in this process, on a local Dask cluster (127.0.0.1 only) or on a user's cluster.

`execute(tasks, on_result, workers=, scheduler=)` calls `on_result(task, table)` in this
process as each task finishes, in completion order; the caller writes each result at once, so
an interrupted comparison keeps everything finished before the interruption. Which worker
computes a task never changes its result (tasks are pure), so 1 or 20 workers give the same
store.

- `scheduler="tcp://host:port"`: an existing cluster (`dask scheduler` + `dask worker`);
  its workers need fentflow installed; results come back to this process to be written.
- `workers=0`: no Dask at all, tasks run here one after another (debugging, claim checks).
- otherwise: a `LocalCluster` of `workers` single-threaded worker processes bound to 127.0.0.1,
  no dashboard, closed when done.
"""
from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence

import pandas as pd

from fentflow.ensemble.run import BlockTask, run_block
from fentflow.errors import InputError
from fentflow.interrupts import children_ignore_interrupts

log = logging.getLogger(__name__)

OnResult = Callable[[BlockTask, pd.DataFrame], None]
CONNECT_TIMEOUT = "20s"
LOCAL_HOST = "127.0.0.1"
# The workers' own logs are noise to a user: shutdown warnings ("Worker process still alive ...
# killing"), and a heartbeat that meets the scheduler closing under load logs an ERROR with a
# traceback. A task's failure reaches fentflow as the task's exception (a crashed worker as
# KilledWorker), so nothing is lost by keeping only critical messages.
QUIET_DASK = logging.CRITICAL


def execute(tasks: Sequence[BlockTask], on_result: OnResult, *, workers: int = 2,
            scheduler: str | None = None) -> None:
    if not tasks:
        return
    if scheduler is None and workers == 0:
        _run_here(tasks, on_result)
        return
    with quiet_on_interrupt(), dask_client(workers, scheduler) as client:
        _run_on(client, tasks, on_result)


def _run_here(tasks: Sequence[BlockTask], on_result: OnResult) -> None:
    log.info("running %d tasks in this process", len(tasks))
    for task in tasks:
        on_result(task, run_block(task))


def _run_on(client, tasks: Sequence[BlockTask], on_result: OnResult) -> None:
    from distributed import as_completed

    futures = {client.submit(run_block, task, key=f"fentflow-{task.key}-{uuid.uuid4().hex[:8]}", pure=False): task
               for task in tasks}
    try:
        for future in as_completed(futures):
            on_result(futures[future], future.result())
    finally:
        client.cancel(list(futures))


def check_scheduler(address: str | None) -> None:
    """A Dask scheduler address must look like tcp://host:port (checked before any work)."""
    if address is None:
        return
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls", "inproc", "ucx", "ws", "wss") or not parts.hostname or port is None:
        raise InputError(f"'{address}' is not a scheduler address (use tcp://host:port)", field="--scheduler")


@contextlib.contextmanager
def quiet_on_interrupt() -> Iterator[None]:
    """Ctrl-C: cancel and close the cluster without Dask's warnings about killed workers."""
    try:
        yield
    except KeyboardInterrupt:
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        raise


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None) -> Iterator:
    """A Dask client: of the cluster at `scheduler`, or of a local cluster of `workers` single-threaded
    processes on 127.0.0.1 (no dashboard), closed when done. The one cluster helper of the package:
    comparisons (`execute`) and calibration (`calibrate.executor`) both use it."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        check_scheduler(scheduler)
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})", field="scheduler") from None
        log.info("connected to %s (%d workers)", scheduler, len(client.scheduler_info().get("workers", {})))
        with client:
            yield client
        return
    if workers < 0:
        raise InputError(f"workers must be 0 (this process) or more, got {workers}", field="workers")
    log.info("starting a local Dask cluster: %d workers on %s", workers, LOCAL_HOST)
    # No dashboard; the scheduler's small HTTP server (health routes) on a free port of 127.0.0.1.
    no_dashboard = {"dashboard": False, "dashboard_address": f"{LOCAL_HOST}:0"}
    with children_ignore_interrupts():   # Ctrl-C is this process's to handle: it closes the workers
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host=LOCAL_HOST,
                               dashboard_address=None, scheduler_kwargs=no_dashboard, silence_logs=QUIET_DASK)
    with cluster, Client(cluster) as client:
        yield client
