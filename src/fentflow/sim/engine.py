"""The simulation engine: an explicit, numbered step order over weekly time steps.

    for each week:  1 precursors  2 production  3 transport  4 crossing  5 distribution
                    6 market  7 demand  8 adaptation  9 violence  -> ledger check

The week is wired once, in `fused.py` (`fused.run_weeks`, with its modules in `fused.MODULES`):
print `ff.Sim.describe_steps()` to read the order, pass `steps=` to insert plain-Python
modules between the compiled steps. Each step is timed (`sim.timings`).

A run with the standard steps is one compiled call; stepping by hand (`sim.step(week)`) or
with Python modules inserted runs the same compiled week in segments, with the same results.
"""
from __future__ import annotations

import functools
import logging
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from fentflow.errors import InputError
from fentflow.interrupts import deferred_interrupts
from fentflow.policy.interventions import Intervention, Levers
from fentflow.sim import fused, warmup
from fentflow.sim.anchor import LAST_COUNTED, plan as anchor_plan
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START, Calendar
from fentflow.sim.dispatch import Resolved
from fentflow.sim.ledger import Ledger
from fentflow.sim.modules.base import Module
from fentflow.sim.network import network_of
from fentflow.sim.pars import Pars
from fentflow.sim.results import Results
from fentflow.sim.rng import Streams
from fentflow.sim.sources import CALIBRATED, DEFAULT_REPLICATES, choice_of, parameter_source
from fentflow.sim.yearly import period_years

log = logging.getLogger(__name__)

CHUNK_WEEKS = 26   # the compiled loop returns every half year: progress is reported and Ctrl-C taken there

