"""Step 2. Production at sites: precursor stock -> finished product -> a shipment north.

Capacity follows the supply trajectory with headroom and is cut by raids, recovering over
time. Each week a share of finished stock is shipped north, as the expected cargo of the
loads that carry it (`cargo.py`): pills (mg per pill lognormal around a median that rises
over time; DEA's share >= 2 mg follows) or powder (purity beta-distributed around a mean
that rises over time), in loads whose median size grows from 2019 to 2023 as CBP's pounds
per seizure event did. Raids destroy stock.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import ndtr

from fentflow.sim.cargo import (N_CARGO, PILL_GROSS, PILL_LOADS, PILL_PURE, PILLS, PILLS_GE2MG, POWDER_GROSS,
                                POWDER_LOADS, POWDER_PURE)
from fentflow.sim.curves import log_path, logit_path
from fentflow.sim.dice import new_die, place_unit, roll, uniform
from fentflow.sim.kernels import add_flow, inlined, kernel, set_stock
from fentflow.sim.modules.base import Module
from fentflow.sim.results import FLOW, STOCK, rows
from fentflow.units import LETHAL_DOSE_MG, WEEKS_PER_YEAR

PURITY_CONCENTRATION = 20.0  # beta(a, b) with a + b = 20: sd ~ 0.09 at mean 0.2 (T2c range 0-81%)
MAX_PURITY = 0.95
MIN_PURITY = 1e-4


class ProductionPars(NamedTuple):
    """The parameters production's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    raid_stock_destroyed: np.ndarray
    raid_capacity_loss: np.ndarray
    ship_fraction: np.ndarray


class ProductionState(NamedTuple):
    precursor_stock: np.ndarray   # (rep, site) pure-equivalent kg
    product_stock: np.ndarray
    capacity_lost: np.ndarray     # share of capacity lost to raids, recovering
    produced: np.ndarray          # this week's output ...
    destroyed: np.ndarray         # ... and stock destroyed in raids
    raided: np.ndarray            # 1.0 where a site was raided this week
    shipped: np.ndarray           # pure kg each site sends north this week ...
    cargo: np.ndarray             # ... as a cargo, (rep, site, `cargo.CARGO`)
    capacity: np.ndarray          # (week, rep, site): per-week inputs, made once
    recovery: np.ndarray          # (rep,) weekly survival of lost capacity
    raid_chance: np.ndarray       # (week, rep, site)
    per_load: np.ndarray          # (week, rep, cargo) the expected cargo of one load shipped that week
    raid_keys: np.ndarray         # (rep, 2) the keys of its one decision (`dice.roll`), per (week, site)
    die: np.ndarray               # (1,) `dice.DIE` scratch: the die rolled for each unit
    site_stock: np.ndarray        # (rep, site) scratch: precursor and product stock, recorded
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `ProductionPars`


RESULTS = {
    "produced_kg": ("pure kg", FLOW, "finished product pressed or cut"),
    "raids": ("raids", FLOW, "raids on production sites"),
    "destroyed_kg": ("pure kg", FLOW, "stock destroyed in raids"),
    "site_stock_kg": ("pure kg", STOCK, "precursor and product stock at sites"),
}
PRODUCED_KG, RAIDS, DESTROYED_KG, SITE_STOCK_KG = rows(
    RESULTS, "produced_kg", "raids", "destroyed_kg", "site_stock_kg")


class Production(Module):
    name = "production"

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, self.net.n_sites)
        self.state = ProductionState(
            *(np.zeros(shape) for _ in range(7)), cargo=np.zeros((*shape, N_CARGO)), **self._per_week_inputs(),
            raid_keys=self.keys("raid"), die=new_die(), site_stock=np.zeros(shape),
            pars=self.kernel_pars(ProductionPars))

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("site", self.net.sites, RESULTS)

    def _per_week_inputs(self) -> dict[str, np.ndarray]:
        """What depends only on the week and the parameters, as (week, rep[, site]) arrays, made once."""
        weeks = np.arange(self.sim.calendar.n_weeks)
        supply = self.sim.modules["precursors"].supply_by_week                          # (week, rep)
        share = self.net.site_capacity_share
        rate = self.par("raids_per_year")[None] / WEEKS_PER_YEAR * (1.0 + self.sim.levers["raids"][:, None, :])
        return {"capacity": self.par("capacity_headroom")[None] * supply[:, :, None] * share,
                "recovery": np.exp(-1.0 / self.pars["capacity_recovery_weeks"]),
                "raid_chance": np.clip(rate * share[None, None, :], 0.0, 1.0),
                "per_load": self.per_load(weeks[:, None])}

    def potency(self, week) -> dict[str, np.ndarray]:
        """Median mg per pill, mean powder purity and pill share this week, (rep,) each.

        `week` may be an array of weeks, (week, 1): each value then gets a leading week axis."""
        year = self.sim.calendar.decimal_year[week]
        shock = 1.0 + self.sim.levers["potency_shock"][week]
        p = self.pars
        return {
            "pill_share": logit_path(year, 2017.5, p["pill_share_2017"], 2023.5, p["pill_share_2023"]),
            "mg_median": shock * log_path(year, 2017.5, p["pill_mg_median_2017"], 2023.5, p["pill_mg_median_2023"]),
            "purity": np.clip(shock * log_path(year, 2017.5, p["powder_purity_2017"], 2023.5,
                                               p["powder_purity_2023"]), MIN_PURITY, MAX_PURITY),
        }

    def load_gross_median(self, week) -> np.ndarray:
        """Median gross kg per load, (rep,); (week, rep) given weeks as (week, 1). Loads grow from mid-2019
        to mid-2023 as CBP's pounds per seizure event did (`load_gross_median_kg` is the 2019 anchor)."""
        year = self.sim.calendar.decimal_year[week]
        p = self.pars
        return log_path(year, 2019.5, p["load_gross_median_kg"], 2023.5, p["load_gross_median_kg_2023"])

    def per_load(self, week) -> np.ndarray:
        """The expected cargo of one load shipped in `week`, (rep, cargo); (week, rep, cargo) given weeks
        as (week, 1). A load is pills with the pill share's probability, else powder; its gross kg is
        lognormal, its pills' mg lognormal, its powder's purity beta: each field is a mean over them."""
        p = self.pars
        potency = self.potency(week)
        pill_share, mg_median = potency["pill_share"], potency["mg_median"]
        mean_gross = self.load_gross_median(week) * np.exp(p["load_gross_sigma"] ** 2 / 2)
        pill_gross = pill_share * mean_gross
        pills = pill_gross * 1e6 / p["pill_mass_mg"]
        fields = np.zeros((*np.shape(pill_share), N_CARGO))
        fields[..., PILL_LOADS], fields[..., POWDER_LOADS] = pill_share, 1.0 - pill_share
        fields[..., PILL_GROSS], fields[..., POWDER_GROSS] = pill_gross, (1.0 - pill_share) * mean_gross
        fields[..., PILLS] = pills
        fields[..., PILL_PURE] = pill_gross * mg_median * np.exp(p["pill_mg_sigma"] ** 2 / 2) / p["pill_mass_mg"]
        fields[..., POWDER_PURE] = fields[..., POWDER_GROSS] * potency["purity"]
        fields[..., PILLS_GE2MG] = pills * _share_at_least(LETHAL_DOSE_MG, mg_median, p["pill_mg_sigma"])
        return fields


