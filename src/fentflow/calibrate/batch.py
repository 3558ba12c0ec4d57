"""Worker side: simulate one chunk of parameter sets as the replicates of a single `Sim`.

A `Chunk` is pure data (parameter arrays, a seed, the targets, the world), so any worker,
local or on a cluster, computes the same result for it. Two outputs:

- `chunk_statistics`: the summary statistics of each replicate (what ABC-SMC needs);
- `chunk_predictive`: the tables of a posterior-predictive run (model beside every observed
  series, seizure shares, national flows), replicates renumbered by the chunk's offset.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fentflow.calibrate.fitcheck import align, covered_months
from fentflow.calibrate.statistics import TargetSet
from fentflow.world.cache import load_world

RESOLUTION = "month"    # every target is monthly or coarser: monthly results are cheaper to keep


@dataclass(frozen=True)
class Chunk:
    params: dict[str, np.ndarray]     # natural-scale values, one array per parameter (the replicates)
    seed: int
    targets: TargetSet
    world: str | None = None          # a world directory, None for the bundled world
    offset: int = 0                   # global index of the first replicate (its random numbers follow it)
    fixed: dict[str, float] = field(default_factory=dict)   # other parameters set for every replicate
    anchor_year: int | None = None    # the counted year the violence past it starts from (`sim/anchor.py`); None: none

    @property
    def size(self) -> int:
        return len(next(iter(self.params.values())))


def chunks_of(params: dict[str, np.ndarray], size: int, seed: int, targets: TargetSet, world: str | None = None,
              fixed: dict[str, float] | None = None, anchor_year: int | None = None) -> list[Chunk]:
    """Replicates (one per row of `params`) as chunks of `size`, under one seed: each replicate is
    numbered by its row, so its numbers do not depend on the chunking."""
    n = len(next(iter(params.values())))
    return [Chunk(params={name: values[start:start + size] for name, values in params.items()}, seed=seed,
                  targets=targets, world=world, offset=start, fixed=dict(fixed or {}), anchor_year=anchor_year)
            for start in range(0, n, size)]


def chunk_sim(chunk: Chunk):
    """The `Sim` of a chunk, ready to run: its replicates over the targets' span."""
    from fentflow.sim.engine import Sim
    from fentflow.sim.pars import Pars

    values = {**{name: np.full(chunk.size, value) for name, value in chunk.fixed.items()}, **chunk.params}
    return Sim(load_world(chunk.world), Pars(values, n_reps=chunk.size), start=chunk.targets.start,
               end=chunk.targets.end, seed=chunk.seed, resolution=RESOLUTION,
               replicate_ids=range(chunk.offset, chunk.offset + chunk.size), anchor_year=chunk.anchor_year)


def run_chunk(chunk: Chunk):
    """The finished `Sim` of a chunk."""
    sim = chunk_sim(chunk)
    sim.run()
    return sim


def chunk_statistics(chunk: Chunk) -> list[dict[str, float]]:
    """Summary statistics of each replicate of the chunk, in replicate order."""
    from fentflow.sim.observables import fitted_observables

    sim = run_chunk(chunk)
    stats = chunk.targets.simulated(fitted_observables(sim.results, sim.net)).reindex(range(chunk.size))
    return [{name: float(value) for name, value in row.items()} for _, row in stats.iterrows()]


def chunk_predictive(chunk: Chunk, statistics: bool = False) -> dict[str, pd.DataFrame]:
    """Posterior-predictive tables of the chunk: aligned points (all fit-check series), hidden quantities;
    with `statistics`, also each replicate's summary statistics as the calibration computes them (a
    synthetic truth's; about 0.3 s a 100-replicate chunk, which the predictive draws do not need)."""
    from fentflow.sim.observables import all_observables

    sim = run_chunk(chunk)
    tables = all_observables(sim.results, sim.net)
    years = complete_years(sim.calendar)
    out = {"aligned": align(tables, sim.calendar),
           "seizure_share": tables["seizure_share"][tables["seizure_share"]["year"].isin(years)],
           "national_annual": tables["national_annual"][tables["national_annual"]["year"].isin(years)]}
    if statistics:
        out["statistics"] = chunk.targets.simulated(tables).rename_axis("replicate").reset_index()
    for name, table in out.items():
        out[name] = table.assign(replicate=table["replicate"].astype(int) + chunk.offset).reset_index(drop=True)
    return out


def complete_years(calendar) -> list[int]:
    """Calendar years whose twelve months were all simulated (results split weeks across months by day,
    so the first and last months of a run can hold a few days only)."""
    months = covered_months(calendar)
    years = {year for year, _ in months}
    return sorted(year for year in years if all((year, month) in months for month in range(1, 13)))
