"""Step 8. Adaptation: organisations remember recent losses and move away from them.

Crossings: the remembered seizure rate (by gross weight) at each crossing damps the appeal
of routes to it, so an inspection surge at one field office pushes loads to others and
between the ports (the balloon effect). Production: the remembered share of each site's
output lost to raids and interdiction lowers the precursors it is sent, so production
moves toward where it pays.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.modules.base import Module


class Adaptation(Module):
    name = "adaptation"

    def __init__(self, sim):
        super().__init__(sim)
        expected = np.where(self.net.crossing_is_port[None, :], self.par("poe_detection_2019"),
                            self.par("between_detection"))
        self.crossing_loss = expected.copy()                     # (rep, crossing)
        self.site_loss = np.zeros((self.n_reps, self.net.n_sites))
        self.site_appeal = np.ones_like(self.site_loss)
        self._memory = 1.0 / self.par("adaptation_weeks")

    def step(self, week: int) -> None:
        self._remember_crossings(self._memory)
        self._remember_sites(self._memory)
        self.site_appeal = np.exp(-self.par("production_adaptation") * self.site_loss)

    def _remember_crossings(self, memory: np.ndarray) -> None:
        crossing = self.sim.modules["crossing"]
        tried = crossing.attempted_gross > 0
        rate = np.divide(crossing.seized_gross, crossing.attempted_gross,
                         out=np.zeros_like(crossing.seized_gross), where=tried)
        self.crossing_loss = np.where(tried, self.crossing_loss + memory * (rate - self.crossing_loss),
                                      self.crossing_loss)

    def _remember_sites(self, memory: np.ndarray) -> None:
        modules = self.sim.modules
        lost = (modules["production"].destroyed + modules["transport"].seized_by_site
                + modules["crossing"].seized_pure_by_site)
        output = modules["production"].produced + modules["production"].destroyed
        active = output > 0
        rate = np.minimum(np.divide(lost, output, out=np.zeros_like(lost), where=active), 1.0)
        self.site_loss = np.where(active, self.site_loss + memory * (rate - self.site_loss), self.site_loss)
