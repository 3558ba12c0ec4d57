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
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.observed.series import LAST_DATA_YEAR, load_series

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
    prices = load_series("prices")
    national = prices[(prices["place"] == "United States") & (prices["unit"] == "% change")
                      & prices["what"].str.contains("per pure gram")]
    trends = [Trend(f"pure_{first}_{last}", "price_per_pure_mg", first, last, math.log(1 + row.value / 100),
                    _publisher(row))
              for row in national.itertuples() for first, last in [_span(row.period)]]
    pills = prices[(prices["unit"] == "USD/pill") & (prices["what"] == "retail fentanyl pill")]
    for place, rows in pills.groupby("place", sort=False):
        years = [_year(period) for period in rows["period"]]
        if len(rows) == 2 and years[0] < years[1] and rows["value"].iloc[1] < rows["value"].iloc[0]:
            trends.append(Trend(f"pill_{years[0]}_{years[1]}", "price_per_pill", years[0], years[1], 0.0,
                                _publisher(next(rows.itertuples()))))
    return tuple(trends)


def _publisher(row) -> str:
    """The publisher's page where the row names one, else the copy it was read from."""
    return row.primary_url if isinstance(row.primary_url, str) and row.primary_url else row.source_url


def _span(period: str) -> tuple[int, int]:
    first, last = re.findall(r"\d{4}", period)
    return int(first), int(last)


def _year(period: str) -> int:
    found = re.findall(r"\d{4}", period)
    return int(found[-1]) if found else -1


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
