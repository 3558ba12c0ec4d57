"""Which calendar years, fiscal years and months a run covers only in part.

A run's weeks rarely start on January 1: the calendar keeps whole weeks (each in the year of
its Thursday), so up to `EDGE_DAYS` days at each end of a requested span fall outside it, and
a week's flow is split over the days of the months it touches. A period missing more than
that (2014 from a run starting in January 2015, FY2031 from one ending in December 2030) is
*partial*: its totals cover only part of it and are not comparable with a whole period's.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

EDGE_DAYS = 3          # a whole-week calendar may miss up to 3 days at either end of a period
FIRST_FY_MONTH = 10    # U.S. federal fiscal year N runs October N-1 to September N


@dataclass(frozen=True)
class Span:
    first_day: pd.Timestamp
    last_day: pd.Timestamp

    @classmethod
    def of(cls, calendar) -> Span:
        return cls(calendar.week_start[0], calendar.week_start[-1] + pd.Timedelta(days=6))

    def partial(self, kind: str, values: Iterable) -> list[int]:
        """The sorted years (`kind` "year") or fiscal years (`kind` "fy") among `values` that are partial."""
        years = np.unique(np.asarray(list(values), dtype=int))
        starts = [_period(kind, int(y))[0] for y in years]
        ends = [_period(kind, int(y))[1] for y in years]
        return [int(y) for y, a, b in zip(years, starts, ends) if self._misses(a, b)]

    def flag(self, table: pd.DataFrame) -> pd.DataFrame:
        """`table` with a `partial` column after its period columns (month, else year, else fiscal year)."""
        if "month" in table:
            starts = pd.to_datetime(pd.DataFrame({"year": table["year"], "month": table["month"], "day": 1}))
            ends = starts + pd.offsets.MonthEnd(0)
            partial = (self.first_day - starts).dt.days.clip(lower=0) + (ends - self.last_day).dt.days.clip(lower=0)
            flags = partial > EDGE_DAYS
            after = "month"
        else:
            kind = "year" if "year" in table else "fy" if "fy" in table else None
            if kind is None:
                return table
            flags = table[kind].isin(self.partial(kind, table[kind].unique()))
            after = kind
        out = table.copy()
        out.insert(out.columns.get_loc(after) + 1, "partial", flags.to_numpy(bool))
        return out

    def _misses(self, start: pd.Timestamp, end: pd.Timestamp) -> bool:
        missing = max((self.first_day - start).days, 0) + max((end - self.last_day).days, 0)
        return missing > EDGE_DAYS


def _period(kind: str, year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    if kind == "year":
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    if kind == "fy":
        return pd.Timestamp(year - 1, FIRST_FY_MONTH, 1), pd.Timestamp(year, FIRST_FY_MONTH, 1) - pd.Timedelta(days=1)
    raise ValueError(f"period kind must be 'year' or 'fy', not {kind!r}")
