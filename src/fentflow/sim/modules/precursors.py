"""Step 1. Precursor inflow to Mexican entry points, port seizures, export controls.

Precursors are tracked only as fentanyl-equivalent kg (what they could become). Inflow
follows a logistic trajectory scaled to its 2023 level, responds to the retail price
(production follows profit), and is cut by precursor controls whose effect erodes as
supply substitutes other sources (article claim C11).
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.curves import logistic
from fentflow.sim.modules.base import Module

PORT_SEIZURES_FROM = 2022.0  # Manzanillo precursor seizures began in 2022 (public-figures §7)
PRICE_RESPONSE_BOUNDS = (0.2, 5.0)


class Precursors(Module):
    name = "precursors"

    def __init__(self, sim):
        super().__init__(sim)
        self.control_effect = np.zeros(self.n_reps)   # share of inflow currently blocked
        self._last_control = 0.0
        self.delivered = np.zeros((self.n_reps, self.net.n_sites))
        self.inflow_by_state = np.zeros((self.n_reps, len(self.net.states)))
        # Per-week inputs, computed once: (week, rep) trajectory, the port-seizure rate in force.
        year = sim.calendar.decimal_year
        self.supply_by_week = self.trajectory(year[:, None])
        self._port_seizure = np.where((year >= PORT_SEIZURES_FROM)[:, None],
                                      self.pars["precursor_port_seizure_rate"][None, :], 0.0)[:, :, None]
        self._substitution_decay = np.exp(-1.0 / self.pars["substitution_weeks"])
        self._entry_state = np.eye(len(self.net.states))[self.net.entry_state]   # (entry, state) 0/1

    def declare_results(self) -> None:
        entries = self.net.entries
        self.sim.results.declare("precursor_inflow_kg", "fent-eq kg", "flow", "entry", entries,
                                 "precursors arriving at each entry point")
        self.sim.results.declare("precursor_seized_kg", "fent-eq kg", "flow", "entry", entries,
                                 "precursors seized at each entry point")

    def trajectory(self, year) -> np.ndarray:
        """Supply before price response and controls, (rep,) kg/week."""
        mid, rate = self.pars["supply_midyear"], self.pars["supply_growth_rate"]
        return self.pars["supply_kg_week_2023"] * logistic(year, mid, rate) / logistic(2023.5, mid, rate)

    def step(self, week: int) -> None:
        total = self.supply_by_week[week] * self._price_response() * (1.0 - self._control(week))
        inflow = total[:, None] * self.net.entry_share[None, :]
        seized = inflow * self._port_seizure[week]
        self.sim.ledger.enter(inflow.sum(axis=1))
        self.sim.ledger.book("seized", seized.sum(axis=1))
        self.delivered = self._route_to_sites(inflow - seized)
        self.inflow_by_state = self._by_state(inflow)
        self.record("precursor_inflow_kg", week, inflow)
        self.record("precursor_seized_kg", week, seized)

    def _price_response(self) -> np.ndarray:
        index = self.sim.modules["market"].price_index
        return np.clip(index ** self.pars["supply_price_elasticity"], *PRICE_RESPONSE_BOUNDS)

    def _control(self, week: int) -> np.ndarray:
        """A new control blocks its full strength at once; the effect then decays as supply substitutes."""
        strength = float(self.sim.levers["precursor_control"][week])
        rise = max(strength - self._last_control, 0.0)
        self.control_effect = np.minimum(self.control_effect * self._substitution_decay + rise, strength)
        self._last_control = strength
        return self.control_effect

    def _route_to_sites(self, arriving: np.ndarray) -> np.ndarray:
        """(rep, entry) -> (rep, site), weighted toward sites where production pays.

        The weights entry_to_site x appeal, normalised per entry, are never formed: each entry's
        arrivals are divided by its normaliser first, one matrix product does the rest."""
        appeal = self.sim.modules["adaptation"].site_appeal                          # (rep, site)
        normaliser = np.maximum(appeal @ self.net.entry_to_site.T, 1e-300)          # (rep, entry)
        return appeal * ((arriving / normaliser) @ self.net.entry_to_site)

    def _by_state(self, inflow: np.ndarray) -> np.ndarray:
        return inflow @ self._entry_state
