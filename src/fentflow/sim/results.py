"""Preallocated results: one array per quantity, shaped (period, replicate, place).

Each quantity is declared once by the module that produces it, with its unit, its places
(crossings, markets, states, ...) and whether it is a *flow* (summed over a period) or a
*stock* (the value at the end of the period). A compiled module declares its quantities as the
rows of one array, (row, period, replicate, place), which its kernel writes (`declare_block`):
the week then hands each kernel one array of results, not one per quantity (numba unpacks every
array a compiled call takes, at every call). Each quantity's array is a view of its row.

Periods are weeks by default; `resolution="month"` keeps calendar months only, which is what
batched calibration needs: a week's flow is split over the months its days fall in, a stock
counts in its Thursday's month.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.errors import unknown_name
from fentflow.sim.calendar import Calendar
from fentflow.sim.kernels import Periods, add_flow, set_stock

FLOW, STOCK = "flow", "stock"


@dataclass(frozen=True)
class Quantity:
    name: str
    unit: str
    kind: str              # FLOW or STOCK
    place_kind: str        # "crossing", "market", "state", "site", "entry", "national"
    places: tuple[str, ...]
    doc: str


def rows(declared: Mapping[str, object], *names: str) -> tuple[int, ...]:
    """The rows of the named quantities in a block's declaration (`Results.declare_block`): the numbers a
    kernel writes them under."""
    order = {name: row for row, name in enumerate(declared)}
    unknown = [name for name in names if name not in order]
    if unknown:
        raise KeyError(f"not declared in the block: {', '.join(unknown)} (declared: {', '.join(order)})")
    return tuple(order[name] for name in names)


class Results:
    """Every declared quantity of a run as an array (period, replicate, place), with its unit.

    Example::

        results = ff.Sim(start="2021-01-01", end="2021-12-31", replicates=20).run()
        results["deaths"].shape                  # (weeks, 20, markets)
        results.quantities["deaths"].unit        # 'deaths'
        results.frame("crossing")                # tidy table: period, replicate, crossing, one column each
        ff.aggregate(results, "deaths", by_place=False)     # by calendar year

    A wrong name raises `ff.InputError` with the closest valid names.
    """

    def __init__(self, calendar: Calendar, n_reps: int, resolution: str = "week"):
        if resolution not in ("week", "month"):
            raise ValueError(f"resolution must be 'week' or 'month', not {resolution!r}")
        self.calendar = calendar
        self.n_reps = n_reps
        self.resolution = resolution
        self.period_of_week, self.period_start = _periods(calendar, resolution)
        self.periods = Periods(*_flow_split(calendar, resolution, self.period_start),
                               np.asarray(self.period_of_week, np.int64))
        self.quantities: dict[str, Quantity] = {}
        self.data: dict[str, np.ndarray] = {}

    @property
    def n_periods(self) -> int:
        return len(self.period_start)

    def declare(self, name: str, unit: str, kind: str, place_kind: str,
                places: Sequence[str] = ("all",), doc: str = "") -> None:
        """One quantity (a block of one row)."""
        self.declare_block(place_kind, places, {name: (unit, kind, doc)})

    def declare_block(self, place_kind: str, places: Sequence[str],
                      declared: Mapping[str, tuple[str, str, str]]) -> np.ndarray:
        """Quantities with the same places as the rows of one array, (row, period, replicate, place), in the
        order of `declared` (name -> unit, FLOW or STOCK, doc); returns the array."""
        for name in declared:
            if name in self.quantities:
                raise ValueError(f"result {name!r} declared twice")
        block = np.zeros((len(declared), self.n_periods, self.n_reps, len(places)))
        for row, (name, (unit, kind, doc)) in enumerate(declared.items()):
            self.quantities[name] = Quantity(name, unit, kind, place_kind, tuple(places), doc)
            self.data[name] = block[row]
        return block

    def record(self, name: str, week: int, values: np.ndarray) -> None:
        """Add a flow to its period, or set a stock's end-of-period value: what the compiled kernels
        do, for modules written in Python."""
        values = np.ascontiguousarray(values, dtype=float).reshape(self.n_reps, -1)
        record = set_stock if self.quantities[name].kind == STOCK else add_flow
        record(self.data[name], week, values, self.periods)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.data:
            raise unknown_name("result", name, self.data, field="name")
        return self.data[name]

    def frame(self, place_kind: str) -> pd.DataFrame:
        """All quantities of one place kind as a tidy table: period, replicate, place, one column each."""
        names = [q.name for q in self.quantities.values() if q.place_kind == place_kind]
        if not names:
            raise unknown_name("place kind", place_kind, self.place_kinds(), field="place_kind")
        places = self.quantities[names[0]].places
        index = pd.MultiIndex.from_product(
            [self.period_start, np.arange(self.n_reps), places], names=["period", "replicate", place_kind])
        columns = {name: self.data[name].reshape(-1) for name in names}
        return pd.DataFrame(columns, index=index).reset_index()

    def period_year_month(self) -> tuple[np.ndarray, np.ndarray]:
        """Calendar year and month of each period (a week counts in the month of its Thursday)."""
        if self.resolution == "week":
            return self.calendar.year, self.calendar.month
        return self.period_start.year.to_numpy(), self.period_start.month.to_numpy()

    def place_kinds(self) -> list[str]:
        return sorted({q.place_kind for q in self.quantities.values()})

    def units(self) -> dict[str, str]:
        return {q.name: q.unit for q in self.quantities.values()}


def _flow_split(calendar: Calendar, resolution: str, period_start: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """For each week, the (up to two) periods its flow is split into and the shares, (week, 2) each."""
    period = np.zeros((calendar.n_weeks, 2), np.int64)
    share = np.zeros((calendar.n_weeks, 2))
    if resolution == "week":
        period[:, 0], share[:, 0] = np.arange(calendar.n_weeks), 1.0
        return period, share
    month_index = {(d.year, d.month): i for i, d in enumerate(period_start)}
    used = np.zeros(calendar.n_weeks, np.int64)          # slots filled so far, per week
    for week, year, month, part in calendar.month_shares.itertuples(index=False):
        period[week, used[week]], share[week, used[week]] = month_index[(year, month)], part
        used[week] += 1
    return period, share


def _periods(calendar: Calendar, resolution: str) -> tuple[np.ndarray, pd.DatetimeIndex]:
    if resolution == "week":
        return np.arange(calendar.n_weeks), calendar.week_start
    shares = calendar.month_shares  # every month a simulated day falls in
    keys = np.unique(shares["year"].to_numpy() * 12 + shares["month"].to_numpy() - 1)
    period_of_week = np.searchsorted(keys, calendar.year * 12 + calendar.month - 1)
    starts = pd.to_datetime({"year": keys // 12, "month": keys % 12 + 1, "day": 1})
    return period_of_week, pd.DatetimeIndex(starts)
