"""The week, wired once: the nine step kernels in order, each handed what the others made.

`run_weeks` below is the one place where modules are wired together; it reads like the data
flow. Everything else derives from it and from `MODULES`, the modules in step order:

- a whole run is one call (the fast path);
- stepping by hand (`sim.step(week)`) and a step order with plain-Python modules inserted
  (`Sim(steps=...)`) run the same function on segments of the week: steps `lo..hi-1` of
  weeks `first..stop-1` (what passes between steps lives in the modules' states);
- the mass balance is checked once, after the last step, against the stocks summed by
  `held` (named in `STOCKS`).

The cycles spent in each step are counted (`ticks`, one slot per step and one for the
ledger), so a compiled run is profiled as finely as a stepped one.

Adding a compiled module: its own file (state, results, step kernel), then one line in
`MODULES` and one call in `run_weeks` (`tests/test_sim_compiled.py` shows it with a trivial
module and a week of its own, passed as `Sim(week=...)`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fentflow.sim.cargo import PILL_LOADS, PILL_PURE, POWDER_LOADS, POWDER_PURE
from fentflow.sim.kernels import cycles, inlined, kernel
from fentflow.sim.ledger import first_broken
from fentflow.sim.modules.adaptation import Adaptation, adaptation_step
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.crossing import ATTEMPTED_GROSS, SEIZED_GROSS, Crossing, crossing_step
from fentflow.sim.modules.demand import Demand, demand_step
from fentflow.sim.modules.distribution import Distribution, distribution_step
from fentflow.sim.modules.market import Market, market_step
from fentflow.sim.modules.precursors import Precursors, precursors_step
from fentflow.sim.modules.production import Production, production_step
from fentflow.sim.modules.transport import Transport, transport_step
from fentflow.sim.modules.violence import Violence, violence_step

MODULES: tuple[type[Module], ...] = (
    Precursors, Production, Transport, Crossing, Distribution, Market, Demand, Adaptation, Violence,
)
N_STEPS = len(MODULES)
STOCKS = ("site stock", "in transit", "retail stock")   # what `held` returns, in its order
# The week's record of where it is, an int64 array: the last week whose steps ran, and the first
# (week, replicate) whose balance broke (-1 until one does).
PROGRESS = ("week run", "broken week", "broken replicate")
WEEK_RUN, BROKEN_WEEK, BROKEN_REPLICATE = range(len(PROGRESS))


@kernel
def now():
    """The processor's cycle counter: the week times its steps with it, and Python reads it to convert
    `ticks` to seconds. A compiled function rather than the bare intrinsic, so that the week also runs
    as plain Python (`warmup.py`)."""
    return cycles()


@kernel
def run_weeks(first, stop, lo, hi, periods, ledger, states, outs, ticks, progress):
    """Steps lo..hi-1 of weeks first..stop-1, then (when the last step ran) the mass balance.

    Records in `progress` (`PROGRESS`) each week as its steps end and the first (week, replicate)
    whose balance broke, and stops there: the record is written by the compiled code itself, so a
    Ctrl-C that Python takes as the call returns cannot leave it behind the states."""
    pre, prod, tra, cro, dis, mar, dem, ada, vio = states
    pre_out, prod_out, tra_out, cro_out, dis_out, mar_out, dem_out, vio_out = outs
    marks = np.zeros(N_STEPS + 2, np.int64)
    for week in range(first, stop):
        marks[0] = now()
        if lo <= 0 < hi:
            precursors_step(week, pre, mar.price_index, ada.site_appeal, ledger, pre_out, periods)
        marks[1] = now()
        if lo <= 1 < hi:
            production_step(week, prod, pre.delivered, ledger, prod_out, periods)
        marks[2] = now()
        if lo <= 2 < hi:
            transport_step(week, tra, prod.cargo, ada.crossing_loss, ledger, tra_out, periods)
        marks[3] = now()
        if lo <= 3 < hi:
            crossing_step(week, cro, tra.leaving, ledger, cro_out, periods)
        marks[4] = now()
        if lo <= 4 < hi:
            distribution_step(week, dis, cro.passed, mar.relative_price, ledger, dis_out, periods)
        marks[5] = now()
        if lo <= 5 < hi:
            market_step(week, mar, dis.delivered, dem.users, ledger, mar_out, periods)
        marks[6] = now()
        if lo <= 6 < hi:
            demand_step(week, dem, mar.consumed, mar.lethal_share, dem_out, periods)
        marks[7] = now()
        if lo <= 7 < hi:
            adaptation_step(ada, cro.totals[ATTEMPTED_GROSS], cro.totals[SEIZED_GROSS], prod.produced,
                            prod.destroyed, tra.seized_by_site, cro.seized_pure_by_site)
        marks[8] = now()
        if lo <= 8 < hi:
            violence_step(week, vio, pre.inflow_by_state, prod.produced, tra.transit_by_state, vio_out, periods)
        marks[9] = now()
        broken = -1
        if hi == N_STEPS:
            site_stock, in_transit, retail_stock = held_by(prod, tra, cro, mar)
            broken = first_broken(ledger, site_stock, in_transit, retail_stock)
        marks[10] = now()
        count_ticks(ticks, marks)
        progress[WEEK_RUN] = week
        if broken >= 0:
            progress[BROKEN_WEEK], progress[BROKEN_REPLICATE] = week, broken
            return


def loads_on_road(tra, cro) -> float:
    """Expected loads waiting to set off (transport's state) or on the road, less those seizures overdrew
    (crossing's), every replicate."""
    loads = [PILL_LOADS, POWDER_LOADS]
    return float(tra.waiting[..., loads].sum() + cro.road.cargo[..., loads].sum() - cro.overdrawn[..., loads].sum())


def stocks(states):
    """Pure kg held per replicate, in `STOCKS` order, from the states in step order (`held`)."""
    return held_by.py_func(*(states[MODULES.index(m)] for m in (Production, Transport, Crossing, Market)))


@inlined
def held_by(prod, tra, cro, mar):
    """`held` of the arrays these states hold: the one place that names them (the week inlines it, Python
    calls it as it is: `stocks`)."""
    return held(prod.precursor_stock, prod.product_stock, tra.waiting, cro.road.pure_in_transit, cro.overdrawn,
                mar.stock)


@kernel
def held(precursor_stock, product_stock, waiting, on_road, overdrawn, retail):
    """Pure kg held per replicate, in `STOCKS` order: at sites (production's precursor and product stocks); in
    transit, waiting to set off (transport's `waiting`), on the road (crossing's road) less what seizures
    overdrew; in retail stock (market's). It takes the arrays it reads, not the states: each array of an
    argument adds to the compiled code (four whole states cost it 1.4 s of LLVM time, the six arrays 0.3 s)."""
    n_reps = precursor_stock.shape[0]
    site_stock, in_transit, retail_stock = np.zeros(n_reps), np.zeros(n_reps), np.zeros(n_reps)
    for r in range(n_reps):
        for s in range(precursor_stock.shape[1]):
            site_stock[r] += precursor_stock[r, s] + product_stock[r, s]
        in_transit[r] = on_road[r]
        for j in range(waiting.shape[1]):
            in_transit[r] += waiting[r, j, PILL_PURE] + waiting[r, j, POWDER_PURE]
        for c in range(overdrawn.shape[1]):
            in_transit[r] -= overdrawn[r, c, PILL_PURE] + overdrawn[r, c, POWDER_PURE]
        for m in range(retail.shape[1]):
            retail_stock[r] += retail[r, m, PILL_PURE] + retail[r, m, POWDER_PURE]
    return site_stock, in_transit, retail_stock


@kernel
def count_ticks(ticks, marks):
    """Add the cycles between consecutive marks to each step's tick count."""
    for k in range(min(ticks.size, marks.size - 1)):
        ticks[k] += marks[k + 1] - marks[k]


@dataclass(frozen=True)
class Week:
    """A wired week: its compiled modules in step order, and the compiled function that runs them
    (with `run_weeks`'s arguments); `stocks(states)` gives what the ledger's `STOCKS` hold."""
    modules: tuple[type[Module], ...]
    run: Callable
    stocks: Callable

    @property
    def n_steps(self) -> int:
        return len(self.modules)


STANDARD = Week(MODULES, run_weeks, stocks)

