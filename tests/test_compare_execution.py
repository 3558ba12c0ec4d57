"""`compare` as users run it: killed mid-way and rerun, and on a real Dask cluster started with the
`dask scheduler` / `dask worker` commands (all on 127.0.0.1)."""
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from fentflow.ensemble.cli import compare_command

SHORT = ["--start", "2024-07-01", "--end", "2025-12-31"]
DASK = Path(sys.executable).parent / "dask"
runner = CliRunner()


def invoke(*args):
    app = typer.Typer()
    app.command("compare")(compare_command)
    app.command("other")(lambda: None)
    return runner.invoke(app, ["compare", *map(str, args)])


def run_files(out: Path) -> list[Path]:
    return sorted((out / "store").glob("arm=*/run=*.parquet"))


def contents(out: Path) -> dict[str, bytes]:
    files = [*(out / "tables").glob("*.csv"), *run_files(out)]
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(files)}


def counts(output: str) -> tuple[int, int]:
    found = re.search(r"computed (\d+), reused (\d+)", output)
    assert found, output
    return int(found[1]), int(found[2])


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """End a process we started, and everything in its process group, for sure."""
    if process.poll() is None:
        with_signal = signal.SIGTERM if grace else signal.SIGKILL
        os.killpg(process.pid, with_signal)
        try:
            process.wait(timeout=grace or 30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    with_group_gone(process.pid)


def with_group_gone(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)      # stragglers (worker processes) of the group, if any
    except ProcessLookupError:
        pass


def wait_for(condition, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process ended first (exit {process.returncode})")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_killed_comparison_reruns_only_its_missing_runs(tmp_path):
    out, uninterrupted = tmp_path / "killed", tmp_path / "uninterrupted"
    common = ["baseline", "port_surge", "--runs", 8, "--block-size", 1, "--seed", 3, *SHORT, "--no-charts"]
    args = [*common, "--workers", 1, "--out", out]
    total = 16
    process = subprocess.Popen([sys.executable, "-m", "fentflow.ensemble", "compare", *map(str, args)],
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(run_files(out)) >= 2, 180, "the first runs", process)
    finally:
        stop(process, grace=0)                       # SIGKILL, mid-way: no chance to clean up
    stored = len(run_files(out))
    assert 2 <= stored < total, "the comparison finished before it could be killed"

    rerun = invoke(*args)                            # the same arguments
    assert rerun.exit_code == 0, rerun.output
    assert counts(rerun.output) == (total - stored, stored)

    whole = invoke(*common, "--workers", 0, "--out", uninterrupted)   # worker count does not change results
    assert whole.exit_code == 0 and counts(whole.output) == (total, 0)
    assert contents(out) == contents(uninterrupted)  # byte-identical runs and tables


@pytest.fixture
def cluster(tmp_path):
    """A Dask scheduler and two workers, as separate processes on 127.0.0.1; yields the scheduler address."""
    scheduler_file = tmp_path / "scheduler.json"
    common = {"start_new_session": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], **common)]
    try:
        wait_for(lambda: scheduler_file.exists() and "address" in scheduler_file.read_text(), 60, "the scheduler",
                 processes[0])
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for name in ("w1", "w2"):
            processes.append(subprocess.Popen(
                [str(DASK), "worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
                 "--no-dashboard", "--name", name, "--local-directory", str(tmp_path / name)], **common))
        wait_for(lambda: _workers(address) == 2, 90, "two workers")
        yield address
    finally:
        for process in reversed(processes):
            stop(process)


def _workers(address: str) -> int:
    from distributed import Client

    with Client(address, timeout="10s") as client:
        return len(client.scheduler_info(n_workers=-1)["workers"])


def test_a_comparison_runs_on_an_existing_cluster(cluster, tmp_path):
    args = ["baseline", "port_surge", "--runs", 2, "--block-size", 1, "--seed", 8, *SHORT, "--no-charts"]
    remote = invoke(*args, "--scheduler", cluster, "--out", tmp_path / "remote")
    assert remote.exit_code == 0, remote.output
    assert counts(remote.output) == (4, 0)
    local = invoke(*args, "--workers", 0, "--out", tmp_path / "local")
    assert local.exit_code == 0
    assert contents(tmp_path / "remote") == contents(tmp_path / "local")


def test_an_unreachable_scheduler_exits_2(tmp_path, monkeypatch):
    monkeypatch.setattr("fentflow.ensemble.execute.CONNECT_TIMEOUT", "1s")
    result = invoke("baseline", "port_surge", *SHORT, "--runs", 1, "--scheduler", "tcp://127.0.0.1:9",
                    "--out", tmp_path)
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.output


def test_a_local_cluster_keeps_only_critical_worker_logs(monkeypatch):
    """Worker logs (shutdown warnings, a heartbeat error with its traceback) never reach the user; task
    failures come back as exceptions instead."""
    import logging

    import distributed

    from fentflow.ensemble import execute

    made = {}

    class Cluster:
        def __init__(self, **kwargs):
            made.update(kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    class Client:
        def __init__(self, cluster):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(distributed, "LocalCluster", Cluster)
    monkeypatch.setattr(distributed, "Client", Client)
    with execute.dask_client(2, None):
        pass
    assert made["silence_logs"] >= logging.CRITICAL and made["n_workers"] == 2
