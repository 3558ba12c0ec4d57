"""Step 9. Competition and violence by state.

Expected homicides in a state = a baseline (a share of its observed 2022 SESNSP level, the
violence that fentanyl flows do not drive) + a conflict term: rivalry (1 - Herfindahl index
of territorial control) x the pure tonnes a year that enter, are produced in, or pass
through the state (remembered over a quarter). Homicides are drawn (Poisson).
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.modules.base import Module
from fentflow.units import WEEKS_PER_YEAR

FLOW_MEMORY_WEEKS = 13.0


class Violence(Module):
    name = "violence"

    def __init__(self, sim):
        super().__init__(sim)
        self.flow_kg_week = np.zeros((self.n_reps, len(self.net.states)))
        self._site_state = np.eye(len(self.net.states))[self.net.site_state]   # (site, state) 0/1
        self._baseline = self.par("violence_baseline_share") * self.net.state_homicides_2022[None, :]

    def declare_results(self) -> None:
        declare, states = self.sim.results.declare, self.net.states
        declare("homicides", "victims", "flow", "state", states, "intentional homicides (SESNSP-comparable)")
        declare("fentanyl_flow_kg", "pure kg", "flow", "state", states,
                "fentanyl entering, produced in or passing through the state")
        declare("conflict_index", "pure t/yr", "stock", "state", states, "rivalry x remembered flow")

    def step(self, week: int) -> None:
        flow = self._flow_this_week()
        self.flow_kg_week += (flow - self.flow_kg_week) / FLOW_MEMORY_WEEKS
        conflict = self.net.rivalry[None, :] * self.flow_kg_week * WEEKS_PER_YEAR / 1000.0
        expected = (self._baseline + self.par("violence_per_tonne") * conflict) / WEEKS_PER_YEAR
        self.record("homicides", week, self.rng("violence").poisson(expected))
        self.record("fentanyl_flow_kg", week, flow)
        self.record("conflict_index", week, conflict)

    def _flow_this_week(self) -> np.ndarray:
        modules = self.sim.modules
        produced = modules["production"].produced @ self._site_state
        return modules["precursors"].inflow_by_state + produced + modules["transport"].transit_by_state
