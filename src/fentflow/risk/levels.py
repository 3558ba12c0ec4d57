"""Risk levels: a 0-10 score to one of five named levels by fixed cut points."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from fentflow.risk.method import CUT_POINTS, LEVELS


def level_number(scores, cut_points=CUT_POINTS) -> np.ndarray:
    """0 (Low) ... 4 (Extreme): the number of cut points at or below the score (a cut point opens its level)."""
    return np.searchsorted(np.asarray(cut_points, float), np.asarray(scores, float), side="right")


def level_name(scores, cut_points=CUT_POINTS, levels=LEVELS) -> pd.Categorical:
    """The level of each score as an ordered categorical (Low < Moderate < ... < Extreme)."""
    numbers = np.atleast_1d(level_number(scores, cut_points))
    return pd.Categorical.from_codes(numbers, categories=list(levels), ordered=True)


def score_text(score: float) -> str:
    """A score with two decimals, rounded down, so the text never crosses into the next level
    (6.4979 is Very high and shows as 6.49, not 6.50)."""
    return f"{math.floor(score * 100 + 1e-9) / 100:.2f}"
