"""Step 8. Adaptation: organisations remember recent losses and move away from them.

Crossings: the remembered seizure rate (by gross weight) at each crossing damps the appeal
of routes to it, so an inspection surge at one field office pushes loads to others and
between the ports (the balloon effect). Production: the remembered share of each site's
output lost to raids and interdiction lowers the precursors it is sent, so production
moves toward where it pays.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.kernels import kernel
from fentflow.sim.modules.base import Module


class AdaptationPars(NamedTuple):
    """The parameters adaptation's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    adaptation_weeks: np.ndarray
    production_adaptation: np.ndarray


class AdaptationState(NamedTuple):
    crossing_loss: np.ndarray   # (rep, crossing) remembered seizure rate by gross weight
    site_loss: np.ndarray       # (rep, site) remembered share of output lost
    site_appeal: np.ndarray     # (rep, site) how much precursor routing favours the site
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `AdaptationPars`


class Adaptation(Module):
    name = "adaptation"

    def __init__(self, sim):
        super().__init__(sim)
        expected = np.where(self.net.crossing_is_port[None, :], self.par("poe_detection_2019"),
                            self.par("between_detection"))
        shape = (self.n_reps, self.net.n_sites)
        self.state = AdaptationState(np.ascontiguousarray(expected, float), np.zeros(shape), np.ones(shape),
                                     self.kernel_pars(AdaptationPars))

@kernel
def adaptation_step(st, attempted_gross, seized_gross, produced, destroyed, seized_in_mexico, seized_at_border):
    """Move each remembered loss rate toward this week's, where there was something to lose."""
    p = st.pars
    n_reps, n_crossings = st.crossing_loss.shape
    for r in range(n_reps):
        memory = 1.0 / p.adaptation_weeks[r]
        for c in range(n_crossings):
            if attempted_gross[r, c] > 0:
                rate = seized_gross[r, c] / attempted_gross[r, c]
                st.crossing_loss[r, c] += memory * (rate - st.crossing_loss[r, c])
        for s in range(st.site_loss.shape[1]):
            lost = destroyed[r, s] + seized_in_mexico[r, s] + seized_at_border[r, s]
            output = produced[r, s] + destroyed[r, s]
            if output > 0:
                rate = min(lost / output, 1.0)
                st.site_loss[r, s] += memory * (rate - st.site_loss[r, s])
            st.site_appeal[r, s] = np.exp(-p.production_adaptation[r] * st.site_loss[r, s])
