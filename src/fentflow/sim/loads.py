"""Loads as a struct of arrays (one typed column per attribute, no object per load).

A load is one shipment of pills or powder from a production site toward one border
crossing. Loads of every replicate travel together; the `rep` column says whose they are.
A `LoadBatch` is a set of loads (one week's new loads, one week's arrivals, ...).

Loads on the road wait in a calendar queue (`QueueArrays` here, its compiled loops in
`queue_kernels.py`, its Python face `queue.LoadQueue`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

POWDER, PILL = 0, 1

COLUMNS: dict[str, np.dtype] = {
    "rep": np.dtype(np.int32),        # replicate the load belongs to
    "site": np.dtype(np.int32),       # production site of origin
    "route": np.dtype(np.int32),      # row of the site -> crossing route taken (-1 until routed)
    "crossing": np.dtype(np.int32),   # border crossing it heads for (-1 until routed)
    "form": np.dtype(np.int8),        # POWDER or PILL
    "t_arrive": np.dtype(np.int32),    # week the load reaches the border
    "ident": np.dtype(np.int64),       # the load's identity in its replicate: week made, site, number
                                       # (`load_kernels.load_unit`); its random draws are keyed by it
    "gross_kg": np.dtype(np.float64),  # mixture or pill weight
    "pure_kg": np.dtype(np.float64),   # fentanyl content
    "pills": np.dtype(np.float64),     # pill count (0 for powder)
    "mg_per_pill": np.dtype(np.float64),  # batch potency (0 for powder)
}


class LoadBatch(NamedTuple):
    """Loads as columns; compiled code keeps every integer column as int64 (see `COLUMNS` for the public dtypes)."""
    rep: np.ndarray
    site: np.ndarray
    route: np.ndarray
    crossing: np.ndarray
    form: np.ndarray
    t_arrive: np.ndarray
    ident: np.ndarray
    gross_kg: np.ndarray
    pure_kg: np.ndarray
    pills: np.ndarray
    mg_per_pill: np.ndarray


INT_COLUMNS = [name for name, dtype in COLUMNS.items() if dtype.kind == "i"]
FLOAT_COLUMNS = [name for name, dtype in COLUMNS.items() if dtype.kind == "f"]
assert list(LoadBatch._fields) == INT_COLUMNS + FLOAT_COLUMNS


def batch_from_columns(columns: dict[str, np.ndarray]) -> LoadBatch:
    """A batch from a dict of columns; every column must be given, all of the same length."""
    missing = set(COLUMNS) - set(columns)
    if missing:
        raise ValueError(f"missing load columns: {sorted(missing)}")
    return LoadBatch(**{name: np.ascontiguousarray(columns[name], np.int64 if name in INT_COLUMNS else np.float64)
                        for name in LoadBatch._fields})


def batch_columns(batch: LoadBatch) -> dict[str, np.ndarray]:
    """A batch as a dict of columns with the public dtypes of `COLUMNS`."""
    return {name: getattr(batch, name).astype(dtype, copy=False) for name, dtype in COLUMNS.items()}


class QueueArrays(NamedTuple):
    """The queue's state, as compiled code sees it (`queue_kernels.py`)."""
    ints: np.ndarray             # (slot, int column) int64
    floats: np.ndarray           # (slot, float column)
    next_slot: np.ndarray        # next slot due the same week, -1 at the end
    free: np.ndarray             # a stack of unused slots ...
    n_free: np.ndarray           # ... with n_free[0] on it
    head: np.ndarray             # first and last slot due each week (-1: none)
    tail: np.ndarray
    due: np.ndarray              # loads due each week
    pure_in_transit: np.ndarray  # (rep,) pure kg on the road
    first_week: np.ndarray       # [0]: weeks before it have been delivered
    count: np.ndarray            # [0]: loads on the road


def empty_queue(n_reps: int, capacity: int = 1024, weeks: int = 64) -> QueueArrays:
    return QueueArrays(
        ints=np.zeros((capacity, len(INT_COLUMNS)), np.int64), floats=np.zeros((capacity, len(FLOAT_COLUMNS))),
        next_slot=np.full(capacity, -1, np.int64), free=np.arange(capacity - 1, -1, -1, dtype=np.int64),
        n_free=np.array([capacity], np.int64), head=np.full(weeks, -1, np.int64), tail=np.full(weeks, -1, np.int64),
        due=np.zeros(weeks, np.int64), pure_in_transit=np.zeros(n_reps), first_week=np.zeros(1, np.int64),
        count=np.zeros(1, np.int64))