def _share_at_least(threshold: float, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """P(X >= threshold) for X lognormal with this median and log-sd (> 0: `pill_mg_sigma` is at least 0.05)."""
    return ndtr(np.log(median / threshold) / sigma)


@kernel
def production_step(week, st, delivered, ledger, out, periods):
    """Produce, raid, ship (this week's cargo of each site: `st.cargo`)."""
    p = st.pars
    _produce(st, week, delivered)
    _raid(p, st, week, ledger)
    _ship(p, st, week)
    stock = st.site_stock
    for r in range(stock.shape[0]):
        for s in range(stock.shape[1]):
            stock[r, s] = st.precursor_stock[r, s] + st.product_stock[r, s]
    produced, destroyed, raided = st.produced, st.destroyed, st.raided   # `st` read for the last time (`kernels.py`)
    add_flow(out[PRODUCED_KG], week, produced, periods)
    add_flow(out[DESTROYED_KG], week, destroyed, periods)
    add_flow(out[RAIDS], week, raided, periods)
    set_stock(out[SITE_STOCK_KG], week, stock, periods)


@inlined
def _produce(st, week, delivered):
    """Precursors delivered join the stock; capacity (less what raids took, recovering) turns it into product."""
    n_reps, n_sites = st.produced.shape
    for r in range(n_reps):
        for s in range(n_sites):
            st.precursor_stock[r, s] += delivered[r, s]
            made = min(st.precursor_stock[r, s], st.capacity[week, r, s] * (1.0 - st.capacity_lost[r, s]))
            st.produced[r, s] = made
            st.precursor_stock[r, s] -= made
            st.product_stock[r, s] += made
            st.capacity_lost[r, s] *= st.recovery[r]


@inlined
def _raid(p, st, week, ledger):
    """Raids at random, more often at bigger sites: they destroy stock and cut capacity."""
    n_reps, n_sites = st.produced.shape
    die = st.die[0]
    for r in range(n_reps):
        for s in range(n_sites):
            roll(die, st.raid_keys[r], place_unit(week, s))
            raided = uniform(die) < st.raid_chance[week, r, s]
            share = p.raid_stock_destroyed[r] if raided else 0.0
            st.raided[r, s] = 1.0 if raided else 0.0
            st.destroyed[r, s] = share * (st.precursor_stock[r, s] + st.product_stock[r, s])
            st.precursor_stock[r, s] *= 1.0 - share
            st.product_stock[r, s] *= 1.0 - share
            if raided:
                st.capacity_lost[r, s] = 1 - (1 - st.capacity_lost[r, s]) * (1 - p.raid_capacity_loss[r])
        ledger.destroyed[r] += st.destroyed[r].sum()


@inlined
def _ship(p, st, week):
    """A share of finished stock leaves each site, as the cargo of as many loads as carry it."""
    cargo, per_load, stock, shipped, ship_fraction = st.cargo, st.per_load, st.product_stock, st.shipped, p.ship_fraction
    n_reps, n_sites, n_fields = cargo.shape
    for r in range(n_reps):
        loads_per_kg = 1.0 / (per_load[week, r, PILL_PURE] + per_load[week, r, POWDER_PURE])
        for s in range(n_sites):
            shipped[r, s] = ship_fraction[r] * stock[r, s]
            stock[r, s] -= shipped[r, s]
            loads = shipped[r, s] * loads_per_kg
            for f in range(n_fields):
                cargo[r, s, f] = loads * per_load[week, r, f]
