"""Step 2. Production at sites: precursor stock -> finished product -> loads of pills or powder.

Capacity follows the supply trajectory with headroom and is cut by raids, recovering over
time. Each week a share of finished stock is shipped north as loads, whose median size grows
from 2019 to 2023 as CBP's pounds per seizure event did: pills (mg per pill
lognormal around a median that rises over time; DEA's share >= 2 mg follows) or powder
(purity beta-distributed around a mean that rises over time). Raids destroy stock.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from fentflow.sim import load_kernels
from fentflow.sim.curves import log_path, logit_path
from fentflow.sim.dice import new_die, place_unit, poisson, prepare_beta, prepared_beta, roll, standard_normal, uniform
from fentflow.sim.kernels import add_flow, inlined, set_stock
from fentflow.sim.loads import PILL, POWDER, new_batch
from fentflow.sim.modules.base import Module
from fentflow.units import WEEKS_PER_YEAR

PURITY_CONCENTRATION = 20.0  # beta(a, b) with a + b = 20: sd ~ 0.09 at mean 0.2 (T2c range 0-81%)
MAX_PURITY = 0.95


class ProductionPars(NamedTuple):
    """The parameters production's kernel reads, (rep,) each."""
    raid_stock_destroyed: np.ndarray
    raid_capacity_loss: np.ndarray
    ship_fraction: np.ndarray
    load_gross_sigma: np.ndarray
    pill_mg_sigma: np.ndarray
    pill_mass_mg: np.ndarray


class ProductionState(NamedTuple):
    precursor_stock: np.ndarray   # (rep, site) pure-equivalent kg
    product_stock: np.ndarray
    capacity_lost: np.ndarray     # share of capacity lost to raids, recovering
    produced: np.ndarray          # this week's output ...
    destroyed: np.ndarray         # ... and stock destroyed in raids
    raided: np.ndarray            # 1.0 where a site was raided this week
    shipped: np.ndarray           # what each site sends north this week
    capacity: np.ndarray          # (week, rep, site): per-week inputs, made once
    recovery: np.ndarray          # (rep,) weekly survival of lost capacity
    raid_chance: np.ndarray       # (week, rep, site)
    pill_share: np.ndarray        # (week, rep) share of loads pressed into pills
    mg_median: np.ndarray         # (week, rep) median mg per pill
    purity: np.ndarray            # (week, rep) mean powder purity
    gross_median: np.ndarray      # (week, rep) median gross kg per load
    mean_pure: np.ndarray         # (week, rep) mean pure kg per load
    raid_keys: np.ndarray         # (rep, 2) the keys of its decisions (`dice.roll`): per (week, site) ...
    count_keys: np.ndarray
    form_keys: np.ndarray         # ... and per load
    size_keys: np.ndarray
    mg_keys: np.ndarray
    purity_keys: np.ndarray
    pars: ProductionPars        # the parameters its kernel reads


class ProductionResults(NamedTuple):
    produced_kg: np.ndarray
    raids: np.ndarray
    destroyed_kg: np.ndarray
    site_stock_kg: np.ndarray


