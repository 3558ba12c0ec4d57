"""Aggregation: indicators into a dimension (weighted arithmetic mean), dimensions into risk.

Within a dimension indicators are substitutes (violence is violence whether the record or the
model shows it), so they are averaged. Between hazard and exposure the index uses a weighted
geometric mean, as INFORM does, so that a high score needs both violence and supply-chain
activity: one cannot fully make up for the absence of the other. Scores are shifted by one
before the geometric mean, so a state with no modelled fentanyl activity but real violence
keeps a low, non-zero risk instead of being wiped to zero, and 0 and 10 stay the ends:

    risk = (hazard + 1)^w_h * (exposure + 1)^w_e - 1,   w_h + w_e = 1
"""
from __future__ import annotations

import numpy as np


def weighted_mean(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted arithmetic mean over the last axis of `scores` (weights sum to 1 over that axis)."""
    return np.sum(np.asarray(scores, float) * np.asarray(weights, float), axis=-1)


def shifted_geometric_mean(hazard, exposure, hazard_weight) -> np.ndarray:
    """(hazard + 1)^w * (exposure + 1)^(1 - w) - 1, element-wise; broadcasts over its arguments."""
    hazard, exposure, w = (np.asarray(a, float) for a in (hazard, exposure, hazard_weight))
    return np.exp(w * np.log1p(hazard) + (1.0 - w) * np.log1p(exposure)) - 1.0
