"""The module contract: declare results, then `step(week)`; state lives in the module's arrays."""
from __future__ import annotations

import numpy as np


class Module:
    name: str = ""

    def __init__(self, sim):
        self.sim = sim
        self.pars = sim.pars
        self.net = sim.net
        self.n_reps = sim.n_reps
        self._columns: dict[str, np.ndarray] = {}

    def declare_results(self) -> None:
        """Declare this module's results on `self.sim.results` (default: none)."""

    def step(self, week: int) -> None:
        raise NotImplementedError

    # Small shared helpers -------------------------------------------------------------
    def par(self, name: str) -> np.ndarray:
        """A parameter as a (rep, 1) column, ready to broadcast against (rep, place) (made once)."""
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = self.pars[name][:, None]
        return column

    def rng(self, decision: str) -> np.random.Generator:
        return self.sim.streams(decision)

    def record(self, name: str, week: int, values) -> None:
        self.sim.results.record(name, week, values)

    def sum_by(self, rep: np.ndarray, place: np.ndarray, values: np.ndarray, n_places: int) -> np.ndarray:
        """Sum per-load values into a (rep, place) array."""
        flat = np.bincount(rep * n_places + place, weights=values, minlength=self.n_reps * n_places)
        return flat.astype(float, copy=False).reshape(self.n_reps, n_places)  # int when there are no loads
