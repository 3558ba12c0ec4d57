"""The simulation engine: an explicit, numbered step order over weekly time steps.

    for each week:  1 precursors  2 production  3 transport  4 crossing  5 distribution
                    6 market  7 demand  8 adaptation  9 violence  -> ledger check

The order is data (`STEP_ORDER`): print `ff.Sim.describe_steps()` to read it, pass
`steps=` to insert or replace a module. Each step is timed (`sim.timings`).

Every module's week is one compiled kernel. In the standard order a whole run is one
compiled loop (`fused.py`, the fast path); with any other order, or when stepping by hand
(`sim.step(week)`), the modules' `step` methods run week by week, with the same results.
"""
from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence

from fentflow.errors import InputError
from fentflow.policy.interventions import Intervention, Levers
from fentflow.sim import fused
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START, Calendar
from fentflow.sim.ledger import Ledger
from fentflow.sim.modules.adaptation import Adaptation
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.crossing import Crossing
from fentflow.sim.modules.demand import Demand
from fentflow.sim.modules.distribution import Distribution
from fentflow.sim.modules.market import Market
from fentflow.sim.modules.precursors import Precursors
from fentflow.sim.modules.production import Production
from fentflow.sim.modules.transport import Transport
from fentflow.sim.modules.violence import Violence
from fentflow.sim.network import network_of
from fentflow.sim.pars import Pars
from fentflow.sim.queue import LoadQueue
from fentflow.sim.results import Results
from fentflow.sim.rng import Streams

log = logging.getLogger(__name__)

PROGRESS_WEEKS = 26   # with a progress callback, the compiled loop reports every half year

STEP_ORDER: tuple[type[Module], ...] = (
    Precursors, Production, Transport, Crossing, Distribution, Market, Demand, Adaptation, Violence,
)


