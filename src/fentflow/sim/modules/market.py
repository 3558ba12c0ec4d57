"""Step 6. Retail market: supply meets demand; price and potency follow.

Users want `need_mg_per_user_week` of fentanyl each, more when it is cheap. A share of the
retail stock is reachable each week; what is used leaves the stock in proportion across
pills and powder. Price per pill moves against the weeks of supply on hand. Potency is the
pure mg in one retail unit (a pill, or 100 mg of retail powder).
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.modules.base import Module
from fentflow.sim.modules.distribution import FIELDS, PURE

RETAIL_UNIT_MG = 100.0        # assumption: one retail unit of powder, like one pill of ~100 mg
PRICE_BOUNDS = (0.02, 20.0)   # relative to the reference price


class Market(Module):
    name = "market"

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, len(self.net.markets))
        self.stock = np.zeros(shape + (len(FIELDS),))
        self.relative_price = np.ones(shape)
        self.price_index = np.ones(self.n_reps)
        self.consumed = np.zeros(shape)
        self.potency = np.zeros(shape)
        sim.ledger.register_stock("retail stock", lambda: self.stock[:, :, PURE].sum(axis=(1, 2)))

    def declare_results(self) -> None:
        declare, markets = self.sim.results.declare, self.net.markets
        declare("consumed_pure_kg", "pure kg", "flow", "market", markets, "fentanyl used")
        declare("retail_stock_kg", "pure kg", "stock", "market", markets, "retail stock at the end of the period")
        declare("price_usd_per_pill", "USD/pill", "stock", "market", markets, "retail price of one pill")
        declare("potency_mg_per_unit", "mg/unit", "stock", "market", markets, "pure mg per retail unit used")

    def step(self, week: int) -> None:
        self.stock += self.sim.modules["distribution"].delivered
        need = self._need()
        pure_stock = self.stock[:, :, PURE].sum(axis=2)
        available = pure_stock * self.pars["market_turnover"][:, None]
        self.consumed = np.minimum(available, need)
        used_share = np.divide(self.consumed, pure_stock, out=np.zeros_like(need), where=pure_stock > 0)
        used = self.stock * used_share[:, :, None]
        self.stock -= used
        self.potency = np.where(self.consumed > 0, _mg_per_unit(used, self.pars["retail_dilution"]), self.potency)
        self._update_price(pure_stock - self.consumed, need)
        self.sim.ledger.book("consumed", self.consumed.sum(axis=1))
        self.record("consumed_pure_kg", week, self.consumed)
        self.record("retail_stock_kg", week, self.stock[:, :, PURE].sum(axis=2))
        self.record("price_usd_per_pill", week, self.relative_price * self.par("price_per_pill_ref"))
        self.record("potency_mg_per_unit", week, self.potency)

    def _need(self) -> np.ndarray:
        users = self.sim.modules["demand"].users
        response = self.relative_price ** -self.par("demand_price_elasticity")
        return users * self.par("need_mg_per_user_week") / 1e6 * response

    def _update_price(self, stock_left: np.ndarray, need: np.ndarray) -> None:
        reference_cover = 1.0 / self.par("market_turnover")   # weeks on hand when supply just meets need
        cover = np.divide(stock_left, need, out=np.full_like(need, reference_cover), where=need > 0)
        ratio = np.maximum(cover, 1e-3) / reference_cover
        self.relative_price = np.clip(ratio ** -self.par("price_cover_elasticity"), *PRICE_BOUNDS)
        weight = need / np.maximum(need.sum(axis=1, keepdims=True), 1e-300)
        self.price_index = (self.relative_price * weight).sum(axis=1)


def _mg_per_unit(used: np.ndarray, retail_dilution: np.ndarray) -> np.ndarray:
    field = {name: used[:, :, i] for i, name in enumerate(FIELDS)}
    pure_mg = (field["pill_pure_kg"] + field["powder_pure_kg"]) * 1e6
    powder_units = field["powder_gross_kg"] * 1e6 / retail_dilution[:, None] / RETAIL_UNIT_MG
    units = field["pills"] + powder_units
    return np.divide(pure_mg, units, out=np.zeros_like(pure_mg), where=units > 0)
