"""The risk index of Mexico's states: an estimator in esda's style (fit on construction).

    >>> index = RiskIndex(raw)            # raw: DataFrame, one row per state, one column per indicator
    >>> index.score, index.level, index.drivers
    >>> index.table()                     # everything, one row per state

The method (indicators, goalposts, weights, aggregation, cut points) is `fentflow.risk.method`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.risk.aggregate import shifted_geometric_mean, weighted_mean
from fentflow.risk.drivers import driver_text, main_drivers
from fentflow.risk.levels import level_name, level_number
from fentflow.risk.method import EXPOSURE, HAZARD, METHOD, IndexMethod
from fentflow.risk.normalise import log_goalpost_score


class RiskIndex:
    """Composite risk index, INFORM-style: hazard (violence) x exposure (supply-chain activity).

    Parameters
    ----------
    raw : pandas.DataFrame
        One row per place (index: place id, e.g. state abbreviation) and one column per
        indicator of `method` holding its raw value (extra columns are ignored). Missing
        values count as zero activity.
    method : IndexMethod
        Indicators, goalposts, weights and cut points; default `METHOD` (docs/risk.md).

    Attributes
    ----------
    raw : pandas.DataFrame
        The raw indicator values used (columns in the method's indicator order).
    scores : pandas.DataFrame
        Indicator scores, 0-10, from `log_goalpost_score` between each indicator's goalposts.
    hazard : pandas.Series
        Weighted arithmetic mean of the hazard indicators' scores, 0-10.
    exposure : pandas.Series
        Weighted arithmetic mean of the exposure indicators' scores, 0-10.
    score : pandas.Series
        Risk, (hazard + 1)^w_h (exposure + 1)^w_e - 1, 0-10.
    level : pandas.Series
        Ordered categorical, Low ... Extreme, by the method's cut points.
    level_number : pandas.Series
        0 (Low) ... 4 (Extreme).
    contributions : pandas.DataFrame
        Each indicator's share of the state's weighted score points (dimension weight x
        indicator weight x score, divided by the row's total); rows sum to 1 (0 if all zero).
    drivers : pandas.Series
        The main drivers as text, e.g. "homicide rate 118/100k (10.0); precursor entry 4.3 t (8.8)".
    """

    def __init__(self, raw: pd.DataFrame, method: IndexMethod = METHOD):
        self.method = method
        self.raw = raw.reindex(columns=method.names).astype(float).fillna(0.0)
        self.scores = self._normalise()
        self.hazard = self._dimension(HAZARD)
        self.exposure = self._dimension(EXPOSURE)
        w_h = method.dimension_weights[HAZARD]
        self.score = pd.Series(shifted_geometric_mean(self.hazard, self.exposure, w_h), index=raw.index,
                               name="score")
        self.level_number = pd.Series(level_number(self.score, method.cut_points), index=raw.index,
                                      name="level_number")
        self.level = pd.Series(level_name(self.score, method.cut_points, method.levels), index=raw.index,
                               name="level")
        self.contributions = self._contributions()
        self.drivers = pd.Series([driver_text(main_drivers(row), self.raw.loc[place], self.scores.loc[place], method)
                                  for place, row in self.contributions.iterrows()], index=raw.index, name="drivers")

    def _normalise(self) -> pd.DataFrame:
        columns = {i.name: log_goalpost_score(self.raw[i.name], i.low, i.high) for i in self.method.indicators}
        return pd.DataFrame(columns, index=self.raw.index)

    def _dimension(self, dimension: str) -> pd.Series:
        members = self.method.in_dimension(dimension)
        values = weighted_mean(self.scores[[i.name for i in members]].to_numpy(), np.array([i.weight for i in members]))
        return pd.Series(values, index=self.raw.index, name=dimension)

    def _contributions(self) -> pd.DataFrame:
        weights = np.array([self.method.dimension_weights[i.dimension] * i.weight for i in self.method.indicators])
        points = self.scores.to_numpy() * weights
        total = points.sum(axis=1, keepdims=True)
        shares = np.divide(points, total, out=np.zeros_like(points), where=total > 0)
        return pd.DataFrame(shares, index=self.raw.index, columns=self.method.names)

    def table(self) -> pd.DataFrame:
        """One row per place: level, score, hazard, exposure, drivers, raw values and indicator scores."""
        scores = self.scores.add_suffix("_score")
        return pd.concat([self.level, self.level_number, self.score, self.hazard, self.exposure, self.drivers,
                          self.raw, scores], axis=1)
