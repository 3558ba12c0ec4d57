"""Loads in transit as a struct of arrays (one typed column per attribute, no object per load).

A load is one shipment of pills or powder from a production site toward one border
crossing. Loads of every replicate share the pool; the `rep` column says whose they are.
Columns are preallocated with a capacity that doubles when full; `n` is the active count.
"""
from __future__ import annotations

import numpy as np

POWDER, PILL = 0, 1

COLUMNS: dict[str, np.dtype] = {
    "rep": np.dtype(np.int32),        # replicate the load belongs to
    "site": np.dtype(np.int32),       # production site of origin
    "route": np.dtype(np.int32),      # row of the site -> crossing route taken
    "crossing": np.dtype(np.int32),   # border crossing it heads for
    "form": np.dtype(np.int8),        # POWDER or PILL
    "gross_kg": np.dtype(np.float64),  # mixture or pill weight
    "pure_kg": np.dtype(np.float64),   # fentanyl content
    "pills": np.dtype(np.float64),     # pill count (0 for powder)
    "mg_per_pill": np.dtype(np.float64),  # batch potency (0 for powder)
    "t_arrive": np.dtype(np.int32),    # week the load reaches the border
}


class LoadPool:
    def __init__(self, capacity: int = 4096):
        self.n = 0
        self._cols = {name: np.zeros(capacity, dtype) for name, dtype in COLUMNS.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("_cols", {})
        if name in cols:
            return cols[name][: self.n]
        raise AttributeError(name)

    @property
    def capacity(self) -> int:
        return len(self._cols["rep"])

    def add(self, **columns: np.ndarray) -> None:
        """Append loads; every column must be given, all of the same length."""
        missing = set(COLUMNS) - set(columns)
        if missing:
            raise ValueError(f"missing load columns: {sorted(missing)}")
        count = len(columns["rep"])
        self._reserve(self.n + count)
        for name, values in columns.items():
            self._cols[name][self.n: self.n + count] = values
        self.n += count

    def take(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """Remove the loads where `mask` is true and return their columns."""
        taken = {name: col[: self.n][mask].copy() for name, col in self._cols.items()}
        keep = ~mask
        kept = int(keep.sum())
        for col in self._cols.values():
            col[:kept] = col[: self.n][keep]
        self.n = kept
        return taken

    def _reserve(self, needed: int) -> None:
        if needed <= self.capacity:
            return
        capacity = max(needed, 2 * self.capacity)
        for name, col in self._cols.items():
            grown = np.zeros(capacity, col.dtype)
            grown[: self.n] = col[: self.n]
            self._cols[name] = grown
