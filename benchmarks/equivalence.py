"""Do fentflow and the Mesa reference agree in distribution? Means over seeds, within Monte Carlo error.

Each run is reduced to a few dozen summary statistics (national annual attempts, seizure
events, seized gross and pure kg; the same totals by CBP unit and by component; upstream
production, raids and interceptions in Mexico). For each statistic the two means over seeds
must differ by less than `N_SE` standard errors of the difference plus `RELATIVE_FLOOR` of
fentflow's mean (the floor keeps near-deterministic statistics from failing on rounding) plus
`ABSOLUTE_FLOOR` (fentflow's expected cargo reaches every crossing a route leads to, a
millionth of a load a year at the least used; the reference, drawing whole loads, never sends
one there in 20 seeds).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

import fentflow as ff
from benchmarks.mesa_model import BY_SITE, OPEN_LOOP, run_reference
from fentflow.sim.calendar import Calendar

N_SE = 4.0             # |mean difference| allowed, in standard errors of the difference
RELATIVE_FLOOR = 0.02  # ... plus 2 % of fentflow's mean
ABSOLUTE_FLOOR = 1e-3  # ... plus a thousandth of a load or kg
COMPARED = ("attempts", "seizure_events", "seized_gross_kg", "seized_pure_kg")
Run = Mapping[str, np.ndarray]   # quantity -> (week, place)


@dataclass(frozen=True)
class Layout:
    """How places and weeks group: calendar year of each week, CBP unit and component of each crossing."""
    year: np.ndarray
    unit: np.ndarray
    component: np.ndarray

    @classmethod
    def of(cls, net, start: str, end: str) -> "Layout":
        return cls(year=Calendar.between(start, end).year, unit=np.asarray(net.crossing_unit),
                   component=np.where(net.crossing_is_port, "port", "between"))


def fentflow_runs(pars: Mapping[str, float], start: str, end: str, n_runs: int, seed: int = 0,
                  world=None) -> tuple[list[Run], object]:
    """`n_runs` replicates of one parameter set, advanced together as one batch."""
    batch = {name: [value] * n_runs for name, value in pars.items()}
    sim = ff.Sim(world, batch, start=start, end=end, seed=seed)
    results = sim.run()
    names = (*COMPARED, *BY_SITE)
    return [{name: results[name][:, r, :] for name in names} for r in range(n_runs)], sim.net


def mesa_runs(pars: Mapping[str, float], start: str, end: str, seeds: Sequence[int], net) -> list[Run]:
    full = ff.Pars(dict(pars)).replicate(0)   # every parameter, defaults filled in
    return [run_reference(full, start, end, seed, net=net) for seed in seeds]


def summarize(run: Run, layout: Layout) -> dict[str, float]:
    """One run -> named summary statistics."""
    out: dict[str, float] = {}
    for name in COMPARED:
        weekly = run[name]
        for year in np.unique(layout.year):
            out[f"{name} | national {year}"] = float(weekly[layout.year == year].sum())
        for group in (layout.unit, layout.component):
            for place in np.unique(group):
                out[f"{name} | {place}"] = float(weekly[:, group == place].sum())
    for name in BY_SITE:
        for year in np.unique(layout.year):
            out[f"{name} | national {year}"] = float(run[name][layout.year == year].sum())
    return out


def compare(fentflow: Sequence[Run], mesa: Sequence[Run], layout: Layout,
            n_se: float = N_SE, floor: float = RELATIVE_FLOOR) -> pd.DataFrame:
    """One row per statistic: both means, their standard errors, the tolerance and whether it holds."""
    a = pd.DataFrame([summarize(r, layout) for r in fentflow])
    b = pd.DataFrame([summarize(r, layout) for r in mesa])
    table = pd.DataFrame({
        "fentflow_mean": a.mean(), "mesa_mean": b.mean(),
        "fentflow_se": a.std(ddof=1) / math.sqrt(len(a)), "mesa_se": b.std(ddof=1) / math.sqrt(len(b)),
    })
    table["difference"] = table["fentflow_mean"] - table["mesa_mean"]
    table["se_difference"] = np.hypot(table["fentflow_se"], table["mesa_se"])
    table["tolerance"] = n_se * table["se_difference"] + floor * table["fentflow_mean"].abs() + ABSOLUTE_FLOOR
    table["z"] = table["difference"] / table["se_difference"].where(table["se_difference"] > 0)
    table["agrees"] = table["difference"].abs() <= table["tolerance"]
    return table.rename_axis("statistic").reset_index()


def open_loop(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The default parameters with every upstream feedback off (what both models run)."""
    return {**OPEN_LOOP, **(overrides or {})}