STEP_ORDER: tuple[type[Module], ...] = fused.MODULES


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

    Interventions (`ff.Intervention`) change levers over time windows; `steps=` inserts
    plain-Python modules into the step order (`Sim.describe_steps()`).

    `anchor_year`: a run that holds the whole year and goes on past it starts its projected
    violence from SESNSP's counts of that year (`sim/anchor.py`): `"last"` (the default, the last
    year counted), a counted year, or None for no anchor. `sim.anchor_note` says where, or why not.

    `replicate_ids`: the global index of each replicate (its run number in an ensemble; default
    0..n-1). A replicate's random numbers and its posterior draw follow its index, never its
    position in this batch, so replicate k gives the same results alone or beside any others.
    `steps`: the week's compiled modules in their order, with plain-Python modules inserted
    anywhere (default: `week.modules`).
    """

    def __init__(self, world=None, pars: Pars | Mapping | None = None, *, parameters=None,
                 replicates: int | None = None, start: str = DEFAULT_START, end: str = DEFAULT_END,
                 seed: int = 0, interventions: Sequence[Intervention] = (), resolution: str = "week",
                 steps: Sequence[type[Module]] | None = None, replicate_ids: Sequence[int] | None = None,
                 week: fused.Week = fused.STANDARD, anchor_year: int | str | None = LAST_COUNTED):
        if world is None:
            from fentflow.world import World  # the world package imports nothing from sim
            world = World.load()
        self.world = world
        self.seed = int(seed)
        if replicate_ids is not None and replicates is None:
            replicates = len(replicate_ids)
        (self.pars, self.parameter_choice, self.parameter_source,
         self.parameter_draws) = _parameters(pars, parameters, replicates, self.seed, replicate_ids)
        self.n_reps = self.pars.n_reps
        self.calendar = Calendar.between(start, end)
        self.interventions = tuple(interventions)
        self.replicate_ids = _replicate_ids(replicate_ids, self.n_reps)
        self.streams = Streams(self.seed, self.replicate_ids)
        self.net = network_of(self.world)
        self.levers = Levers(self.calendar, self.net, self.interventions)
        self.ledger = Ledger(self.n_reps)
        self.results = Results(self.calendar, self.n_reps, resolution)
        self.week_wiring = week
        self._week = Resolved(week.run)   # the week is called once a chunk, or once a week: resolve its types once
        steps = tuple(week.modules if steps is None else steps)
        _check_order(steps, week)
        self.modules: dict[str, Module] = {}
        for cls in steps:
            module = cls(self)
            self.modules[module.name] = module
        self._plan = _plan(list(self.modules.values()), week)
        self.anchor, self.anchor_note = (anchor_plan(anchor_year, self.calendar, self.net.states, self.interventions)
                                         if "violence" in self.modules else (None, "no violence step to anchor"))
        for module in self.modules.values():
            module.declare_results()
        self._python_seconds = {name: 0.0 for name in self.modules}   # plain-Python modules' time
        self._ticks = np.zeros(self.week_wiring.n_steps + 1, np.int64)   # the compiled steps' and the ledger's cycles
        self._compiled_clock = [0.0, 0]                                  # seconds and cycles of the compiled calls
        self._progress = np.full(len(fused.PROGRESS), -1, np.int64)      # the week's own record (`fused.PROGRESS`)
        self.week = 0
        self._anchored = False

    @property
    def week(self) -> int:
        """The week now running, or the last one run (its first step, when stepped with Python modules)."""
        return int(self._progress[fused.WEEK_RUN])

    @week.setter
    def week(self, week: int) -> None:
        self._progress[fused.WEEK_RUN] = week

    @staticmethod
    def describe_steps(steps: Sequence[type[Module]] = STEP_ORDER) -> list[str]:
        """The step order, numbered, with the first line of each module's documentation."""
        return [f"{i}. {cls.name}: {_summary_line(cls)}" for i, cls in enumerate(steps, 1)]

    @property
    def loads_on_road(self) -> float:
        """Loads on their way to the border, waiting to set off or on the road, every replicate: an
        expected number (`cargo.py`)."""
        return fused.loads_on_road(self.modules["transport"].state, self.modules["crossing"].state)

    @property
    def compiled(self) -> bool:
        """Whether `run` takes the fast path: the week's compiled steps only, the whole run in one call."""
        return len(self._plan) == 1

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
        """The whole week in one compiled call per chunk of `CHUNK_WEEKS` weeks (Ctrl-C is taken between chunks)."""
        n_weeks = self.calendar.n_weeks
        bounds = sorted({*range(0, n_weeks, CHUNK_WEEKS), n_weeks, *([self.anchor.week] if self.anchor else [])})
        with deferred_interrupts() as interrupts:    # Ctrl-C between chunks is held to the end of the next
            for first, stop in zip(bounds, bounds[1:]):
                self._anchor_if_due(first)
                self._run_segment(self._week, first, stop, 0, self.week_wiring.n_steps)
                interrupts.check()
                if progress:
                    progress(stop - 1)

    def step(self, week: int) -> None:
        """One week: the compiled week's segments, with any Python modules between them.

        A Ctrl-C in a week with Python modules is taken at its end, so that no module is left half
        stepped. A week that is one compiled call needs no such guard: Python takes the signal as the
        call returns, and the week has already recorded itself (`sim.week` and a broken balance, which
        the next step reports)."""
        self._anchor_if_due(week)
        if self.compiled:                  # the week is one call of the compiled week
            self._run_segment(self._week, week, week + 1, *self._plan[0])
            return
        with deferred_interrupts():
            for item in self._plan:
                if isinstance(item, Module):
                    self.week = week
                    began = time.perf_counter()
                    item.step(week)
                    self._python_seconds[item.name] += time.perf_counter() - began
                else:
                    self._run_segment(self._week, week, week + 1, *item)

    def _anchor_if_due(self, week: int) -> None:
        """Before the anchor week, move each replicate's state factors to SESNSP's counts of the anchor year."""
        if self.anchor is None or week != self.anchor.week or self._anchored:
            return
        year_of_period = period_years(self.results)
        simulated = self.results["homicides"][year_of_period == self.anchor.year].sum(axis=0)   # (rep, state)
        self.modules["violence"].state.state_shift[...] += self.anchor.shift(simulated)
        self._anchored = True

    @property
    def timings(self) -> dict[str, float]:
        """Seconds spent in each step so far, in step order, then the ledger's check. Compiled steps
        count processor cycles, converted at the rate the compiled calls ran."""
        seconds, cycles = self._compiled_clock
        per_cycle = seconds / cycles if cycles else 0.0
        compiled = dict(zip(self._compiled_parts[0], self._ticks * per_cycle))
        return {name: float(compiled.get(name, self._python_seconds.get(name, 0.0)))
                for name in [*self.modules, "ledger"]}

    @functools.cached_property
    def _compiled_parts(self) -> tuple[list[str], tuple, tuple]:
        """The names the week's ticks are timed under (the compiled modules in step order, then the ledger),
        and the modules' states and result arrays, as the week takes them."""
        compiled = [m for m in self.modules.values() if type(m) in self.week_wiring.modules]
        return ([m.name for m in compiled] + ["ledger"], tuple(m.state for m in compiled),
                tuple(m.results_block for m in compiled if m.results_block is not None))

    def week_arguments(self, first: int, stop: int, lo: int, hi: int) -> tuple:
        """What the week (`fused.run_weeks`) takes to run steps lo..hi-1 of weeks first..stop-1 of this run."""
        _, states, outs = self._compiled_parts
        return first, stop, lo, hi, self.results.periods, self.ledger.arrays, states, outs, self._ticks, self._progress

    def _run_segment(self, run_weeks: Callable, first: int, stop: int, lo: int, hi: int) -> None:
        """Steps lo..hi-1 of the compiled week (`run_weeks`) for weeks first..stop-1; a broken balance
        raises LedgerError (here, or at the next call if a Ctrl-C came first)."""
        if self._progress[fused.BROKEN_WEEK] >= 0:
            self._raise_broken_balance()
        if self._week.compiled is None and self.week_wiring is fused.STANDARD:
            warmup.prepare(self.world)       # a first run on this machine compiles in two processes
        arguments = self.week_arguments(first, stop, lo, hi)
        began, began_cycles = time.perf_counter(), fused.now()
        run_weeks(*arguments)
        clock = self._compiled_clock                   # plain numbers: a NumPy update costs µs, once a week when stepped
        clock[0] += time.perf_counter() - began
        clock[1] += fused.now() - began_cycles
        if self._progress[fused.BROKEN_WEEK] >= 0:
            self._raise_broken_balance()

    def _raise_broken_balance(self) -> None:
        """LedgerError for the first broken balance the week recorded."""
        week, rep = (int(self._progress[k]) for k in (fused.BROKEN_WEEK, fused.BROKEN_REPLICATE))
        _, states, _ = self._compiled_parts
        held = dict(zip(fused.STOCKS, self.week_wiring.stocks(states)))
        self.ledger.fail(week, str(self.calendar.week_start[week].date()), rep, self.replicate_ids[rep], held)


