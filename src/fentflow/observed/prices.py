"""The public retail prices (observed series `prices`): each place's pill prices, its move where two
are dated, and the national changes of the purity-adjusted price.

Read by the calibration's price trends (`calibrate/price_trends.py`) and by claim C12's text, so
both see the same places, years and directions.

    from fentflow.observed.prices import dated_moves
    [(move.place, move.first_year, move.last_year, move.fell) for move in dated_moves()]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from fentflow.observed.series import load_series

RETAIL_PILL = "retail fentanyl pill"


@dataclass(frozen=True)
class PriceMove:
    """A place's retail pill price at two dated points, in the series' order."""

    place: str
    first_year: int
    last_year: int
    first: float
    last: float
    url: str            # the publisher's page where the row names one, else the copy it was read from

    @property
    def fell(self) -> bool:
        return self.last < self.first


def retail_pill_prices() -> list[tuple[str, pd.DataFrame]]:
    """The public retail pill prices, by place, in the series' order."""
    prices = load_series("prices")
    pills = prices[(prices["unit"] == "USD/pill") & (prices["what"] == RETAIL_PILL)]
    return list(pills.groupby("place", sort=False))


def national_changes() -> pd.DataFrame:
    """The national changes in the purity-adjusted price ("% change" rows; each value is a bound, as in
    "fell by more than 50%")."""
    prices = load_series("prices")
    return prices[(prices["place"] == "United States") & (prices["unit"] == "% change")
                  & prices["what"].str.contains("per pure gram")]


def dated_moves() -> tuple[PriceMove, ...]:
    """The places whose two prices each name a year, the first before the last (San Diego: 2021 to
    mid-2023; the Twin Cities' "a couple of years before c. 2023" names one only)."""
    moves = []
    for place, rows in retail_pill_prices():
        years = [year_of(period) for period in rows["period"]]
        if len(rows) == 2 and None not in years and years[0] < years[1]:
            moves.append(PriceMove(place, years[0], years[1], float(rows["value"].iloc[0]),
                                   float(rows["value"].iloc[1]), publisher_url(next(rows.itertuples()))))
    return tuple(moves)


def years_named(period: str) -> list[int]:
    """The years a period names, in order ("2016 -> 2021" -> [2016, 2021], "c. mid-2023" -> [2023])."""
    return [int(year) for year in re.findall(r"\d{4}", period)]


def year_of(period: str) -> int | None:
    """The year a period names (the last where it names two), or None."""
    years = years_named(period)
    return years[-1] if years else None


def publisher_url(row) -> str:
    """A series row's publisher page where it names one, else the copy it was read from."""
    return row.primary_url if isinstance(row.primary_url, str) and row.primary_url else row.source_url
