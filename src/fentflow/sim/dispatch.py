"""Calling one compiled function many times with arguments of unchanging types.

At every call, numba's dispatcher works out the type of every argument to pick the compiled
version. The week's arguments hold about 170 arrays in nested tuples, and working out their
types costs about 35 µs a call: a third of a week's own work when a run is stepped week by
week (`Sim.step`). `Resolved` works them out once, at its first call, and from then on calls
the version compiled for those types (`Dispatcher.get_overload`).

Only for arguments whose types cannot change between calls: the week's states, results,
ledger and periods are the same objects all run long, updated in place
(`tests/test_sim_dispatch.py`). A function that is not a numba dispatcher is called as it is.
"""
from __future__ import annotations

from collections.abc import Callable

import numba


class Resolved:
    """`function(*args)`, its argument types resolved at the first call only."""

    def __init__(self, function: Callable):
        self.function = function
        self.compiled: Callable | None = None

    def __call__(self, *args):
        if self.compiled is not None:
            return self.compiled(*args)
        result = self.function(*args)        # compiles, or loads from the cache, for these types
        if hasattr(self.function, "get_overload"):
            self.compiled = self.function.get_overload(tuple(numba.typeof(arg) for arg in args))
        return result