class Production(Module):
    name = "production"
    outputs = ProductionResults

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, self.net.n_sites)
        inputs = self._per_week_inputs()
        self.state = ProductionState(
            *(np.zeros(shape) for _ in range(7)), **inputs,
            raid_keys=self.keys("raid"), count_keys=self.keys("load count"), form_keys=self.keys("pill or powder"),
            size_keys=self.keys("load size"), mg_keys=self.keys("mg per pill"), purity_keys=self.keys("powder purity"),
            pars=self.kernel_pars(ProductionPars))

    def declare_results(self) -> None:
        sites = self.net.sites
        declare = self.sim.results.declare
        declare("produced_kg", "pure kg", "flow", "site", sites, "finished product pressed or cut")
        declare("raids", "raids", "flow", "site", sites, "raids on production sites")
        declare("destroyed_kg", "pure kg", "flow", "site", sites, "stock destroyed in raids")
        declare("site_stock_kg", "pure kg", "stock", "site", sites, "precursor and product stock at sites")

    def _per_week_inputs(self) -> dict[str, np.ndarray]:
        """What depends only on the week and the parameters, as (week, rep[, site]) arrays, made once."""
        weeks = np.arange(self.sim.calendar.n_weeks)
        supply = self.sim.modules["precursors"].supply_by_week                          # (week, rep)
        share = self.net.site_capacity_share
        rate = self.par("raids_per_year")[None] / WEEKS_PER_YEAR * (1.0 + self.sim.levers["raids"][:, None, :])
        potency = self.potency(weeks[:, None])
        gross_median = self.load_gross_median(weeks[:, None])
        return {"capacity": self.par("capacity_headroom")[None] * supply[:, :, None] * share,
                "recovery": np.exp(-1.0 / self.pars["capacity_recovery_weeks"]),
                "raid_chance": np.clip(rate * share[None, None, :], 0.0, 1.0),
                "pill_share": potency["pill_share"], "mg_median": potency["mg_median"], "purity": potency["purity"],
                "gross_median": gross_median, "mean_pure": self._mean_pure_per_load(potency, gross_median)}

    def potency(self, week) -> dict[str, np.ndarray]:
        """Median mg per pill, mean powder purity and pill share this week, (rep,) each.

        `week` may be an array of weeks, (week, 1): each value then gets a leading week axis."""
        year = self.sim.calendar.decimal_year[week]
        shock = 1.0 + self.sim.levers["potency_shock"][week]
        p = self.pars
        return {
            "pill_share": logit_path(year, 2017.5, p["pill_share_2017"], 2023.5, p["pill_share_2023"]),
            "mg_median": shock * log_path(year, 2017.5, p["pill_mg_median_2017"], 2023.5, p["pill_mg_median_2023"]),
            "purity": np.minimum(shock * log_path(year, 2017.5, p["powder_purity_2017"], 2023.5,
                                                  p["powder_purity_2023"]), MAX_PURITY),
        }

    def load_gross_median(self, week) -> np.ndarray:
        """Median gross kg per load, (rep,); (week, rep) given weeks as (week, 1). Loads grow from mid-2019
        to mid-2023 as CBP's pounds per seizure event did (`load_gross_median_kg` is the 2019 anchor)."""
        year = self.sim.calendar.decimal_year[week]
        p = self.pars
        return log_path(year, 2019.5, p["load_gross_median_kg"], 2023.5, p["load_gross_median_kg_2023"])

    def _mean_pure_per_load(self, potency, gross_median) -> np.ndarray:
        p = self.pars
        mean_gross = gross_median * np.exp(p["load_gross_sigma"] ** 2 / 2)
        pill_content = potency["mg_median"] * np.exp(p["pill_mg_sigma"] ** 2 / 2) / p["pill_mass_mg"]
        return mean_gross * (potency["pill_share"] * pill_content + (1 - potency["pill_share"]) * potency["purity"])


@numba.njit(cache=True)
def production_step(week, st, delivered, ledger, out, periods):
    """Produce, raid, ship; returns this week's new loads (a LoadBatch) in (rep, site) order."""
    p = st.pars
    _produce(st, week, delivered)
    _raid(p, st, week, ledger)
    loads = _ship(p, st, week)
    add_flow(out.produced_kg, week, st.produced, periods)
    add_flow(out.destroyed_kg, week, st.destroyed, periods)
    add_flow(out.raids, week, st.raided, periods)
    stock = np.empty(st.produced.shape)
    for r in range(stock.shape[0]):
        for s in range(stock.shape[1]):
            stock[r, s] = st.precursor_stock[r, s] + st.product_stock[r, s]
    set_stock(out.site_stock_kg, week, stock, periods)
    return loads


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
    die = new_die()
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
    """A share of finished stock leaves as a Poisson number of loads; a site sending none keeps it."""
    n_reps, n_sites = st.produced.shape
    counts = np.zeros((n_reps, n_sites), np.int64)
    die = new_die()
    for r in range(n_reps):
        for s in range(n_sites):
            shipped = p.ship_fraction[r] * st.product_stock[r, s]
            roll(die, st.count_keys[r], place_unit(week, s))
            counts[r, s] = poisson(die, shipped / st.mean_pure[week, r])
            st.shipped[r, s] = shipped if counts[r, s] > 0 else 0.0
            st.product_stock[r, s] -= st.shipped[r, s]
    return _make_loads(p, st, week, counts)


