"""Calendar-year aggregation of result arrays, (period, rep, place) -> (year, rep, place).

`years` gives each period's calendar year (`Results.period_year_month`); the years come out
sorted. Flows are summed, stocks read at the year's last period, prices averaged with weights
(what was consumed).
"""
from __future__ import annotations

import numpy as np


def period_years(results) -> np.ndarray:
    """Each period's calendar year, for a finished run's `Results`."""
    year, _ = results.period_year_month()
    return np.asarray(year)


def sums(values: np.ndarray, years: np.ndarray) -> np.ndarray:
    """The periods of each year summed."""
    unique, index = np.unique(years, return_inverse=True)
    out = np.zeros((len(unique),) + values.shape[1:])
    np.add.at(out, index, values)
    return out


def last(values: np.ndarray, years: np.ndarray) -> np.ndarray:
    """The value at each year's last period."""
    last_period = np.flatnonzero(np.r_[years[1:] != years[:-1], True])
    return values[last_period]


def weighted_means(values: np.ndarray, weights: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Mean over the periods and places of each year, weighted by `weights`; (year, rep, 1), NaN where
    the weights are all zero."""
    total = sums((values * weights).sum(axis=2, keepdims=True), years)
    weight = sums(weights.sum(axis=2, keepdims=True), years)
    return np.divide(total, weight, out=np.full_like(total, np.nan), where=weight > 0)
