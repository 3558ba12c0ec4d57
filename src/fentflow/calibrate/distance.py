"""The ABC distance: pyABC's weighted L1 norm over the summary statistics of `statistics.py`.

Weights are fixed (not adapted per generation) and documented there: each statistic counts
`group weight / (statistics in its group x scale)`, so a group's contribution is its weight
times the mean absolute error of its statistics in units of its scale.
"""
from __future__ import annotations

import pyabc

from fentflow.calibrate.statistics import TargetSet


def make_distance(targets: TargetSet) -> pyabc.distance.PNormDistance:
    return pyabc.distance.PNormDistance(p=1, fixed_weights=dict(targets.weights))


def distance_of(targets: TargetSet, simulated: dict[str, float], observed: dict[str, float] | None = None) -> float:
    """The same distance, computed directly (for reports and tests)."""
    observed = targets.observed if observed is None else observed
    return sum(weight * abs(simulated[name] - observed[name]) for name, weight in targets.weights.items())
