"""Step 4. Crossing: loads reach their crossing; inspection at ports of entry, detection between them.

Detection rises with load size and with inspection levers. Every seizure is recorded by
week and crossing with gross weight, pure weight and pills; the crossing's CBP unit (field
office or sector) and component (port of entry vs between ports) come from the world.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.curves import log_path
from fentflow.sim.loads import PILL
from fentflow.sim.modules.base import Module

REFERENCE_LOAD_KG = 5.0
MAX_DETECTION = 0.95
LETHAL_MG = 2.0

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


class Crossing(Module):
    name = "crossing"

    def __init__(self, sim):
        super().__init__(sim)
        self.passed: dict[str, np.ndarray] = {}
        self.seized_gross = np.zeros((self.n_reps, len(self.net.crossings)))
        self.attempted_gross = np.zeros_like(self.seized_gross)
        self.seized_pure_by_site = np.zeros((self.n_reps, self.net.n_sites))

    def declare_results(self) -> None:
        for name, (unit, doc) in COUNTS.items():
            self.sim.results.declare(name, unit, "flow", "crossing", self.net.crossings, doc)

    def detection(self, week: int) -> np.ndarray:
        """Detection probability of a reference-size load at each crossing, (rep, crossing)."""
        year = self.sim.calendar.decimal_year[week]
        port = log_path(year, 2019.5, self.pars["poe_detection_2019"], 2023.5, self.pars["poe_detection_2023"])
        base = np.where(self.net.crossing_is_port[None, :], port[:, None], self.par("between_detection"))
        levers = self.sim.levers
        boost = np.where(self.net.crossing_is_port, levers["port_inspection"][week],
                         levers["between_enforcement"][week])
        return base * (1.0 + boost)[None, :]

    def step(self, week: int) -> None:
        arrived = self.sim.loads.arrivals(week)
        rep, crossing = arrived["rep"], arrived["crossing"]
        size = (arrived["gross_kg"] / REFERENCE_LOAD_KG) ** self.pars["detection_size_elasticity"][rep]
        chance = np.minimum(self.detection(week)[rep, crossing] * size, MAX_DETECTION)
        seized = self.rng("inspection").random(len(rep)) < chance
        self._record(week, arrived, seized)
        self.sim.ledger.book("seized", np.bincount(rep[seized], arrived["pure_kg"][seized], minlength=self.n_reps))
        self.passed = {k: v[~seized] for k, v in arrived.items()}

    def _record(self, week, loads, seized) -> None:
        n_cross = len(self.net.crossings)
        rep, crossing = loads["rep"], loads["crossing"]

        def total(values, mask=slice(None)):
            return self.sum_by(rep[mask], crossing[mask], values[mask], n_cross)

        ones = np.ones(len(rep))
        self.attempted_gross = total(loads["gross_kg"])
        self.seized_gross = total(loads["gross_kg"], seized)
        values = {
            "attempts": total(ones), "attempted_gross_kg": self.attempted_gross,
            "attempted_pure_kg": total(loads["pure_kg"]), "seizure_events": total(ones, seized),
            "seized_gross_kg": self.seized_gross, "seized_pure_kg": total(loads["pure_kg"], seized),
            "seized_pills": total(loads["pills"], seized), "passed_pure_kg": total(loads["pure_kg"], ~seized),
        }
        for name, value in values.items():
            self.record(name, week, value)
        self.seized_pure_by_site = self.sum_by(rep[seized], loads["site"][seized], loads["pure_kg"][seized],
                                               self.net.n_sites)


def pills_at_or_above_lethal(loads: dict[str, np.ndarray]) -> np.ndarray:
    """Pills in loads whose batch potency is >= 2 mg (batches share one mg-per-pill value)."""
    return np.where((loads["form"] == PILL) & (loads["mg_per_pill"] >= LETHAL_MG), loads["pills"], 0.0)
