"""The weekly calendar: week index <-> dates, calendar months and U.S. fiscal years.

A week belongs to the month (and year) of its Thursday, as ISO weeks do, so every week
falls in exactly one month, one calendar year and one CBP fiscal year (October-September).
"""
from __future__ import annotations

from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from fentflow.errors import InputError

DEFAULT_START = "2015-01-01"
DEFAULT_END = "2030-12-31"
SPAN = (2015, 2030)   # the years the bundled world's figures and the projections cover
FIRST_FISCAL_MONTH = 10   # CBP's fiscal year runs October-September


def fiscal_year(year, month):
    """The CBP fiscal year of a calendar (year, month), scalars or arrays: October-December count toward
    the next year."""
    return year + (month >= FIRST_FISCAL_MONTH)


class Calendar:
    """Weekly calendar; every per-week array is computed once (modules read them every step).

    `Calendar.between` gives the same calendar for the same dates (a run builds one per `Sim`):
    its arrays are shared, read-only."""

    def __init__(self, week_start: pd.DatetimeIndex):
        self.week_start = week_start  # Monday of each simulated week

    @classmethod
    def between(cls, start: str = DEFAULT_START, end: str = DEFAULT_END) -> "Calendar":
        return _between(str(start), str(end))

    @classmethod
    def _made(cls, start: str, end: str) -> "Calendar":
        first, last = _parse(start, "start"), _parse(end, "end", period_end=True)
        if last < first:
            raise InputError(f"end {end} is before start {start}", field="end")
        monday = first - pd.Timedelta(days=first.weekday())
        weeks = pd.date_range(monday, last, freq="7D")
        thursday = weeks + pd.Timedelta(days=3)
        weeks = weeks[(thursday >= first) & (thursday <= last)]
        if len(weeks) == 0:
            raise InputError(f"no whole week between {start} and {end}", field="end")
        return cls(weeks)

    @cached_property
    def n_weeks(self) -> int:
        return len(self.week_start)

    @cached_property
    def thursday(self) -> pd.DatetimeIndex:
        return self.week_start + pd.Timedelta(days=3)

    @cached_property
    def year(self) -> np.ndarray:
        return _read_only(self.thursday.year.to_numpy())

    @cached_property
    def month(self) -> np.ndarray:
        return _read_only(self.thursday.month.to_numpy())

    @cached_property
    def fiscal_year(self) -> np.ndarray:
        """CBP fiscal year of each week (`fiscal_year`)."""
        return _read_only(fiscal_year(self.year, self.month))

    @cached_property
    def decimal_year(self) -> np.ndarray:
        """Mid-week date as a decimal year, for smooth trajectories."""
        t = self.thursday
        return _read_only((t.year + (t.day_of_year - 0.5) / np.where(t.is_leap_year, 366, 365)).to_numpy())

    @cached_property
    def month_shares(self) -> pd.DataFrame:
        """How each week's seven days split over calendar months: week, year, month, share (1-2 rows a week).

        Flows are spread over the days of their week, so monthly, calendar-year and fiscal-year
        totals follow the calendar exactly (a month never gains a fifth week's worth)."""
        days = self.week_start.repeat(7) + pd.to_timedelta(np.tile(np.arange(7), self.n_weeks), unit="D")
        frame = pd.DataFrame({"week": np.repeat(np.arange(self.n_weeks), 7),
                              "year": days.year, "month": days.month})
        shares = frame.groupby(["week", "year", "month"], as_index=False).size()
        shares["share"] = shares.pop("size") / 7.0
        return shares

    def week_of(self, date: str) -> int:
        """Index of the week containing `date` (clipped to the simulated span)."""
        when = _parse(date, "date")
        return int(np.clip(np.searchsorted(self.week_start, when, side="right") - 1, 0, self.n_weeks - 1))


@lru_cache(maxsize=64)
def _between(start: str, end: str) -> Calendar:
    return Calendar._made(start, end)


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array)
    array.flags.writeable = False
    return array


def check_span(start: str, end: str) -> None:
    """Dates inside the modelled years (`SPAN`), else an `InputError` naming the option."""
    for text, field, period_end in ((start, "start", False), (end, "end", True)):
        year = _parse(text, field, period_end).year
        if not SPAN[0] <= year <= SPAN[1]:
            raise InputError(f"{text} is outside the modelled years {SPAN[0]}-{SPAN[1]}", field=field)


def _parse(text: str, field: str, period_end: bool = False) -> pd.Timestamp:
    """A date; 'YYYY' or 'YYYY-MM' as an end means the last day of that year or month."""
    try:
        when = pd.Timestamp(str(text))
    except (ValueError, TypeError, OverflowError):
        raise InputError(f"'{text}' is not a date (use YYYY-MM-DD or YYYY)", field=field) from None
    if when is pd.NaT:
        raise InputError(f"'{text}' is not a date (use YYYY-MM-DD or YYYY)", field=field)
    digits = str(text).strip()
    if period_end and len(digits) == 4:
        return when + pd.offsets.YearEnd(0)
    if period_end and len(digits) == 7:
        return when + pd.offsets.MonthEnd(0)
    return when
