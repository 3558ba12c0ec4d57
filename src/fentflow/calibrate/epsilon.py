"""The acceptance threshold schedule: pyABC's quantile epsilon, made safe to resume.

Generation 0 accepts every prior draw (epsilon = infinity), so no separate calibration
sample is spent; each later generation takes the `alpha`-quantile of the previous
generation's weighted distances. pyABC's `QuantileEpsilon(initial_epsilon=inf)` would restart a
resumed run at infinity; this subclass instead reads the quantile from the last stored
generation, so a resumed calibration continues exactly where it stopped. It reads that
generation's distances as the history stored them: the history keeps no statistics to compute
them again from (`accepted.py`), and the distance is fixed, so they are the ones it would compute.
"""
from __future__ import annotations

import numpy as np
from pyabc.epsilon import QuantileEpsilon


class ResumableQuantileEpsilon(QuantileEpsilon):
    def __init__(self, alpha: float = 0.5):
        super().__init__(initial_epsilon=np.inf, alpha=alpha)
        self.history = None      # the calibration's pyABC history, once opened

    def initialize(self, t, get_weighted_distances, get_all_records, max_nr_populations, acceptor_config):
        if t > 0:     # resuming: the previous generation is in the history
            self._update(t, self.history.get_weighted_distances(t - 1))
