"""The standard step order as one compiled loop over weeks: a whole run costs one call.

Each week runs the nine step kernels in `engine.STEP_ORDER`, handing this week's loads from
one to the next, then checks the mass balance. The cycles spent in each step are counted
(`ticks`, one slot per step and one for the ledger), so a compiled run is profiled as
finely as a stepped one. A run with another step order goes week by week through the
modules' `step` methods instead (`Sim.run`); both give the same results.
"""
from __future__ import annotations

import numba
import numpy as np

from fentflow.sim.kernels import cycles
from fentflow.sim.ledger import first_broken
from fentflow.sim.modules.adaptation import adaptation_step
from fentflow.sim.modules.crossing import ATTEMPTED_GROSS, SEIZED_GROSS, crossing_step
from fentflow.sim.modules.demand import demand_step
from fentflow.sim.modules.distribution import POWDER_PURE, PILL_PURE, distribution_step
from fentflow.sim.modules.market import market_step
from fentflow.sim.modules.precursors import precursors_step
from fentflow.sim.modules.production import production_step
from fentflow.sim.modules.transport import transport_step
from fentflow.sim.modules.violence import violence_step

N_TICKS = 10   # nine steps, then the ledger


@numba.njit(cache=True)
def now():
    """The cycle counter, read from Python (to convert `ticks` to seconds)."""
    return cycles()


@numba.njit(cache=True)
def run_weeks(first, stop, p, periods, ledger, queue, states, outs, ticks):
    """Weeks first..stop-1. Returns the queue (it may have grown) and the first (week, replicate)
    whose mass balance broke, or (-1, -1)."""
    pre, prod, tra, cro, dis, mar, dem, ada, vio = states
    pre_out, prod_out, tra_out, cro_out, dis_out, mar_out, dem_out, vio_out = outs
    for week in range(first, stop):
        t0 = cycles()
        precursors_step(week, p, pre, mar.price_index, ada.site_appeal, ledger, pre_out, periods)
        t1 = cycles()
        loads = production_step(week, p, prod, pre.delivered, ledger, prod_out, periods)
        t2 = cycles()
        queue = transport_step(week, p, tra, loads, ada.crossing_loss, queue, ledger, tra_out, periods)
        t3 = cycles()
        arrived, seized = crossing_step(week, p, cro, queue, ledger, cro_out, periods)
        t4 = cycles()
        distribution_step(week, p, dis, arrived, seized, ledger, dis_out, periods)
        t5 = cycles()
        market_step(week, p, mar, dis.delivered, dem.users, ledger, mar_out, periods)
        t6 = cycles()
        demand_step(week, p, dem, mar.consumed, mar.potency, dem_out, periods)
        t7 = cycles()
        adaptation_step(p, ada, cro.totals[ATTEMPTED_GROSS], cro.totals[SEIZED_GROSS], prod.produced,
                        prod.destroyed, tra.seized_by_site, cro.seized_pure_by_site)
        t8 = cycles()
        violence_step(week, p, vio, pre.inflow_by_state, prod.produced, tra.transit_by_state, vio_out, periods)
        t9 = cycles()
        broken = _check(ledger, prod, queue, mar)
        t10 = cycles()
        _count(ticks, (t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10))
        if broken >= 0:
            return queue, week, broken
    return queue, -1, -1


@numba.njit(cache=True)
def _check(ledger, prod, queue, mar):
    n_reps = ledger.entered.size
    site_stock = np.zeros(n_reps)
    retail_stock = np.zeros(n_reps)
    for r in range(n_reps):
        site_stock[r] = (prod.precursor_stock[r] + prod.product_stock[r]).sum()
        retail_stock[r] = mar.stock[r, :, PILL_PURE].sum() + mar.stock[r, :, POWDER_PURE].sum()
    return first_broken(ledger, site_stock, queue.pure_in_transit, retail_stock)


@numba.njit(cache=True)
def _count(ticks, marks):
    for k in range(N_TICKS):
        ticks[k] += marks[k + 1] - marks[k]


def compiled_states(modules: dict) -> tuple:
    """The nine modules' states, in step order, as `run_weeks` takes them."""
    return tuple(module.state for module in modules.values())


def new_ticks() -> np.ndarray:
    return np.zeros(N_TICKS, np.int64)
