"""Step 2. Production at sites: precursor stock -> finished product -> loads of pills or powder.

Capacity follows the supply trajectory with headroom and is cut by raids, recovering over
time. Each week a share of finished stock is shipped north as loads: pills (mg per pill
lognormal around a median that rises over time; DEA's share >= 2 mg follows) or powder
(purity beta-distributed around a mean that rises over time). Raids destroy stock.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim import load_kernels as kernels
from fentflow.sim.curves import log_path, logit_path
from fentflow.sim.modules.base import Module

PURITY_CONCENTRATION = 20.0  # beta(a, b) with a + b = 20: sd ~ 0.09 at mean 0.2 (T2c range 0-81%)
MAX_PURITY = 0.95


class Production(Module):
    name = "production"

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, self.net.n_sites)
        self.precursor_stock = np.zeros(shape)
        self.product_stock = np.zeros(shape)
        self.capacity_lost = np.zeros(shape)
        self.produced = np.zeros(shape)
        self.destroyed = np.zeros(shape)
        self.new_loads: dict[str, np.ndarray] = {}
        self._precompute_weeks()
        sim.ledger.register_stock("site stock", lambda: (self.precursor_stock + self.product_stock).sum(axis=1))

    def declare_results(self) -> None:
        sites = self.net.sites
        declare = self.sim.results.declare
        declare("produced_kg", "pure kg", "flow", "site", sites, "finished product pressed or cut")
        declare("raids", "raids", "flow", "site", sites, "raids on production sites")
        declare("destroyed_kg", "pure kg", "flow", "site", sites, "stock destroyed in raids")
        declare("site_stock_kg", "pure kg", "stock", "site", sites, "precursor and product stock at sites")

    def _precompute_weeks(self) -> None:
        """What depends only on the week and the parameters, as (week, rep[, site]) arrays, made once."""
        weeks = np.arange(self.sim.calendar.n_weeks)
        supply = self.sim.modules["precursors"].supply_by_week                          # (week, rep)
        self._capacity = self.par("capacity_headroom")[None] * supply[:, :, None] * self.net.site_capacity_share
        self._recovery = np.exp(-1.0 / self.par("capacity_recovery_weeks"))
        rate = self.par("raids_per_year")[None] / 52.1775 * (1.0 + self.sim.levers["raids"][:, None, None])
        self._raid_chance = np.clip(rate * self.net.site_capacity_share[None, None, :], 0.0, 1.0)
        self._potency = self.potency(weeks[:, None])
        self._mean_pure = self._mean_pure_per_load(self._potency)                        # (week, rep)

    def step(self, week: int) -> None:
        self.precursor_stock += self.sim.modules["precursors"].delivered
        self._produce(week)
        self._raid(week)
        self.new_loads = self._ship(week)
        self.record("produced_kg", week, self.produced)
        self.record("destroyed_kg", week, self.destroyed)
        self.record("site_stock_kg", week, self.precursor_stock + self.product_stock)

    def _produce(self, week: int) -> None:
        self.produced = np.minimum(self.precursor_stock, self._capacity[week] * (1.0 - self.capacity_lost))
        self.precursor_stock -= self.produced
        self.product_stock += self.produced
        self.capacity_lost *= self._recovery

    def _raid(self, week: int) -> None:
        chance = self._raid_chance[week]
        raided = self.rng("raid").random(chance.shape) < chance
        share = np.where(raided, self.par("raid_stock_destroyed"), 0.0)
        self.destroyed = share * (self.precursor_stock + self.product_stock)
        self.precursor_stock *= 1.0 - share
        self.product_stock *= 1.0 - share
        self.capacity_lost = np.where(raided, 1 - (1 - self.capacity_lost) * (1 - self.par("raid_capacity_loss")),
                                      self.capacity_lost)
        self.sim.ledger.book("destroyed", self.destroyed.sum(axis=1))
        self.record("raids", week, raided)

    # Shipping: loads of pills or powder ------------------------------------------------
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

    def _ship(self, week: int) -> dict[str, np.ndarray]:
        potency = {name: value[week] for name, value in self._potency.items()}
        shipped = self.par("ship_fraction") * self.product_stock
        counts = self.rng("load count").poisson(shipped / self._mean_pure[week][:, None])
        shipped = np.where(counts > 0, shipped, 0.0)
        self.product_stock -= shipped
        # Loads in (rep, site) order, as np.nonzero would list the batches.
        flat = counts.ravel()
        batch = np.repeat(np.arange(flat.size), flat)
        reps, sites = np.divmod(batch, self.net.n_sites)
        return self._make_loads(reps, sites, shipped, potency)

    def _mean_pure_per_load(self, potency) -> np.ndarray:
        p = self.pars
        mean_gross = p["load_gross_median_kg"] * np.exp(p["load_gross_sigma"] ** 2 / 2)
        pill_content = potency["mg_median"] * np.exp(p["pill_mg_sigma"] ** 2 / 2) / p["pill_mass_mg"]
        return mean_gross * (potency["pill_share"] * pill_content + (1 - potency["pill_share"]) * potency["purity"])

    def _make_loads(self, reps, sites, shipped, potency) -> dict[str, np.ndarray]:
        """The draws, in their streams' order; then one compiled pass makes the columns."""
        n, p, rng = len(reps), self.pars, self.rng
        is_pill = rng("pill or powder").random(n) < potency["pill_share"][reps]
        size_z = rng("load size").standard_normal(n)
        mg_z = rng("mg per pill").standard_normal(int(np.count_nonzero(is_pill)))
        purity = _beta(rng("powder purity"), potency["purity"][reps[~is_pill]])
        loads = kernels.make_loads(reps, sites, is_pill, size_z, mg_z, purity, shipped, potency["mg_median"],
                                   p["load_gross_median_kg"], p["load_gross_sigma"], p["pill_mg_sigma"],
                                   p["pill_mass_mg"])
        return dict(zip(("rep", "site", "form", "gross_kg", "pure_kg", "pills", "mg_per_pill"), loads))


def _beta(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    mean = np.clip(mean, 1e-4, MAX_PURITY)
    return rng.beta(mean * PURITY_CONCENTRATION, (1 - mean) * PURITY_CONCENTRATION)
