"""Calling one compiled function many times with arguments of unchanging types.

At every call, numba's dispatcher works out the type of every argument to pick the compiled
version. The week's arguments hold about 130 arrays in nested tuples, and working out their
types costs about 35 µs a call: a third of a week's own work when a run is stepped week by
week (`Sim.step`). `Resolved` works them out once, at its first call, and from then on calls
the version compiled for those types (`Dispatcher.get_overload`).

Working them out in Python (`numba.typeof`) costs about 3 ms, as much as a tenth of a default
run; so the version found is kept for the whole process under the arguments' `kinds`, what
their numba types are made of, which takes a tenth of that to read. A later `Sim` whose week
takes arguments of the same kinds calls it at once.

Only for arguments whose types cannot change between calls: the week's states, results,
ledger and periods are the same objects all run long, updated in place
(`tests/test_sim_dispatch.py`). A function that is not a numba dispatcher is called as it is.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import typeof

_FOUND: dict[tuple, Callable] = {}     # (dispatcher, kinds of its arguments) -> the version compiled for them
_INT64 = (-2 ** 63, 2 ** 63)


def kinds(value) -> Any:
    """What numba's type of `value` is made of, for arrays, numbers and (named) tuples of them;
    None for anything else, array subclasses included (its type is then worked out by numba)."""
    if type(value) is np.ndarray:
        flags = value.flags
        return value.dtype, value.ndim, flags.c_contiguous, flags.f_contiguous, flags.writeable, flags.aligned
    if isinstance(value, tuple):
        parts = tuple(kinds(item) for item in value)
        return None if any(part is None for part in parts) else (type(value), parts)
    if type(value) is int:
        return int, _INT64[0] <= value < _INT64[1]      # numba types larger ints as uint64
    if type(value) in (float, bool, np.float64, np.int64, np.bool_):
        return type(value)
    return None


class Resolved:
    """`function(*args)`, its argument types resolved at the first call only."""

    def __init__(self, function: Callable):
        self.function = function
        self.compiled: Callable | None = None

    def __call__(self, *args):
        if self.compiled is None and hasattr(self.function, "get_overload"):
            return self._first_call(args)
        return (self.compiled or self.function)(*args)

    def _first_call(self, args: tuple):
        """The version this process found for arguments of these kinds, or the dispatcher's own call
        (which compiles, or loads from the cache) and then its types, worked out once."""
        key = (self.function, kinds(args))
        self.compiled = _FOUND.get(key)          # kinds of None are never kept, so never found
        if self.compiled is not None:
            return self.compiled(*args)
        result = self.function(*args)
        self.compiled = self.function.get_overload(tuple(typeof(arg) for arg in args))
        if key[1] is not None:
            _FOUND[key] = self.compiled
        return result