def _check_order(steps: Sequence[type[Module]], week: fused.Week) -> None:
    """The compiled modules run in the order the week wires them; Python modules may go anywhere."""
    compiled = tuple(cls for cls in steps if cls in week.modules)
    if compiled != week.modules:
        names = ", ".join(cls.name for cls in week.modules)
        raise ValueError(f"steps must hold the compiled modules once each, in the order the week wires them "
                         f"({names}); insert plain-Python modules between them")


def _plan(modules: list[Module], week: fused.Week) -> list:
    """The week as segments of compiled steps (lo, hi) and the Python modules between them."""
    plan, lo, k = [], 0, 0
    for module in modules:
        if type(module) in week.modules:
            k += 1
            continue
        if k > lo:
            plan.append((lo, k))
            lo = k
        plan.append(module)
    if lo < week.n_steps or not plan:
        plan.append((lo, week.n_steps))
    return plan


def _replicate_ids(ids: Sequence[int] | None, n_reps: int) -> tuple[int, ...]:
    if ids is None:
        return tuple(range(n_reps))
    ids = tuple(int(i) for i in ids)
    if len(ids) != n_reps or len(set(ids)) != n_reps or min(ids) < 0:
        raise ValueError(f"replicate_ids must be {n_reps} distinct non-negative numbers, got {ids}")
    return ids


def _parameters(pars, parameters, replicates: int | None, seed: int,
                replicate_ids: Sequence[int] | None = None) -> tuple[Pars, str | None, str, list[int]]:
    """The run's parameter values; the choice that names their source (`calibrated`, `defaults`, a path;
    None for explicit values) and its description; the posterior draw of each replicate (-1: none).
    Replicate k of an ensemble takes run k's draw, whatever batch it runs in (`replicate_ids`)."""
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
    runs = list(replicate_ids) if replicate_ids is not None else range(
        DEFAULT_REPLICATES if replicates is None else replicates)
    return (Pars(source.values(runs, seed), n_reps=len(runs)), choice_of(source), source.describe(),
            [source.draw_of(run, seed) for run in runs])


def _summary_line(cls: type[Module]) -> str:
    doc = (sys.modules[cls.__module__].__doc__ or "").strip()
    first = doc.splitlines()[0] if doc else ""
    return re.sub(r"^Step \d+\.\s*", "", first)
