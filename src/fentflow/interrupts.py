"""Ctrl-C at safe points: while compiled code runs, SIGINT only raises a flag.

Why: numba's compiled functions hand back namedtuples by calling a small Python function
(`numba.core.serialize._numba_unpickle`) to fetch the class, and do not check whether it
failed. Python runs a pending SIGINT handler at the first Python line it executes, which is
inside that function; the default handler raises KeyboardInterrupt there, the class comes
back NULL and numba calls it: a segmentation fault (seen in 3 of 7 Ctrl-C during `run`).

    with deferred_interrupts() as interrupts:
        for chunk in chunks:
            run_compiled(chunk)
            interrupts.check()          # KeyboardInterrupt here, between chunks, if Ctrl-C came

Outside the main thread (Dask worker threads) signals cannot be handled, so it does nothing there.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Interrupts:
    """Remembers a SIGINT instead of raising it; `check()` raises it at a point of our choosing."""

    def __init__(self) -> None:
        self.pending = False

    def check(self) -> None:
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


def deferred_interrupts() -> _Deferral:
    """Hold Ctrl-C until `check()` (or the end of the block), then raise KeyboardInterrupt."""
    return _Deferral()


_holding: Interrupts | None = None   # the flag of the outermost block now holding Ctrl-C (main thread)


class _Recorder:
    """fentflow's SIGINT handler: it only raises the flag of the block holding Ctrl-C."""

    def __init__(self, previous, holding: Interrupts) -> None:
        self.previous = previous
        self.holding = holding

    def __call__(self, signum, frame) -> None:
        self.holding.pending = True


class _Deferral:
    """The block of `deferred_interrupts`: the outermost block in the main thread installs the
    handler and restores the one it replaced; blocks inside it share its flag."""

    def __enter__(self) -> Interrupts:
        global _holding
        self.outermost = False
        if threading.current_thread() is not threading.main_thread():
            self.interrupts = Interrupts()
            return self.interrupts
        if _holding is not None:                 # inside another block (a week inside `run`): share its
            self.interrupts = _holding           # flag, without touching the handler each week
            return self.interrupts
        self.interrupts = Interrupts()
        current = signal.getsignal(signal.SIGINT)
        if current in (signal.SIG_IGN, None):    # ignored (background job) or not ours to change
            return self.interrupts
        self.recorder = _Recorder(current, self.interrupts)
        signal.signal(signal.SIGINT, self.recorder)
        self.outermost, _holding = True, self.interrupts
        return self.interrupts

    def __exit__(self, exc_type, exc, traceback) -> bool:
        global _holding
        if self.outermost:
            _holding = None
            signal.signal(signal.SIGINT, self.recorder.previous)
        if exc_type is None:
            self.interrupts.check()
        return False


@contextlib.contextmanager
def children_ignore_interrupts() -> Iterator[None]:
    """Processes started in this block ignore Ctrl-C (an ignored signal survives exec; a handler does not).

    A terminal's Ctrl-C reaches the whole process group: Dask's worker processes would each die
    with a traceback. Ignoring it there leaves the main process to shut them down in order.
    A Ctrl-C during the block itself (a second or two while a cluster starts) is ignored too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
