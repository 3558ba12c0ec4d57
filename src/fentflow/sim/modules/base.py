"""The module contract: build a state, declare results; a Python module also has `step(week)`.

A compiled module's state lives in the arrays of its `state` (a NamedTuple), which its step
kernel updates in place; the arrays read as attributes too (`production.produced`). The
parameters its kernel reads travel in the state too, one record per replicate (`state.pars`,
made by `kernel_pars`), never the whole parameter set; its results are the rows of one array
(`results_block`, declared from the module's `RESULTS`). Its
kernel is called from the one wired week (`fused.run_weeks`), never from the module. A
module written in plain Python (inserted with `Sim(steps=...)`) has a `step(week)`, can keep
its state however it likes, reads the others' states (this week's shipments, what sets off,
what arrives at the border) and `record`s its results.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Module:
    name: str = ""
    state: NamedTuple | None = None
    # The results its kernel writes, if any: the rows of one array (`Results.declare_block`), declared
    # from the module file's `RESULTS` (name -> unit, FLOW or STOCK, doc, in row order); the kernel
    # writes row k of it under a constant named for the quantity (`results.rows`).
    results_block: np.ndarray | None = None

    def __init__(self, sim):
        self.sim = sim
        self.pars = sim.pars
        self.net = sim.net
        self.n_reps = sim.n_reps
        self._columns: dict[str, np.ndarray] = {}

    def __getattr__(self, name: str):
        """The state's arrays read as attributes (only called when normal lookup fails)."""
        state = self.__dict__.get("state")
        if state is not None and name in state._fields:
            return getattr(state, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def declare_results(self) -> None:
        """Declare this module's results on `self.sim.results` (default: none)."""

    def step(self, week: int) -> None:
        """A plain-Python module's week (compiled modules run in `fused.run_weeks` instead)."""
        raise NotImplementedError(f"{type(self).__name__} has no Python step")

    # Small shared helpers -------------------------------------------------------------
    def par(self, name: str) -> np.ndarray:
        """A parameter as a (rep, 1) column, ready to broadcast against (rep, place) (made once)."""
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = self.pars[name][:, None]
        return column

    def kernel_pars(self, fields: type) -> np.ndarray:
        """The parameters this module's kernel reads (the fields of the NamedTuple `fields` name them), as one
        record per replicate: `pars.name` is a (rep,) column in the kernel as in a NamedTuple, but the week
        passes one array, not one per parameter (numba unpacks every array a call takes, at every call).
        Kernels take only what they read: smaller signatures compile faster."""
        table = np.zeros(self.n_reps, np.dtype([(name, np.float64) for name in fields._fields]))
        for name in fields._fields:
            table[name] = self.pars[name]
        return table

    def rng(self, decision: str, r: int) -> np.random.Generator:
        """The NumPy generator of a decision for the replicate in position `r`, for draws made in Python."""
        return self.sim.streams.generator(decision, r)

    def keys(self, decision: str) -> np.ndarray:
        """The keys of a decision, (rep, 2), for draws made in a compiled kernel (`dice.roll`)."""
        return self.sim.streams.keys(decision)

    def record(self, name: str, week: int, values) -> None:
        """Add (flow) or set (stock) a result from Python: for modules without a compiled kernel."""
        self.sim.results.record(name, week, values)
