"""Results summed over groups of replicate, period and place, straight from their arrays.

The observables (`observables.py`) sum results, (period, replicate, place), by replicate, by
period keys (calendar year, fiscal year, month) and by place keys (a crossing's CBP unit and
component, a state). Laid out as a long table and summed with pandas, that was a third of a
calibration worker's time: a 100-replicate chunk's crossings make 400,000 rows.

`group_sums` builds the same table from the arrays, in one compiled pass. Each group is
summed in the long table's row order (period, replicate, place, then the months a week
touches) with compensated (Kahan) summation, as pandas' `groupby().sum()` does unless the
group labels come sorted, when it sums each group pairwise (a table of one replicate, say):
the observables of the runs checked came out the same to the last bit, and a sum differs
from pandas' by a rounding at most. A replicate's sums never depend on the others in its
batch. `tests/test_sim_period_sums.py` checks all three against the long table.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from fentflow.sim.calendar import fiscal_year
from fentflow.sim.kernels import kernel
from fentflow.sim.results import FLOW, Results


def period_rows(results: Results, flows: bool) -> pd.DataFrame:
    """Calendar month of each period, with the share of the period's flow that falls in it: period, year,
    month, share, fy (a week's flow is split over the months its days fall in; a stock is its Thursday's)."""
    if flows and results.resolution == "week":
        periods = results.calendar.month_shares.rename(columns={"week": "period"})
    else:
        year, month = results.period_year_month()
        periods = pd.DataFrame({"period": np.arange(results.n_periods), "year": year, "month": month,
                                "share": 1.0})
    return periods.assign(fy=fiscal_year(periods["year"], periods["month"]))


def group_sums(results: Results, names: Sequence[str], period_keys: Sequence[str],
               place_keys: Mapping[str, Sequence] | None = None, last_period_only: bool = False) -> pd.DataFrame:
    """`results[names]` summed by replicate, `period_keys` (columns of `period_rows`) and `place_keys` (a
    value per place for each key): the table `long.groupby(["replicate", *period_keys, *place_keys],
    as_index=False)[names].sum()` gives, where `long` has a row per period, replicate, place and month.

    Flows are split over the months their week touches. Stocks keep their value; with
    `last_period_only`, only each period group's last period counts (a stock at the period's end)."""
    periods, period_code = _period_codes(results, _kind(results, names) == FLOW, period_keys, last_period_only)
    places = pd.DataFrame(dict(place_keys or {}), index=pd.RangeIndex(len(_places(results, names))))
    place_code = _codes(places)
    n_period_codes, n_place_codes = int(period_code.max()) + 1, int(place_code.max()) + 1
    n_groups = results.n_reps * n_period_codes * n_place_codes
    sums, compensation = np.zeros((n_groups, len(names))), np.zeros((n_groups, len(names)))
    rows = np.zeros(n_groups, np.int64)
    first = np.searchsorted(periods["period"].to_numpy(), np.arange(results.n_periods + 1)).astype(np.int64)
    _kahan_group_sums(np.stack([results[name] for name in names]), first, periods["share"].to_numpy(float),
                      period_code, place_code, n_period_codes, n_place_codes, sums, compensation, rows)
    return _table(names, sums, rows, n_period_codes, n_place_codes, periods[list(period_keys)], period_code,
                  places, place_code)


def _period_codes(results: Results, flows: bool, period_keys: Sequence[str],
                  last_period_only: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """The period rows (`period_rows`) summed, and the code of each one's period group."""
    periods = period_rows(results, flows)
    code = _codes(periods[list(period_keys)])
    if last_period_only:
        keep = (periods["period"] == periods.groupby(code)["period"].transform("max")).to_numpy()
        periods, code = periods[keep].reset_index(drop=True), code[keep]
    return periods, code


def _codes(keys: pd.DataFrame) -> np.ndarray:
    """Each row's group, numbered 0, 1, ... in the sorted order of its keys (all 0 without keys)."""
    if keys.columns.empty:
        return np.zeros(len(keys), np.int64)
    return keys.groupby(list(keys.columns), sort=True).ngroup().to_numpy(np.int64)


def _kind(results: Results, names: Sequence[str]) -> str:
    kinds = {results.quantities[name].kind for name in names}
    if len(kinds) > 1:
        raise ValueError(f"mix of flows and stocks in one table: {list(names)}")
    return kinds.pop()


def _places(results: Results, names: Sequence[str]) -> tuple[str, ...]:
    places = {results.quantities[name].places for name in names}
    if len(places) > 1:
        raise ValueError(f"results of different places in one table: {list(names)}")
    return places.pop()


def _table(names, sums, rows, n_period_codes, n_place_codes, period_values: pd.DataFrame, period_code,
           places: pd.DataFrame, place_code) -> pd.DataFrame:
    """The groups that have rows, in sorted key order (their codes' order), as pandas lays them out."""
    group = np.flatnonzero(rows)
    replicate, rest = np.divmod(group, n_period_codes * n_place_codes)
    period, place = np.divmod(rest, n_place_codes)
    columns = {"replicate": replicate.astype(np.int64)}
    period_at = _first_of_each(period_code)
    for key in period_values.columns:
        columns[key] = period_values[key].to_numpy()[period_at[period]]
    place_at = _first_of_each(place_code)
    for key in places.columns:
        columns[key] = places[key].to_numpy()[place_at[place]]
    table = pd.DataFrame(columns)
    for key in places.columns:                     # keep the place keys' own dtype (strings stay `str`)
        table[key] = table[key].astype(places[key].dtype)
    for j, name in enumerate(names):
        table[name] = sums[group, j]
    return table


def _first_of_each(code: np.ndarray) -> np.ndarray:
    """For each code (0, 1, ... in order: `ngroup`'s), the index of the first row that carries it."""
    return np.unique(code, return_index=True)[1]


@kernel
def _kahan_group_sums(values, first, share, period_code, place_code, n_period_codes, n_place_codes, sums,
                      compensation, rows):
    """Sum `values`, (name, period, rep, place), times each period row's share into the groups
    (rep, period code, place code), row by row in the long table's order, compensated (Kahan; a
    compensation that an infinity made NaN is reset, so the sum stays infinite)."""
    n_names, n_periods, n_reps, n_places = values.shape
    for p in range(n_periods):
        for r in range(n_reps):
            for i in range(n_places):
                for k in range(first[p], first[p + 1]):
                    g = (r * n_period_codes + period_code[k]) * n_place_codes + place_code[i]
                    rows[g] += 1
                    for j in range(n_names):
                        value = values[j, p, r, i] * share[k]
                        if value != value:           # missing values are skipped, as pandas does
                            continue
                        y = value - compensation[g, j]
                        t = sums[g, j] + y
                        compensation[g, j] = t - sums[g, j] - y
                        if compensation[g, j] != compensation[g, j]:
                            compensation[g, j] = 0.0
                        sums[g, j] = t
