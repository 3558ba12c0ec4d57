"""Loads in transit as a struct of arrays (one typed column per attribute, no object per load).

A load is one shipment of pills or powder from a production site toward one border
crossing. Loads of every replicate travel together; the `rep` column says whose they are.

Loads wait in a calendar queue: one bucket per arrival week, each bucket a list of column
chunks. Scheduling and arrival cost what the loads involved cost, never a scan of every
load on the road, and the pure mass in transit is kept as a running total per replicate.
"""
from __future__ import annotations

from collections import defaultdict

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

Loads = dict[str, np.ndarray]


def empty_loads() -> Loads:
    return {name: np.zeros(0, dtype) for name, dtype in COLUMNS.items()}


class LoadQueue:
    def __init__(self, n_reps: int):
        self.n_reps = n_reps
        self._buckets: dict[int, list[Loads]] = defaultdict(list)
        self.pure_in_transit = np.zeros(n_reps)
        self.count = 0

    def schedule(self, **columns: np.ndarray) -> None:
        """Put loads on the road; every column must be given, all of the same length."""
        missing = set(COLUMNS) - set(columns)
        if missing:
            raise ValueError(f"missing load columns: {sorted(missing)}")
        loads = {name: np.asarray(columns[name], dtype) for name, dtype in COLUMNS.items()}
        if len(loads["rep"]) == 0:
            return
        order = np.argsort(loads["t_arrive"], kind="stable")
        weeks, starts = np.unique(loads["t_arrive"][order], return_index=True)
        for week, chunk in zip(weeks, np.split(order, starts[1:])):
            self._buckets[int(week)].append({name: col[chunk] for name, col in loads.items()})
        self.pure_in_transit += np.bincount(loads["rep"], loads["pure_kg"], minlength=self.n_reps)
        self.count += len(loads["rep"])

    def arrivals(self, week: int) -> Loads:
        """Take the loads that reach the border in `week` (and any left from earlier weeks)."""
        due = sorted(w for w in self._buckets if w <= week)
        chunks = [chunk for w in due for chunk in self._buckets.pop(w)]
        if not chunks:
            return empty_loads()
        arrived = {name: np.concatenate([c[name] for c in chunks]) for name in COLUMNS}
        self.pure_in_transit -= np.bincount(arrived["rep"], arrived["pure_kg"], minlength=self.n_reps)
        self.count -= len(arrived["rep"])
        return arrived

    def pending(self) -> Loads:
        """Every load still on the road (a copy), in arrival-week order."""
        chunks = [chunk for w in sorted(self._buckets) for chunk in self._buckets[w]]
        if not chunks:
            return empty_loads()
        return {name: np.concatenate([c[name] for c in chunks]) for name in COLUMNS}
