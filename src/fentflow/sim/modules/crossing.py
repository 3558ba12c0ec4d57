"""Step 4. Crossing: loads reach their crossing; inspection at ports of entry, detection between them.

Detection rises with load size and with inspection levers. Every seizure is recorded by
week and crossing with gross weight, pure weight and pills; the crossing's CBP unit (field
office or sector) and component (port of entry vs between ports) come from the world.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from fentflow.sim import queue_kernels
from fentflow.sim.curves import log_path
from fentflow.sim.dice import new_die, roll, uniform
from fentflow.sim.kernels import add_flow, inlined
from fentflow.sim.modules.base import Module

REFERENCE_LOAD_KG = 5.0
MAX_DETECTION = 0.95

COUNTS = {
    "attempts": ("loads", "loads reaching the crossing (attempted crossings)"),
    "attempted_gross_kg": ("gross kg", "gross weight of attempted crossings"),
    "attempted_pure_kg": ("pure kg", "fentanyl content of attempted crossings"),
    "seizure_events": ("events", "loads seized"),
    "seized_gross_kg": ("gross kg", "gross weight seized"),
    "seized_pure_kg": ("pure kg", "fentanyl content seized"),
    "seized_pills": ("pills", "pills seized"),
    "passed_pure_kg": ("pure kg", "fentanyl content that crossed"),
}
# Rows of the week's totals, (count, rep, crossing): `COUNTS` is the one list, the kernels index it by name.
ROW = {name: k for k, name in enumerate(COUNTS)}
ATTEMPTS, ATTEMPTED_GROSS, ATTEMPTED_PURE = ROW["attempts"], ROW["attempted_gross_kg"], ROW["attempted_pure_kg"]
EVENTS, SEIZED_GROSS, SEIZED_PURE = ROW["seizure_events"], ROW["seized_gross_kg"], ROW["seized_pure_kg"]
SEIZED_PILLS, PASSED_PURE = ROW["seized_pills"], ROW["passed_pure_kg"]


class CrossingPars(NamedTuple):
    """The parameters crossing's kernel reads, (rep,) each."""
    detection_size_elasticity: np.ndarray


class CrossingState(NamedTuple):
    totals: np.ndarray               # (count, rep, crossing) this week, in `COUNTS` order
    seized_pure_by_site: np.ndarray  # (rep, site) this week
    detection: np.ndarray            # (week, rep, crossing) for a reference-size load
    inspection_keys: np.ndarray      # (rep, 2) the inspection decision's keys, drawn per load (`dice.roll`)
    pars: CrossingPars        # the parameters its kernel reads


CrossingResults = NamedTuple("CrossingResults", [(name, np.ndarray) for name in COUNTS])


class Crossing(Module):
    name = "crossing"
    outputs = CrossingResults

    def __init__(self, sim):
        super().__init__(sim)
        n_crossings = len(self.net.crossings)
        self.state = CrossingState(
            totals=np.zeros((len(COUNTS), self.n_reps, n_crossings)),
            seized_pure_by_site=np.zeros((self.n_reps, self.net.n_sites)),
            detection=self.detection(np.arange(sim.calendar.n_weeks)), inspection_keys=self.keys("inspection"),
            pars=self.kernel_pars(CrossingPars))

    @property
    def attempted_gross(self) -> np.ndarray:
        return self.state.totals[ATTEMPTED_GROSS]

    @property
    def seized_gross(self) -> np.ndarray:
        return self.state.totals[SEIZED_GROSS]

    def declare_results(self) -> None:
        for name, (unit, doc) in COUNTS.items():
            self.sim.results.declare(name, unit, "flow", "crossing", self.net.crossings, doc)

    def detection(self, week) -> np.ndarray:
        """Detection probability of a reference-size load at each crossing, (rep, crossing).

        Given an array of weeks, (week, rep, crossing)."""
        year = np.asarray(self.sim.calendar.decimal_year[week])[..., None]
        port = log_path(year, 2019.5, self.pars["poe_detection_2019"], 2023.5, self.pars["poe_detection_2023"])
        between = log_path(year, 2019.5, self.pars["between_detection"], 2023.5, self.pars["between_detection_2023"])
        base = np.where(self.net.crossing_is_port, port[..., None], between[..., None])
        levers = self.sim.levers
        boost = np.where(self.net.crossing_is_port, levers["port_inspection"][week],
                         levers["between_enforcement"][week])
        return base * (1.0 + boost)[..., None, :]

@numba.njit(cache=True)
def crossing_step(week, st, queue, ledger, out, periods):
    """Inspect the loads arriving this week and record the counts; returns the arrivals and which were seized."""
    p = st.pars
    arrived = queue_kernels.arrivals(queue, week)
    n = arrived.rep.size
    seized = np.empty(n, np.bool_)
    die = new_die()
    for i in range(n):
        r = arrived.rep[i]
        size = (arrived.gross_kg[i] / REFERENCE_LOAD_KG) ** p.detection_size_elasticity[r]
        chance = min(st.detection[week, r, arrived.crossing[i]] * size, MAX_DETECTION)
        roll(die, st.inspection_keys[r], arrived.ident[i])
        seized[i] = uniform(die) < chance
    _record(week, st, arrived, seized, ledger, out, periods)
    return arrived, seized


@inlined
def _record(week, st, loads, seized, ledger, out, periods):
    by_rep = _totals(loads, seized, st.totals, st.seized_pure_by_site)
    for r in range(by_rep.size):
        ledger.seized[r] += by_rep[r]
    for k, target in enumerate(out):
        add_flow(target, week, st.totals[k], periods)


@inlined
def _totals(loads, seized, totals, by_site):
    """Fill `totals`, (count, rep, crossing), and `by_site`, seized pure kg by (rep, site), summing in
    load order; returns seized pure kg by rep."""
    totals[:] = 0.0
    by_site[:] = 0.0
    by_rep = np.zeros(by_site.shape[0])
    for i in range(loads.rep.size):
        r, c, gross, pure = loads.rep[i], loads.crossing[i], loads.gross_kg[i], loads.pure_kg[i]
        totals[ATTEMPTS, r, c] += 1.0
        totals[ATTEMPTED_GROSS, r, c] += gross
        totals[ATTEMPTED_PURE, r, c] += pure
        if seized[i]:
            totals[EVENTS, r, c] += 1.0
            totals[SEIZED_GROSS, r, c] += gross
            totals[SEIZED_PURE, r, c] += pure
            totals[SEIZED_PILLS, r, c] += loads.pills[i]
            by_site[r, loads.site[i]] += pure
            by_rep[r] += pure
        else:
            totals[PASSED_PURE, r, c] += pure
    return by_rep
