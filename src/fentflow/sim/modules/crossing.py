"""Step 4. Crossing: loads reach their crossing; inspection at ports of entry, detection between them.

Detection rises with load size and with inspection levers. Every seizure is recorded by
week and crossing with gross weight, pure weight and pills; the crossing's CBP unit (field
office or sector) and component (port of entry vs between ports) come from the world.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim import load_kernels as kernels
from fentflow.sim.curves import log_path
from fentflow.sim.modules.base import Module

REFERENCE_LOAD_KG = 5.0
MAX_DETECTION = 0.95
LETHAL_MG = 2.0     # DEA's threshold: pills with >= 2 mg count as potentially lethal

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
assert tuple(COUNTS) == kernels.CROSSING_COUNTS


class Crossing(Module):
    name = "crossing"

    def __init__(self, sim):
        super().__init__(sim)
        self.passed: dict[str, np.ndarray] = {}
        self.seized_gross = np.zeros((self.n_reps, len(self.net.crossings)))
        self.attempted_gross = np.zeros_like(self.seized_gross)
        self.seized_pure_by_site = np.zeros((self.n_reps, self.net.n_sites))
        self._detection = self.detection(np.arange(sim.calendar.n_weeks))   # (week, rep, crossing)

    def declare_results(self) -> None:
        for name, (unit, doc) in COUNTS.items():
            self.sim.results.declare(name, unit, "flow", "crossing", self.net.crossings, doc)

    def detection(self, week) -> np.ndarray:
        """Detection probability of a reference-size load at each crossing, (rep, crossing).

        Given an array of weeks, (week, rep, crossing)."""
        year = np.asarray(self.sim.calendar.decimal_year[week])[..., None]
        port = log_path(year, 2019.5, self.pars["poe_detection_2019"], 2023.5, self.pars["poe_detection_2023"])
        base = np.where(self.net.crossing_is_port, port[..., None], self.par("between_detection"))
        levers = self.sim.levers
        boost = np.where(self.net.crossing_is_port, levers["port_inspection"][week],
                         levers["between_enforcement"][week])
        return base * (1.0 + boost)[..., None, :]

    def step(self, week: int) -> None:
        arrived = self.sim.loads.arrivals(week)
        rep, crossing = arrived["rep"], arrived["crossing"]
        size = (arrived["gross_kg"] / REFERENCE_LOAD_KG) ** self.pars["detection_size_elasticity"][rep]
        chance = np.minimum(self._detection[week][rep, crossing] * size, MAX_DETECTION)
        seized = self.rng("inspection").random(len(rep)) < chance
        seized_kg = self._record(week, arrived, seized)
        self.sim.ledger.book("seized", seized_kg)
        self.passed = {k: v[~seized] for k, v in arrived.items()}

    def _record(self, week, loads, seized) -> np.ndarray:
        """Record this week's counts; return the pure kg seized per replicate."""
        totals, self.seized_pure_by_site, seized_kg = kernels.crossing_totals(
            loads["rep"], loads["crossing"], loads["site"], loads["gross_kg"], loads["pure_kg"], loads["pills"],
            seized, self.n_reps, len(self.net.crossings), self.net.n_sites)
        for name, total in zip(kernels.CROSSING_COUNTS, totals):
            self.record(name, week, total)
        self.attempted_gross = totals[kernels.CROSSING_COUNTS.index("attempted_gross_kg")]
        self.seized_gross = totals[kernels.CROSSING_COUNTS.index("seized_gross_kg")]
        return seized_kg

