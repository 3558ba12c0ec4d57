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

from fentflow.interrupts import deferred_interrupts
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

CHUNK_WEEKS = 26   # the compiled loop returns every half year: progress is reported and Ctrl-C taken there

STEP_ORDER: tuple[type[Module], ...] = (
    Precursors, Production, Transport, Crossing, Distribution, Market, Demand, Adaptation, Violence,
)


class Sim:
    def __init__(self, world=None, pars: Pars | Mapping | None = None, *, start: str = DEFAULT_START,
                 end: str = DEFAULT_END, seed: int = 0, interventions: Sequence[Intervention] = (),
                 resolution: str = "week", steps: Sequence[type[Module]] = STEP_ORDER):
        if world is None:
            from fentflow.world import World  # the world package imports nothing from sim
            world = World.load()
        self.world = world
        self.pars = pars if isinstance(pars, Pars) else Pars(pars)
        self.par_columns = self.pars.columns()
        self.n_reps = self.pars.n_reps
        self.seed = int(seed)
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
        with deferred_interrupts() as interrupts:
            for week in range(self.calendar.n_weeks):
                self.step(week)
                interrupts.check()
                if progress:
                    progress(week)
        return self.results

    def _run_compiled(self, progress: Callable[[int], None] | None) -> None:
        n_weeks = self.calendar.n_weeks
        states = fused.compiled_states(self.modules)
        outs = tuple(m.results(m.outputs) for m in self.modules.values() if m.outputs is not None)
        ticks = fused.new_ticks()
        with deferred_interrupts() as interrupts:   # a SIGINT inside compiled code would crash it (see there)
            began, began_ticks = time.perf_counter(), fused.now()
            for first in range(0, n_weeks, CHUNK_WEEKS):
                stop = min(first + CHUNK_WEEKS, n_weeks)
                self.loads.arrays, week, rep = fused.run_weeks(first, stop, self.par_columns, self.results.periods,
                                                               self.ledger.arrays, self.loads.arrays, states, outs,
                                                               ticks)
                self.week = stop - 1 if week < 0 else week
                if week >= 0:
                    self._add_timings(ticks, began, began_ticks)
                    self.ledger.fail(week, str(self.calendar.week_start[week].date()), rep)
                interrupts.check()
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


def _summary_line(cls: type[Module]) -> str:
    doc = (sys.modules[cls.__module__].__doc__ or "").strip()
    first = doc.splitlines()[0] if doc else ""
    return re.sub(r"^Step \d+\.\s*", "", first)
