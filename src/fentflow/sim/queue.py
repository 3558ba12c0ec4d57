"""The loads on the road, by arrival week: a calendar queue.

A preallocated pool of slots, one row per load, and for each arrival week a linked list of
the slots due that week, in the order they were scheduled. Scheduling and arrival cost what
the loads involved cost (compiled loops in `queue_kernels.py`), never a scan of every load
on the road, and the pure mass in transit is kept as a running total per replicate.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim import queue_kernels
from fentflow.sim.loads import batch_columns, batch_from_columns, empty_queue


class LoadQueue:
    """The compiled state is `arrays` (a `loads.QueueArrays`); the fused run loop takes and returns it."""

    def __init__(self, n_reps: int, capacity: int = 1024, weeks: int = 64):
        self.arrays = empty_queue(n_reps, capacity, weeks)

    @property
    def count(self) -> int:
        return int(self.arrays.count[0])

    @property
    def pure_in_transit(self) -> np.ndarray:
        return self.arrays.pure_in_transit

    def schedule(self, **columns: np.ndarray) -> None:
        """Put loads on the road; every column must be given, all of the same length."""
        batch = batch_from_columns(columns)
        self.arrays = queue_kernels.schedule(self.arrays, batch, np.ones(batch.rep.size, np.bool_))

    def arrivals(self, week: int) -> dict[str, np.ndarray]:
        """Take the loads that reach the border in `week` (and any left from earlier weeks)."""
        return batch_columns(queue_kernels.arrivals(self.arrays, week))

    def pending(self) -> dict[str, np.ndarray]:
        """Every load still on the road (a copy), in arrival-week order."""
        return batch_columns(queue_kernels.pending(self.arrays))
