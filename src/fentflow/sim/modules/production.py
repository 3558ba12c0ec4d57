"""Step 2. Production at sites: precursor stock -> finished product -> loads of pills or powder.

Capacity follows the supply trajectory with headroom and is cut by raids, recovering over
time. Each week a share of finished stock is shipped north as loads: pills (mg per pill
lognormal around a median that rises over time; DEA's share >= 2 mg follows) or powder
(purity beta-distributed around a mean that rises over time). Raids destroy stock.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.curves import log_path, logit_path
from fentflow.sim.loads import PILL, POWDER
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
        sim.ledger.register_stock("site stock", lambda: (self.precursor_stock + self.product_stock).sum(axis=1))

    def declare_results(self) -> None:
        sites = self.net.sites
        declare = self.sim.results.declare
        declare("produced_kg", "pure kg", "flow", "site", sites, "finished product pressed or cut")
        declare("raids", "raids", "flow", "site", sites, "raids on production sites")
        declare("destroyed_kg", "pure kg", "flow", "site", sites, "stock destroyed in raids")
        declare("site_stock_kg", "pure kg", "stock", "site", sites, "precursor and product stock at sites")

    def step(self, week: int) -> None:
        self.precursor_stock += self.sim.modules["precursors"].delivered
        self._produce(week)
        self._raid(week)
        self.new_loads = self._ship(week)
        self.record("produced_kg", week, self.produced)
        self.record("destroyed_kg", week, self.destroyed)
        self.record("site_stock_kg", week, self.precursor_stock + self.product_stock)

    def _produce(self, week: int) -> None:
        year = self.sim.calendar.decimal_year[week]
        base = self.sim.modules["precursors"].trajectory(year)
        capacity = (self.par("capacity_headroom") * base[:, None] * self.net.site_capacity_share[None, :]
                    * (1.0 - self.capacity_lost))
        self.produced = np.minimum(self.precursor_stock, capacity)
        self.precursor_stock -= self.produced
        self.product_stock += self.produced
        self.capacity_lost *= np.exp(-1.0 / self.par("capacity_recovery_weeks"))

    def _raid(self, week: int) -> None:
        rate = self.par("raids_per_year") / 52.1775 * (1.0 + self.sim.levers["raids"][week])
        chance = np.clip(rate * self.net.site_capacity_share[None, :], 0.0, 1.0)
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
    def potency(self, week: int) -> dict[str, np.ndarray]:
        """Median mg per pill, mean powder purity and pill share this week, (rep,) each."""
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
        potency = self.potency(week)
        shipped = self.par("ship_fraction") * self.product_stock
        counts = self.rng("load count").poisson(shipped / self._mean_pure_per_load(potency)[:, None])
        shipped = np.where(counts > 0, shipped, 0.0)
        self.product_stock -= shipped
        rep, site = np.nonzero(counts)
        reps = np.repeat(rep, counts[rep, site])
        sites = np.repeat(site, counts[rep, site])
        return self._make_loads(reps, sites, shipped, potency)

    def _mean_pure_per_load(self, potency) -> np.ndarray:
        p = self.pars
        mean_gross = p["load_gross_median_kg"] * np.exp(p["load_gross_sigma"] ** 2 / 2)
        pill_content = potency["mg_median"] * np.exp(p["pill_mg_sigma"] ** 2 / 2) / p["pill_mass_mg"]
        return mean_gross * (potency["pill_share"] * pill_content + (1 - potency["pill_share"]) * potency["purity"])

    def _make_loads(self, reps, sites, shipped, potency) -> dict[str, np.ndarray]:
        n, p = len(reps), self.pars
        is_pill = self.rng("pill or powder").random(n) < potency["pill_share"][reps]
        gross = p["load_gross_median_kg"][reps] * np.exp(p["load_gross_sigma"][reps] * self.rng("load size").standard_normal(n))
        mg = np.zeros(n)
        pill_reps = reps[is_pill]
        mg[is_pill] = potency["mg_median"][pill_reps] * np.exp(
            p["pill_mg_sigma"][pill_reps] * self.rng("mg per pill").standard_normal(len(pill_reps)))
        content = np.empty(n)                                   # pure kg per gross kg
        content[is_pill] = mg[is_pill] / p["pill_mass_mg"][pill_reps]
        content[~is_pill] = _beta(self.rng("powder purity"), potency["purity"][reps[~is_pill]])
        raw_pure = gross * content
        # Scale each (rep, site) batch so that loads carry exactly what was shipped.
        batch_raw = self.sum_by(reps, sites, raw_pure, self.net.n_sites)
        scale = shipped[reps, sites] / batch_raw[reps, sites] if n else np.zeros(0)
        gross = gross * scale
        pills = np.where(is_pill, gross * 1e6 / p["pill_mass_mg"][reps], 0.0)
        return {"rep": reps, "site": sites, "form": np.where(is_pill, PILL, POWDER),
                "gross_kg": gross, "pure_kg": gross * content, "pills": pills,
                "mg_per_pill": mg}


def _beta(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    mean = np.clip(mean, 1e-4, MAX_PURITY)
    return rng.beta(mean * PURITY_CONCENTRATION, (1 - mean) * PURITY_CONCENTRATION)
