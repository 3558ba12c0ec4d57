"""Simulation-based calibration (Talts et al. 2018, arXiv:1804.06788) over the recovery trials.

In each recovery trial the "true" parameters are a prior draw and the posterior is fitted to
data simulated from them. If the calibration is right, the truth's position inside its
posterior is uniform across trials: its weighted posterior rank `u` (the posterior mass below
the truth, half the mass at it) is Uniform(0, 1) for every parameter. Ranks piled at the ends
mean intervals that are too narrow; piled in the middle, too wide; on one side, a bias.

    rank = posterior_rank(samples, weights, truth)          # one trial, one parameter
    table = rank_uniformity(ranks_by_trial)                 # per parameter: histogram, p-value
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

RANK_BINS = 5           # few bins: the study has tens of trials, not thousands
UNIFORM_ALPHA = 0.05    # per-parameter test level, Bonferroni-corrected over the parameters


def posterior_rank(samples: np.ndarray, weights: np.ndarray, truth: float) -> float:
    """The weighted posterior mass below `truth`, plus half the mass exactly at it: in [0, 1]."""
    samples, weights = np.asarray(samples, float), np.asarray(weights, float)
    total = weights.sum()
    below = weights[samples < truth].sum()
    at = weights[samples == truth].sum()
    return float((below + 0.5 * at) / total)


def rank_uniformity(ranks: pd.DataFrame, bins: int = RANK_BINS, alpha: float = UNIFORM_ALPHA) -> pd.DataFrame:
    """Per parameter: the rank histogram and a chi-square test of uniformity.

    `ranks` has one row per trial and parameter, with columns `parameter` and `rank` (in [0, 1]).
    `uniform` is False where the test rejects at `alpha` divided by the number of parameters."""
    n_parameters = ranks["parameter"].nunique()
    rows = []
    for name, group in ranks.groupby("parameter", sort=False):
        counts, _ = np.histogram(np.clip(group["rank"].to_numpy(float), 0.0, 1.0), bins=bins, range=(0.0, 1.0))
        p_value = float(stats.chisquare(counts).pvalue) if counts.sum() else float("nan")
        rows.append({"parameter": name, "trials": int(counts.sum()), "histogram": " ".join(map(str, counts)),
                     "chi2_p": p_value, "uniform": bool(p_value >= alpha / max(n_parameters, 1))})
    return pd.DataFrame(rows)