@inlined
def _make_loads(p, st, week, counts):
    """The loads of each (rep, site) batch in (rep, site) order, each drawn from dice keyed by its identity
    (`load_kernels.load_unit`), each batch scaled to carry exactly what its site shipped.

    One pass over the loads, straight into the batch's columns: each draw rolls its own die, so the
    order of the draws changes no number."""
    n = np.int64(0)    # counted in a loop: numba's sum over a 2-D array compiles a large generic iterator
    for r in range(counts.shape[0]):
        for s in range(counts.shape[1]):
            n += counts[r, s]
    loads = new_batch(n)
    die = new_die()
    first = 0
    for r in range(counts.shape[0]):
        keys = (st.form_keys[r], st.size_keys[r], st.mg_keys[r], st.purity_keys[r])
        shapes = _load_shapes(p, st, week, r)
        for s in range(counts.shape[1]):
            stop = first + counts[r, s]
            raw = _draw_batch(die, keys, shapes, week, r, s, first, stop, loads)
            _scale_batch(st.shipped[r, s] / raw if stop > first else 0.0, p.pill_mass_mg[r], first, stop, loads)
            first = stop
    return loads


@inlined
def _load_shapes(p, st, week, r):
    """What rep r's loads are drawn from this week: pill share, median gross kg and its sigma, median mg
    per pill, its sigma and the pill's mass, and the powder purity's beta (`dice.prepare_beta`)."""
    mean = min(max(st.purity[week, r], 1e-4), MAX_PURITY)
    return (st.pill_share[week, r], st.gross_median[week, r], p.load_gross_sigma[r], st.mg_median[week, r],
            p.pill_mg_sigma[r], p.pill_mass_mg[r],
            prepare_beta(mean * PURITY_CONCENTRATION, (1 - mean) * PURITY_CONCENTRATION))


@inlined
def _draw_batch(die, keys, shapes, week, r, s, first, stop, loads):
    """Draw loads first..stop-1, site s's batch: form, gross kg, mg per pill and, in pure_kg until the batch
    is scaled, pure kg per gross kg. Returns the batch's raw pure kg, summed in load order.

    The load's draws are written out here, the arrays unpacked once per batch: a helper taking
    arrays for each load costs reference counting that made production a tenth slower."""
    form_key, size_key, mg_key, purity_key = keys
    pill_share, gross_median, gross_sigma, mg_median, mg_sigma, pill_mass_mg, purity = shapes
    reps, sites, form, idents, gross, content, mg = (loads.rep, loads.site, loads.form, loads.ident, loads.gross_kg,
                                                     loads.pure_kg, loads.mg_per_pill)
    raw = 0.0
    for i in range(first, stop):
        ident = load_kernels.load_unit(week, s, i - first)
        reps[i], sites[i], idents[i] = r, s, ident
        roll(die, form_key, ident)
        is_pill = uniform(die) < pill_share
        roll(die, size_key, ident)
        size = gross_median * np.exp(gross_sigma * standard_normal(die))
        if is_pill:
            roll(die, mg_key, ident)
            mg[i] = mg_median * np.exp(mg_sigma * standard_normal(die))
            pure_share = mg[i] / pill_mass_mg
            form[i] = PILL
        else:
            roll(die, purity_key, ident)
            pure_share = prepared_beta(die, purity)
            form[i] = POWDER
        gross[i], content[i] = size, pure_share
        raw += size * pure_share
    return raw


@inlined
def _scale_batch(scale, pill_mass_mg, first, stop, loads):
    """Scale loads first..stop-1 (one batch) by `scale`; pure_kg turns from pure kg per gross kg into pure kg."""
    for i in range(first, stop):
        loads.gross_kg[i] = loads.gross_kg[i] * scale
        loads.pure_kg[i] = loads.gross_kg[i] * loads.pure_kg[i]
        if loads.form[i] == PILL:
            loads.pills[i] = loads.gross_kg[i] * 1e6 / pill_mass_mg
