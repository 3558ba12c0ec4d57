"""The index's raw inputs per state and year, from a simulation or from a run's output directory.

Both paths go through the same tidy tables (`Results.frame(kind)` is what `write_outputs`
writes as states/sites/entries.parquet), so the map of a fresh simulation and the map in the
report of an earlier `fentflow run` are computed the same way.

Years follow the observables (`fentflow.sim.observables`): a weekly flow is spread over the
days of its week, so a week straddling New Year counts partly in each year; a stock (the
conflict index) is averaged over the weeks whose Thursday falls in the year.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fentflow.errors import InputError
from fentflow.observed.series import load_series

log = logging.getLogger(__name__)

PER_100K = 100_000.0
OBSERVED, MODEL = "observed (SESNSP)", "model"
# A week counts in the year of its Thursday, as the simulator's calendar does.
THURSDAY = pd.Timedelta(days=3)
WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class ActivityFrames:
    """Per-period results by place: states (homicides, fentanyl_flow_kg, conflict_index),
    sites (produced_kg), entries (precursor_inflow_kg); each with period, replicate and place."""

    states: pd.DataFrame
    sites: pd.DataFrame
    entries: pd.DataFrame

    @classmethod
    def from_results(cls, results) -> ActivityFrames:
        return cls(results.frame("state"), results.frame("site"), results.frame("entry"))

    @classmethod
    def from_output_dir(cls, out_dir: str | Path) -> ActivityFrames:
        out = Path(out_dir)
        frames = {}
        for name in ("states", "sites", "entries"):
            path = out / f"{name}.parquet"
            if not path.exists():
                raise InputError(f"no {path.name}: run `fentflow run --out {out}` first", file=str(path))
            frames[name] = pd.read_parquet(path)
        return cls(**frames)

    def years(self) -> list[int]:
        return sorted(_year(self.states["period"]).unique().tolist())


def annual_activity(frames: ActivityFrames, world, year: int) -> pd.DataFrame:
    """Per state (index: abbr, in world order) for `year`, median over replicates:
    simulated homicides, mean conflict index (pure t/yr), production, transit and precursor entry (kg)."""
    states = _flows_in_year(frames.states, year, ["homicides", "fentanyl_flow_kg"])
    per_rep = states.groupby(["replicate", "state"]).agg(homicides=("homicides", "sum"),
                                                         flow_kg=("fentanyl_flow_kg", "sum"))
    stocks = frames.states[_year(frames.states["period"]) == year]
    per_rep["conflict_t"] = stocks.groupby(["replicate", "state"])["conflict_index"].mean()
    produced = _by_state(_flows_in_year(frames.sites, year, ["produced_kg"]), "site", "produced_kg",
                         world.production.set_index("id")["state"])
    entered = _by_state(_flows_in_year(frames.entries, year, ["precursor_inflow_kg"]), "entry", "precursor_inflow_kg",
                        world.entry_points.set_index("id")["state"])
    per_rep = per_rep.join(produced).join(entered).fillna({"produced_kg": 0.0, "precursor_inflow_kg": 0.0})
    # The state's flow is entering + produced + transit (sim/modules/violence.py), so transit is the rest.
    per_rep["transit_kg"] = (per_rep["flow_kg"] - per_rep["produced_kg"] - per_rep["precursor_inflow_kg"]).clip(lower=0)
    median = per_rep.groupby(level="state").median()
    return median.reindex(world.states["abbr"]).fillna(0.0).rename_axis("abbr")


def raw_indicators(activity: pd.DataFrame, world, year: int) -> pd.DataFrame:
    """The index's raw indicator values per state (columns = indicator names) plus provenance columns."""
    homicides = observed_homicides(year)
    population = world.states.set_index("abbr")["population_2023"].astype(float)
    out = pd.DataFrame(index=activity.index)
    if homicides is not None:
        out["homicide_rate"] = homicides["rate_per_100k"].reindex(out.index)
        out["homicide_source"] = f"{OBSERVED} {year}"
    else:
        out["homicide_rate"] = activity["homicides"] / population.reindex(out.index) * PER_100K
        out["homicide_source"] = f"{MODEL} {year}"
    out["conflict_intensity"] = activity["conflict_t"] * 1000.0
    out["production"] = activity["produced_kg"]
    out["transit"] = activity["transit_kg"]
    out["precursor_entry"] = activity["precursor_inflow_kg"]
    return out


def observed_homicides(year: int) -> pd.DataFrame | None:
    """SESNSP victims and rate per 100,000 by state (index abbr) for `year`, or None if not observed."""
    series = load_series("sesnsp_homicides")
    rows = series[series["year"] == year]
    return rows.set_index("abbr")[["victims", "population", "rate_per_100k"]] if len(rows) else None


def _flows_in_year(frame: pd.DataFrame, year: int, columns: list[str]) -> pd.DataFrame:
    """The rows of `frame` with a share of their period in `year`, flows scaled by that share."""
    shares = _year_shares(frame["period"])
    rows = frame.merge(shares[shares["year"] == year], on="period")
    rows[columns] = rows[columns].mul(rows.pop("share"), axis=0)
    return rows


def _year_shares(period: pd.Series) -> pd.DataFrame:
    """period, year, share: how each period's days split over calendar years (monthly periods: all in one)."""
    starts = pd.DatetimeIndex(pd.unique(pd.to_datetime(period))).sort_values()
    if len(starts) > 1 and not (starts[1:] - starts[:-1] == WEEK).all():
        return pd.DataFrame({"period": starts, "year": starts.year, "share": 1.0})
    days = starts.repeat(7) + pd.to_timedelta(np.tile(np.arange(7), len(starts)), unit="D")
    frame = pd.DataFrame({"period": starts.repeat(7), "year": days.year})
    shares = frame.groupby(["period", "year"], as_index=False).size()
    shares["share"] = shares.pop("size") / 7.0
    return shares


def _year(period: pd.Series) -> pd.Series:
    """Calendar year of each period: its Thursday's (the simulator's rule for weeks)."""
    return (pd.to_datetime(period) + THURSDAY).dt.year


def _by_state(frame: pd.DataFrame, place: str, value: str, state_of: pd.Series) -> pd.Series:
    table = frame.assign(state=frame[place].map(state_of))
    return table.groupby(["replicate", "state"])[value].sum()
