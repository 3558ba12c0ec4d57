"""The ABC distance: pyABC's weighted L1 norm over the summary statistics of `statistics.py`,
with each particle's deaths judged at its best-fitting overdose hazard (`deaths_scale.py`).

Weights are fixed (not adapted per generation) and documented there: each statistic counts
`group weight / (statistics in its group x scale)`, so a group's contribution is its weight
times the mean absolute error of its statistics in units of its scale.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyabc

from fentflow.calibrate.deaths_scale import DeathsScale
from fentflow.calibrate.priors import FittedParameter
from fentflow.calibrate.statistics import TargetSet


class Distance(pyabc.distance.PNormDistance):
    """The weighted L1 distance, after moving the deaths to the particle's best-fitting hazard."""

    def __init__(self, targets: TargetSet, fitted: Sequence[FittedParameter]):
        super().__init__(p=1, fixed_weights=dict(targets.weights), sumstat=StatisticsArray())
        self.deaths_scale = DeathsScale.of(fitted, list(targets.weights))

    def __call__(self, x: dict, x_0: dict, t: int | None = None, par: Mapping | None = None) -> float:
        return super().__call__(rescaled(self.deaths_scale, x, x_0, par), x_0, t, par)


class StatisticsArray(pyabc.sumstat.IdentitySumstat):
    """pyABC's identity statistics for dicts of numbers, read in one pass, the observed ones once.

    pyABC's `dict2arr` checks each of the 325 entries' type, twice a particle (its statistics and
    the data's): a third of the driver's time judging particles. The array is the same."""

    def __call__(self, data) -> np.ndarray:
        if isinstance(data, np.ndarray):
            return data.flatten()
        if data is self.x_0:
            return self._observed
        return np.fromiter((data[key] for key in self.x_keys), float, len(self.x_keys))

    def initialize(self, t, get_sample, x_0, total_sims) -> None:
        super().initialize(t=t, get_sample=get_sample, x_0=x_0, total_sims=total_sims)
        self._observed = np.fromiter((x_0[key] for key in self.x_keys), float, len(self.x_keys))


def rescaled(scale: DeathsScale | None, x: Mapping[str, float], x_0: Mapping[str, float],
             par: Mapping | None) -> Mapping[str, float]:
    if scale is None or par is None:
        return x
    return scale.rescaled_one(x, x_0, float(par[scale.hazard.fit_name]))


def distance_of(targets: TargetSet, simulated: Mapping[str, float], observed: Mapping[str, float] | None = None,
                fitted: Sequence[FittedParameter] = (), par: Mapping | None = None) -> float:
    """The same distance, computed directly (for reports and tests); with `fitted` and the particle's
    `par` (fitting scale), its deaths are judged at their best-fitting hazard as in the calibration."""
    observed = targets.observed if observed is None else observed
    simulated = rescaled(DeathsScale.of(fitted, list(targets.weights)), simulated, observed, par)
    return sum(weight * abs(simulated[name] - observed[name]) for name, weight in targets.weights.items())
