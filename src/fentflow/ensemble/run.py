"""The unit of work: simulate one block of runs of one arm and return their small tables.

`run_block(task)` is pure: the same task gives the same table on any machine, in any process.
A task carries everything it needs (levers, seeds, parameter values), so a worker on a real
cluster needs fentflow installed and nothing else; the world is loaded once per process.
`run_one(spec, arm, run)` is the same for a single run (its whole block is simulated).
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.ensemble.spec import ComparisonSpec
from fentflow.ensemble.summary import summarize
from fentflow.policy.interventions import Intervention
from fentflow.policy.scenarios import Scenario

log = logging.getLogger(__name__)

RESOLUTION = "month"   # a run keeps annual tables; monthly periods keep a block's memory small
KEY_COLUMNS = ("arm", "run", "block", "seed", "draw")


@dataclass(frozen=True)
class BlockTask:
    arm: str
    interventions: tuple[Intervention, ...]
    block: int
    block_size: int
    seed: int
    runs: tuple[int, ...]                          # the runs to return (a subset of the block)
    draws: tuple[int, ...]                         # posterior row of each replicate (-1: defaults)
    pars: tuple[tuple[str, tuple[float, ...]], ...]  # parameter values per replicate
    start: str
    end: str
    world_dir: str | None

    @property
    def first_run(self) -> int:
        return self.block * self.block_size

    @property
    def key(self) -> str:
        return f"{self.arm}-block{self.block}"


def make_task(spec: ComparisonSpec, arm: Scenario, block: int, runs: tuple[int, ...]) -> BlockTask:
    members = range(block * spec.block_size, (block + 1) * spec.block_size)
    values = spec.parameters.values(members, spec.seed)
    return BlockTask(
        arm=arm.name, interventions=arm.interventions, block=block, block_size=spec.block_size,
        seed=spec.block_seed(block), runs=tuple(runs),
        draws=tuple(spec.parameters.draw_of(run, spec.seed) for run in members),
        pars=tuple((name, tuple(column)) for name, column in sorted(values.items())),
        start=spec.start, end=spec.end, world_dir=spec.world_dir)


def run_block(task: BlockTask) -> pd.DataFrame:
    """Simulate the block; return the long tables of `task.runs`, with arm, run, block, seed, draw."""
    from fentflow.sim.engine import Sim
    from fentflow.sim.pars import Pars

    sim = Sim(load_world(task.world_dir), Pars(dict(task.pars), n_reps=task.block_size), start=task.start,
              end=task.end, seed=task.seed, interventions=task.interventions, resolution=RESOLUTION)
    log.debug("simulating %s (%d replicates, seed %d)", task.key, task.block_size, task.seed)
    sim.run()
    table = summarize(sim.results, sim.net)
    replicate = table.pop("replicate").to_numpy()
    table = table.assign(arm=task.arm, run=replicate + task.first_run, block=task.block, seed=task.seed,
                         draw=np.asarray(task.draws)[replicate])
    table = table[table["run"].isin(task.runs)]
    return table[[*KEY_COLUMNS, "table", "place", "year", "metric", "value"]].reset_index(drop=True)


def run_one(spec: ComparisonSpec, arm: Scenario, run: int) -> pd.DataFrame:
    """One run of one arm (the whole block it belongs to is simulated, the one run returned)."""
    block = run // spec.block_size
    return run_block(make_task(spec, arm, block, (run,)))


@functools.cache
def load_world(world_dir: str | None):
    """The world of a directory (None: the bundled one), loaded once per process."""
    from fentflow.world import World

    return World.load(world_dir)
