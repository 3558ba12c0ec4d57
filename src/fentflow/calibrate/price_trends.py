"""Calibration targets from the public retail prices: which way the U.S. price moved.

The public price record (observed series `prices`) holds no national price level, only
changes, and those as bounds:

- nationally, the purity-adjusted price of illicit fentanyl fell by more than 50% from 2016 to
  2021 (Kilmer, Pardo, Pujol-Mitchell, Caulkins 2022): ln(price per pure mg 2021 / 2016) is at
  most ln 0.5;
- every retail pill price with two dates fell (San Diego / Imperial, 2021 to mid-2023): the
  national price per pill did not rise over that span, ln(last / first) at most 0 (an
  inference from local points).

A bound is not a value to hit, so each statistic is censored at its bound, for data and model
alike: max(ln change, bound). The data's statistic is the bound itself, and |model - data| is
how far the model's change lies on the wrong side of it. Why it matters: the paired policy
comparisons split on whether the market is short of supply (claim C12), and a market short of
supply has a rising price.

    from fentflow.calibrate.price_trends import TRENDS, observed_statistics, simulated_statistics
    simulated_statistics(fentflow.sim.observables.us_retail_price(results))
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.observed.prices import dated_moves, national_changes, publisher_url, years_named
from fentflow.observed.series import LAST_DATA_YEAR

GROUP = "price_trend"
MEASURES = ("price_per_pill", "price_per_pure_mg")      # columns of `observables.us_retail_price`


@dataclass(frozen=True)
class Trend:
    """A bound on ln(measure in `last` / measure in `first`), from a row of the `prices` series."""

    name: str
    measure: str
    first: int
    last: int
    bound: float
    source: str

    @property
    def statistic(self) -> str:
        return f"{GROUP}:{self.name}"


def public_trends() -> tuple[Trend, ...]:
    """The trends the `prices` series bounds: the national change in the purity-adjusted price, and
    the direction of the retail pill prices with two dates."""
    trends = [Trend(f"pure_{first}_{last}", "price_per_pure_mg", first, last, math.log(1 + row.value / 100),
                    publisher_url(row))
              for row in national_changes().itertuples() for first, last in [years_named(row.period)]]
    trends += [Trend(f"pill_{move.first_year}_{move.last_year}", "price_per_pill", move.first_year, move.last_year,
                     0.0, move.url) for move in dated_moves() if move.fell]
    return tuple(trends)


TRENDS = public_trends()


def fitted(data_end: int = LAST_DATA_YEAR) -> tuple[Trend, ...]:
    """The trends that end by `data_end` (an out-of-sample fit leaves the later ones out)."""
    return tuple(trend for trend in TRENDS if trend.last <= data_end)


def observed_statistics(data_end: int = LAST_DATA_YEAR) -> dict[str, float]:
    """The data's statistics: each trend's bound."""
    return {trend.statistic: trend.bound for trend in fitted(data_end)}


def simulated_statistics(prices: pd.DataFrame, data_end: int = LAST_DATA_YEAR) -> pd.DataFrame:
    """One row per replicate of `observables.us_retail_price`: each trend's ln change, censored at its
    bound (a missing or zero price counts as on the bound's side)."""
    wide = prices.pivot_table(index="replicate", columns="year", values=list(MEASURES))
    out = {}
    for trend in fitted(data_end):
        first, last = wide.get((trend.measure, trend.first)), wide.get((trend.measure, trend.last))
        if first is None or last is None:
            out[trend.statistic] = pd.Series(trend.bound, index=wide.index)
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.log(last / first)
        out[trend.statistic] = np.maximum(change.replace([np.inf, -np.inf], np.nan).fillna(trend.bound), trend.bound)
    return pd.DataFrame(out, index=wide.index)
