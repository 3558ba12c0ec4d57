"""Indicator normalisation: raw values to 0-10 scores between fixed goalposts, on a log scale.

Fixed goalposts (not this year's minimum and maximum) keep scores comparable across years and
between a baseline and a scenario: a state's score changes only when its own value does.
The log scale follows INFORM's treatment of skewed indicators: supply-chain activity spans
orders of magnitude (most states none, Sinaloa tonnes), and a linear scale would flatten every
state but the largest.
"""
from __future__ import annotations

import numpy as np

from fentflow.risk.method import SCALE_MAX


def log_goalpost_score(values, low: float, high: float) -> np.ndarray:
    """10 * clip(log10(x / low) / log10(high / low), 0, 1); zero and negative values score 0."""
    if not 0 < low < high:
        raise ValueError(f"goalposts need 0 < low < high, got {low}, {high}")
    x = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        position = np.log10(np.maximum(x, 0.0) / low) / np.log10(high / low)
    return SCALE_MAX * np.clip(np.nan_to_num(position, nan=0.0, neginf=0.0), 0.0, 1.0)
