"""Loads in transit as a struct of arrays (one typed column per attribute, no object per load).

A load is one shipment of pills or powder from a production site toward one border
crossing. Loads of every replicate travel together; the `rep` column says whose they are.

Loads wait in a calendar queue (`LoadQueue`): a preallocated pool of slots, one row per
load, and for each arrival week a linked list of the slots due that week, in the order
they were scheduled. Scheduling and arrival cost what the loads involved cost (compiled
loops in `queue_kernels.py`), never a scan of every load on the road, and the pure mass
in transit is kept as a running total per replicate.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim import queue_kernels as kernels

POWDER, PILL = 0, 1

COLUMNS: dict[str, np.dtype] = {
    "rep": np.dtype(np.int32),        # replicate the load belongs to
    "site": np.dtype(np.int32),       # production site of origin
    "route": np.dtype(np.int32),      # row of the site -> crossing route taken
    "crossing": np.dtype(np.int32),   # border crossing it heads for
    "form": np.dtype(np.int8),        # POWDER or PILL
    "t_arrive": np.dtype(np.int32),    # week the load reaches the border
    "gross_kg": np.dtype(np.float64),  # mixture or pill weight
    "pure_kg": np.dtype(np.float64),   # fentanyl content
    "pills": np.dtype(np.float64),     # pill count (0 for powder)
    "mg_per_pill": np.dtype(np.float64),  # batch potency (0 for powder)
}
# The pool keeps integer and float columns as the rows of two 2-D arrays.
INT_COLUMNS = [name for name, dtype in COLUMNS.items() if dtype.kind == "i"]
FLOAT_COLUMNS = [name for name, dtype in COLUMNS.items() if dtype.kind == "f"]
assert INT_COLUMNS[kernels.REP_ROW] == "rep" and FLOAT_COLUMNS[kernels.PURE_ROW] == "pure_kg"

Loads = dict[str, np.ndarray]


def empty_loads() -> Loads:
    return {name: np.zeros(0, dtype) for name, dtype in COLUMNS.items()}


class LoadQueue:
    def __init__(self, n_reps: int, capacity: int = 1024, weeks: int = 64):
        self.n_reps = n_reps
        self.pure_in_transit = np.zeros(n_reps)
        self.count = 0
        self._ints = np.zeros((capacity, len(INT_COLUMNS)), np.int64)     # one row per slot
        self._floats = np.zeros((capacity, len(FLOAT_COLUMNS)))
        self._next = np.full(capacity, -1, np.int64)       # next slot due the same week
        self._free = np.arange(capacity - 1, -1, -1, dtype=np.int64)  # a stack of unused slots
        self._n_free = np.array([capacity], np.int64)
        self._head = np.full(weeks, -1, np.int64)          # first and last slot due each week
        self._tail = np.full(weeks, -1, np.int64)
        self._due = np.zeros(weeks, np.int64)              # loads due each week
        self._first_week = 0                               # weeks before it have been delivered

    def schedule(self, **columns: np.ndarray) -> None:
        """Put loads on the road; every column must be given, all of the same length."""
        missing = set(COLUMNS) - set(columns)
        if missing:
            raise ValueError(f"missing load columns: {sorted(missing)}")
        n = len(columns["rep"])
        if n == 0:
            return
        ints = np.array([columns[name] for name in INT_COLUMNS], np.int64)
        floats = np.array([columns[name] for name in FLOAT_COLUMNS], np.float64)
        # A load due in a week already delivered waits for the next delivery.
        weeks = np.maximum(ints[INT_COLUMNS.index("t_arrive")], self._first_week)
        self._make_room(n, int(weeks.max()))
        kernels.enqueue(ints, floats, weeks, self._ints, self._floats, self._next, self._free, self._n_free,
                        self._head, self._tail, self._due, self.pure_in_transit)
        self.count += n

    def arrivals(self, week: int) -> Loads:
        """Take the loads that reach the border in `week` (and any left from earlier weeks)."""
        last = min(week, len(self._head) - 1)
        if last < self._first_week:
            return empty_loads()
        loads = self._gather(self._first_week, last, release=True)
        self._first_week = week + 1
        self.count -= len(loads["rep"])
        return loads

    def pending(self) -> Loads:
        """Every load still on the road (a copy), in arrival-week order."""
        return self._gather(self._first_week, len(self._head) - 1, release=False)

    def _gather(self, first: int, last: int, release: bool) -> Loads:
        n = int(self._due[first:last + 1].sum())
        if n == 0:
            return empty_loads()
        ints = np.empty((len(INT_COLUMNS), n), np.int64)
        floats = np.empty((len(FLOAT_COLUMNS), n))
        kernels.gather(first, last, release, ints, floats, self._ints, self._floats, self._next, self._free,
                       self._n_free, self._head, self._tail, self._due, self.pure_in_transit)
        loads = {name: ints[i].astype(COLUMNS[name]) for i, name in enumerate(INT_COLUMNS)}
        loads.update({name: floats[i] for i, name in enumerate(FLOAT_COLUMNS)})
        return loads

    def _make_room(self, n: int, last_week: int) -> None:
        """Grow the pool and the week lists (doubling) so that `n` more loads fit, due up to `last_week`."""
        if n > self._n_free[0]:
            old = len(self._ints)
            new = max(2 * old, old + n)
            self._ints = _grow(self._ints, new, 0)
            self._floats = _grow(self._floats, new, 0.0)
            self._next = _grow(self._next, new, -1)
            free = np.arange(new - 1, old - 1, -1, dtype=np.int64)
            unused = self._free[:self._n_free[0]]
            self._free = np.concatenate([free, unused, np.zeros(old - len(unused), np.int64)])
            self._n_free[0] += new - old
        if last_week >= len(self._head):
            weeks = max(2 * len(self._head), last_week + 1)
            self._head = _grow(self._head, weeks, -1)
            self._tail = _grow(self._tail, weeks, -1)
            self._due = _grow(self._due, weeks, 0)


def _grow(array: np.ndarray, size: int, fill) -> np.ndarray:
    """A copy of `array` with its first axis extended to `size`, the new part set to `fill`."""
    grown = np.full((size,) + array.shape[1:], fill, array.dtype)
    grown[:len(array)] = array
    return grown
