"""Violence anchored on the last year SESNSP counted: where a run's projected homicides start from.

A run's state factor (step 9, `modules/violence.py`) starts from a draw in 2015 and drifts as a
random walk; nothing in a run sees SESNSP's counts after 2015. Left alone, a projection past the
data gives each state the band of every year of drift since 2015 around the level the model
explains, and a state whose violence kept moving for reasons the model does not hold lies
outside it. So a run that holds the whole last counted year is conditioned on it: at its first week that begins after
that year, each replicate's ln state factors move so that its homicides of the year would have
matched SESNSP's,

    ln factor += ln((counted + 0.5) / (simulated + 0.5))         (0 where a state has no count)

and the walk goes on from there. The years up to the anchor are untouched; so is every
calibration run, which ends with the data. Fitted through 2021, the anchor cut the held-out
homicides' error from 0.63 to 0.21 (docs/validation.md, check 2).

A lever acting before the anchor week would be erased by it (its arm would be pulled back to
the counted year like the reference), so a run with such a lever is not anchored, and a
comparison anchors none of its arms if any has one (`blocking_levers`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from fentflow.errors import InputError
from fentflow.policy.interventions import lever_weeks

SERIES = "sesnsp_homicides"
LAST_COUNTED = "last"       # `Sim(anchor_year=...)`'s default: the last year SESNSP counted


@dataclass(frozen=True)
class Anchor:
    """Where a run is anchored: SESNSP's `counts` of `year` by state (the run's order; NaN: not counted),
    applied before week `week`, the run's first week that begins after `year`."""
    year: int
    week: int
    counts: np.ndarray

    def shift(self, simulated: np.ndarray) -> np.ndarray:
        """The change of each replicate's ln state factor, (rep, state), for its `simulated` homicides of the
        year, (rep, state)."""
        counted = self.counts[None, :]
        shift = np.log((counted + 0.5) / (simulated + 0.5))
        return np.where(np.isfinite(counted), shift, 0.0)

    def describe(self, calendar) -> str:
        return (f"each state's anchored on SESNSP's {self.year} homicides from the week of "
                f"{calendar.week_start[self.week].date()}")


def counted_years() -> list[int]:
    """The years SESNSP's homicides by state are counted in the data in use."""
    return sorted(_counts_in_use())


def resolve_year(anchor_year: int | str | None) -> int | None:
    """The counted year a run is anchored on: `LAST_COUNTED`, a counted year, or None (no anchor)."""
    if anchor_year is None:
        return None
    years = counted_years()
    if anchor_year == LAST_COUNTED:
        return years[-1]
    if isinstance(anchor_year, bool) or not isinstance(anchor_year, (int, np.integer)) or anchor_year not in years:
        raise InputError(f"anchor year {anchor_year!r} is not a year SESNSP counted ({years[0]}-{years[-1]}) "
                         f"nor '{LAST_COUNTED}'", field="anchor_year")
    return int(anchor_year)


def last_counted_through(year: int) -> int | None:
    """The last year SESNSP counted up to `year` (a calibration's last fitted year), None if none."""
    years = [counted for counted in counted_years() if counted <= year]
    return years[-1] if years else None


def anchor_week(calendar, year: int) -> int | None:
    """The first week of the run that begins after `year`, if the run holds all of `year` before it."""
    holds_year = calendar.thursday.values[0] <= np.datetime64(f"{year}-01-07")   # the year's first week, or earlier
    after = int(np.searchsorted(calendar.week_start.values, np.datetime64(f"{year + 1}-01-01")))
    return after if holds_year and after < calendar.n_weeks else None


def blocking_levers(interventions, calendar, week: int) -> list:
    """The levers that act in a week of `calendar` before the anchor week `week`."""
    return [lever for lever in interventions if (weeks := lever_weeks(calendar, lever)).size and weeks[0] < week]


def plan(anchor_year: int | str | None, calendar, states, interventions) -> tuple[Anchor | None, str]:
    """A run's anchor (None if it has none) and a sentence saying where it is, or why there is none."""
    year = resolve_year(anchor_year)
    if year is None:
        return None, "not anchored on SESNSP's homicides (anchor_year=None)"
    week = anchor_week(calendar, year)
    if week is None:
        return None, f"not anchored on SESNSP's {year} homicides: the run does not hold all of {year} and go on past it"
    if blocking_levers(interventions, calendar, week):
        return None, (f"not anchored on SESNSP's {year} homicides: a lever acts before the week of "
                      f"{calendar.week_start[week].date()}, and anchoring would erase its effect")
    anchor = Anchor(year, week, _counts(year, states))
    return anchor, anchor.describe(calendar)


def common_year(arms, calendar) -> int | None:
    """The year every arm of a comparison over `calendar` is anchored on: the last counted, or None for all
    if the span has no anchor week or a lever of any arm acts before it (an arm anchored alone would
    fall out of step with the others)."""
    year = resolve_year(LAST_COUNTED)
    week = anchor_week(calendar, year)
    levers = [lever for arm in arms for lever in arm.interventions]
    return None if week is None or blocking_levers(levers, calendar, week) else year


def describe_common(year: int | None) -> str:
    """What `common_year` decided, in words (for `compare`'s output and the report)."""
    if year is None:
        return ("not anchored on SESNSP's counts (the span does not hold the last counted year and go on past "
                "it, or a lever acts before the year after it)")
    return f"every arm's anchored on SESNSP's {year} homicides (docs/model.md, step 9)"


def counted(year: int | None) -> dict[str, float]:
    """SESNSP's counts of `year` by state abbreviation (empty for None): what an anchored run reads."""
    return dict(_counts_in_use().get(year, ())) if year is not None else {}


def _counts_in_use() -> dict[int, tuple[tuple[str, float], ...]]:
    """SESNSP's counts by year, then state, of the data in use (a bundled or an imported file)."""
    from fentflow.observed.series import imported_file

    path = imported_file(SERIES)
    return _counts_of(str(path) if path else None, path.stat().st_mtime_ns if path else 0)


@functools.lru_cache(maxsize=4)
def _counts_of(imported: str | None, modified: int) -> dict[int, tuple[tuple[str, float], ...]]:
    """`_counts_in_use`, read once per file in use (a run is built in about a millisecond)."""
    from fentflow.observed.series import load_series

    table = load_series(SERIES)
    return {int(year): tuple((str(abbr), float(victims)) for abbr, victims in
                             rows[["abbr", "victims"]].itertuples(index=False))
            for year, rows in table.groupby("year")}


def _counts(year: int, states) -> np.ndarray:
    by_state = counted(year)
    return np.array([by_state.get(state, np.nan) for state in states])