class Sim:
    """One simulation of a world, week by week, for a batch of replicates run together.

    Parameters come from one of three places, and `sim.parameter_source` says which:

    - `parameters="calibrated"` (the default, as in every command): the posterior shipped with
      fentflow, one weighted draw per replicate;
    - `parameters="defaults"`: every replicate at the declared defaults (`fentflow params`);
    - `parameters="path/to/posterior.parquet"`: draws from your own calibration;
    - or explicit values: `pars=ff.Pars({...})` or a mapping of names to numbers or arrays.

    `replicates` (default `DEFAULT_REPLICATES`, 20, the count behind every interval in the CLI)
    replicates run together, each with its own draws; same inputs and seed, identical results.

    Example::

        import fentflow as ff
        sim = ff.Sim(ff.World.load(), start="2019-01-01", end="2024-12-31", replicates=20, seed=1)
        results = sim.run()
        deaths = ff.aggregate(results, "deaths", by_place=False)     # replicate, year, deaths
        sim.parameter_source   # '400 weighted posterior draws from .../posterior.parquet'

    Interventions (`ff.Intervention`) change levers over time windows; `steps=` inserts or
    replaces a module of the step order (`Sim.describe_steps()`).
    """

    def __init__(self, world=None, pars: Pars | Mapping | None = None, *, parameters=None,
                 replicates: int | None = None, start: str = DEFAULT_START, end: str = DEFAULT_END,
                 seed: int = 0, interventions: Sequence[Intervention] = (), resolution: str = "week",
                 steps: Sequence[type[Module]] = STEP_ORDER):
        if world is None:
            from fentflow.world import World  # the world package imports nothing from sim
            world = World.load()
        self.world = world
        self.seed = int(seed)
        (self.pars, self.parameter_choice, self.parameter_source,
         self.parameter_draws) = _parameters(pars, parameters, replicates, self.seed)
        self.par_columns = self.pars.columns()
        self.n_reps = self.pars.n_reps
        self.calendar = Calendar.between(start, end)
        self.interventions = tuple(interventions)
        self.streams = Streams(self.seed)
        self.net = network_of(self.world)
        self.levers = Levers(self.calendar, self.net.crossings, self.net.crossing_unit,
                             self.net.crossing_is_port, self.interventions)
        self.loads = LoadQueue(self.n_reps)
        self.ledger = Ledger(self.n_reps)
        self.results = Results(self.calendar, self.n_reps, resolution)
        self.modules: dict[str, Module] = {}
        for cls in steps:
            module = cls(self)
            self.modules[module.name] = module
        for module in self.modules.values():
            module.declare_results()
        self.timings = {name: 0.0 for name in [*self.modules, "ledger"]}
        self.week = 0

    @staticmethod
    def describe_steps(steps: Sequence[type[Module]] = STEP_ORDER) -> list[str]:
        """The step order, numbered, with the first line of each module's documentation."""
        return [f"{i}. {cls.name}: {_summary_line(cls)}" for i, cls in enumerate(steps, 1)]

    @property
    def compiled(self) -> bool:
        """Whether `run` takes the fast path: the standard modules, in the standard order, steps untouched."""
        standard = tuple(type(module) for module in self.modules.values()) == STEP_ORDER
        return standard and not any("step" in vars(module) for module in self.modules.values())

    def run(self, progress: Callable[[int], None] | None = None) -> Results:
        """Run every week from the first; `progress(week)` is called as weeks complete."""
        log.info("running %d weeks x %d replicates (seed %d)", self.calendar.n_weeks, self.n_reps, self.seed)
        if self.compiled:
            self._run_compiled(progress)
            return self.results
        for week in range(self.calendar.n_weeks):
            self.step(week)
            if progress:
                progress(week)
        return self.results

    def _run_compiled(self, progress: Callable[[int], None] | None) -> None:
        n_weeks = self.calendar.n_weeks
        chunk = PROGRESS_WEEKS if progress else n_weeks
        states = fused.compiled_states(self.modules)
        outs = tuple(m.results(m.outputs) for m in self.modules.values() if m.outputs is not None)
        ticks = fused.new_ticks()
        began, began_ticks = time.perf_counter(), fused.now()
        for first in range(0, n_weeks, chunk):
            stop = min(first + chunk, n_weeks)
            self.loads.arrays, week, rep = fused.run_weeks(first, stop, self.par_columns, self.results.periods,
                                                           self.ledger.arrays, self.loads.arrays, states, outs, ticks)
            self.week = stop - 1 if week < 0 else week
            if week >= 0:
                self._add_timings(ticks, began, began_ticks)
                self.ledger.fail(week, str(self.calendar.week_start[week].date()), rep)
            if progress:
                progress(stop - 1)
        self._add_timings(ticks, began, began_ticks)

    def _add_timings(self, ticks, began: float, began_ticks: int) -> None:
        """Cycles per step to seconds, at the rate the counter ran over the whole call."""
        seconds_per_tick = (time.perf_counter() - began) / max(fused.now() - began_ticks, 1)
        for name, count in zip([*self.modules, "ledger"], ticks):
            self.timings[name] += count * seconds_per_tick

    def step(self, week: int) -> None:
        self.week = week
        for name, module in self.modules.items():
            began = time.perf_counter()
            module.step(week)
            self.timings[name] += time.perf_counter() - began
        began = time.perf_counter()
        self.ledger.check(week, str(self.calendar.week_start[week].date()))
        self.timings["ledger"] += time.perf_counter() - began


def _parameters(pars, parameters, replicates: int | None, seed: int) -> tuple[Pars, str | None, str, list[int]]:
    """The run's parameter values; the choice that names their source (`calibrated`, `defaults`, a path;
    None for explicit values) and its description; the posterior draw of each replicate (-1: none)."""
    from fentflow.ensemble.parameters import CALIBRATED, DEFAULT_REPLICATES, choice_of, parameter_source  # no cycle

    if replicates is not None and replicates < 1:
        raise InputError(f"replicates must be at least 1, got {replicates}", field="replicates")
    if pars is not None:
        if parameters is not None:
            raise InputError("give either pars (explicit values) or parameters (a source), not both",
                             field="parameters")
        if isinstance(pars, Pars):
            if replicates is not None and replicates != pars.n_reps:
                raise InputError(f"pars holds {pars.n_reps} replicates, not {replicates}", field="replicates")
        else:
            pars = Pars(pars, n_reps=replicates)
        return pars, None, "explicit parameter values", [-1] * pars.n_reps
    source = parameter_source(CALIBRATED if parameters is None else parameters)
    runs = range(DEFAULT_REPLICATES if replicates is None else replicates)
    return (Pars(source.values(runs, seed), n_reps=len(runs)), choice_of(source), source.describe(),
            [source.draw_of(run, seed) for run in runs])


def _summary_line(cls: type[Module]) -> str:
    doc = (sys.modules[cls.__module__].__doc__ or "").strip()
    first = doc.splitlines()[0] if doc else ""
    return re.sub(r"^Step \d+\.\s*", "", first)
