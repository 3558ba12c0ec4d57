"""One writer per comparison folder: a second `compare` on the same --out stops at once, cleanly.

    with store_lock(out):        # InputError naming the other process when it is taken
        compare(...)
    with store_lock(cache, wait=True):   # a shared cache: wait for the other writer, then reuse its runs
        compare(...)

An advisory `flock` on `<out>/.lock`: the operating system releases it when the holder exits,
even when killed, so a stale lock never blocks a rerun.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from fentflow.errors import InputError

LOCK_FILE = ".lock"


@contextlib.contextmanager
def store_lock(out: str | Path, wait: bool = False) -> Iterator[None]:
    path = Path(out) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise InputError(f"another fentflow process (pid {holder}) is writing this comparison; wait for it "
                             f"to finish or choose another --out", file=str(Path(out))) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
