"""The unit of work: simulate one block of runs of one arm and return their small tables.

`run_block(task)` is pure: the same task gives the same table on any machine, in any process.
A task carries everything it needs (levers, seeds, parameter values), so a worker on a real
cluster needs fentflow installed and nothing else; the world is loaded once per process (`world/cache.py`).
`run_one(spec, arm, run)` is the same for a single run: run k is replicate k of the simulation, its
random numbers keyed by the base seed and k, so it gives the same table alone or in any block.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.ensemble.spec import ComparisonSpec
from fentflow.ensemble.summary import summarize
from fentflow.policy.interventions import Intervention
from fentflow.policy.scenarios import Scenario
from fentflow.world.cache import load_world

log = logging.getLogger(__name__)

RESOLUTION = "month"   # a run keeps annual tables; monthly periods keep a block's memory small
KEY_COLUMNS = ("arm", "run", "block", "seed", "draw")


@dataclass(frozen=True)
class BlockTask:
    arm: str
    interventions: tuple[Intervention, ...]
    block: int
    seed: int
    runs: tuple[int, ...]                          # the runs to simulate (of the block), one replicate each
    draws: tuple[int, ...]                         # posterior row of each run (-1: defaults)
    pars: tuple[tuple[str, tuple[float, ...]], ...]  # parameter values per run
    start: str
    end: str
    world_dir: str | None
    anchor_year: int | None = None                 # every arm's, or none (`ComparisonSpec.anchor_year`)

    @property
    def key(self) -> str:
        return f"{self.arm}-block{self.block}"


def make_task(spec: ComparisonSpec, arm: Scenario, block: int, runs: tuple[int, ...]) -> BlockTask:
    values = spec.parameters.values(runs, spec.seed)
    return BlockTask(
        arm=arm.name, interventions=arm.interventions, block=block, seed=spec.seed, runs=tuple(runs),
        draws=tuple(spec.parameters.draw_of(run, spec.seed) for run in runs),
        pars=tuple((name, tuple(column)) for name, column in sorted(values.items())),
        start=spec.start, end=spec.end, world_dir=spec.world_dir, anchor_year=spec.anchor_year)


def run_block(task: BlockTask) -> pd.DataFrame:
    """Simulate the task's runs (run k is replicate k); return their long tables, with arm, run, block, seed, draw."""
    from fentflow.sim.engine import Sim
    from fentflow.sim.pars import Pars

    sim = Sim(load_world(task.world_dir), Pars(dict(task.pars), n_reps=len(task.runs)), start=task.start,
              end=task.end, seed=task.seed, interventions=task.interventions, resolution=RESOLUTION,
              replicate_ids=task.runs, anchor_year=task.anchor_year)
    log.debug("simulating %s (runs %s, seed %d)", task.key, list(task.runs), task.seed)
    sim.run()
    table = summarize(sim.results, sim.net)
    replicate = table.pop("replicate").to_numpy()
    table = table.assign(arm=task.arm, run=np.asarray(task.runs)[replicate], block=task.block, seed=task.seed,
                         draw=np.asarray(task.draws)[replicate])
    return table[[*KEY_COLUMNS, "table", "place", "year", "metric", "value"]].reset_index(drop=True)


def run_one(spec: ComparisonSpec, arm: Scenario, run: int) -> pd.DataFrame:
    """One run of one arm, simulated alone: the same table as in any block."""
    return run_block(make_task(spec, arm, run // spec.block_size, (run,)))
