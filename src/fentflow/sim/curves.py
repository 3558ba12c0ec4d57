"""Trajectories anchored on two years, held flat outside them.

Shares move on the logit scale and positive quantities on the log scale, so a trajectory
never leaves its domain. Arrays broadcast: years (week,) against anchors (rep,).
"""
from __future__ import annotations

import numpy as np


def _position(year, y0: float, y1: float):
    return np.clip((np.asarray(year, float) - y0) / (y1 - y0), 0.0, 1.0)


def log_path(year, y0: float, v0, y1: float, v1):
    """Positive quantity moving geometrically from v0 (year y0) to v1 (year y1)."""
    w = _position(year, y0, y1)
    return np.exp((1 - w) * np.log(v0) + w * np.log(v1))


def logit_path(year, y0: float, v0, y1: float, v1):
    """Share in (0, 1) moving along the logit scale from v0 to v1."""
    w = _position(year, y0, y1)
    lo, hi = _logit(v0), _logit(v1)
    return 1.0 / (1.0 + np.exp(-((1 - w) * lo + w * hi)))


def segmented_growth(year, knots, rates):
    """Relative level of a quantity growing geometrically at `rates[i]` a year between successive
    `knots` (the first rate before the first knot, the last after the last), equal to 1 at the
    last knot. Continuous, so growth can speed up or level off at each knot."""
    year = np.asarray(year, float)
    edges = (-np.inf, *knots, np.inf)
    anchor = knots[-1]
    log_level = 0.0
    for i, rate in enumerate(rates):
        lo, hi = edges[i], edges[i + 1]
        log_level = log_level + np.asarray(rate) * (np.clip(year, lo, hi) - np.clip(anchor, lo, hi))
    return np.exp(log_level)


def _logit(p):
    p = np.clip(np.asarray(p, float), 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))
