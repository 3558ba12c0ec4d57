"""Regression adjustment of the last ABC-SMC generation (Beaumont, Zhang & Balding 2002).

An accepted particle's statistics miss the data by up to epsilon, and its parameters carry
the part of that miss which the parameters explain. The adjustment removes it: regress the
parameters on the statistics' misses over the accepted particles, then move each particle by
what the regression predicts at the data minus what it predicts at the particle's own
statistics. With 27 parameters an affordable ABC-SMC stops at an epsilon where the accepted
set still spans most of each prior; the adjustment reads what the statistics say inside
that set (docs/calibration.md, "Regression adjustment").

Choices, each for a reason:
- parameters on the logit of their prior range (fitting scale), so that adjusted values stay
  inside the prior (Beaumont et al.'s transformation for bounded parameters);
- particles weighted by importance weight x the Epanechnikov kernel of their distance;
- misses as the distance sees them, (simulated - observed) x the statistic's weight, reduced
  to their first `COMPONENTS` principal components (hundreds of statistics, 400 particles)
  and regressed by ridge with its penalty chosen by generalised cross-validation;
- residuals taken out of fold (`FOLDS`): an in-sample residual of a fitted regression is
  smaller than its error and would narrow the posterior more than the data justify.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import KFold

from fentflow.calibrate.priors import FittedParameter

COMPONENTS = 60
FOLDS = 10
RIDGE_PENALTIES = np.logspace(-3, 3, 13)
EDGE = 1e-4      # keeps the logit finite for a particle on its prior's bound


def adjust(theta: pd.DataFrame, misses: np.ndarray, weights: np.ndarray, distances: np.ndarray,
           fitted: Sequence[FittedParameter], seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Adjusted parameters (fitting scale, columns `fit_name`) and the particles' new weights.

    `misses` is (particle, statistic): (simulated - observed) x weight of each statistic."""
    low = np.array([p.low for p in fitted])
    high = np.array([p.high for p in fitted])
    x = _logit((theta[[p.fit_name for p in fitted]].to_numpy(float) - low) / (high - low))
    kernel = weights * np.clip(1.0 - (distances / distances.max()) ** 2, 0.0, None)
    kernel = kernel / kernel.sum()
    at_data = _fit(misses, x, kernel)(np.zeros((1, misses.shape[1])))[0]
    adjusted = x - _out_of_fold(misses, x, kernel, seed) + at_data
    values = low + (high - low) / (1.0 + np.exp(-adjusted))
    return pd.DataFrame(values, columns=[p.fit_name for p in fitted], index=theta.index), kernel


def _fit(misses: np.ndarray, x: np.ndarray, kernel: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    components = PCA(min(COMPONENTS, misses.shape[0] - 1, misses.shape[1]))
    reduced = components.fit_transform(misses)
    ridge = RidgeCV(alphas=RIDGE_PENALTIES).fit(reduced, x, sample_weight=kernel)
    return lambda query: ridge.predict(components.transform(query)).reshape(len(query), -1)


def _out_of_fold(misses: np.ndarray, x: np.ndarray, kernel: np.ndarray, seed: int) -> np.ndarray:
    predicted = np.empty_like(x)
    for train, test in KFold(FOLDS, shuffle=True, random_state=seed).split(misses):
        predicted[test] = _fit(misses[train], x[train], kernel[train])(misses[test])
    return predicted


def _logit(share: np.ndarray) -> np.ndarray:
    share = np.clip(share, EDGE, 1.0 - EDGE)
    return np.log(share / (1.0 - share))
