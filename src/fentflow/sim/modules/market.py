"""Step 6. Retail market: supply meets demand; price and potency follow.

Users want `need_mg_per_user_week` of fentanyl each, more when it is cheap. A share of the
retail stock is reachable each week; what is used leaves the stock in proportion across
pills and powder. Price per pill moves against the weeks of supply on hand. Potency is the
pure mg in one retail unit (a pill, or 100 mg of retail powder); the lethal share is the
share of pills used nationally that carry >= 2 mg, the measure DEA's laboratory reports.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.kernels import add_flow, inlined, kernel, set_stock
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.distribution import FIELDS, PILL_PURE, PILLS, PILLS_GE2MG, POWDER_GROSS, POWDER_PURE
from fentflow.sim.results import FLOW, STOCK, rows

RETAIL_UNIT_MG = 100.0        # assumption: one retail unit of powder, like one pill of ~100 mg
PRICE_BOUNDS = (0.02, 20.0)   # relative to the reference price


class MarketPars(NamedTuple):
    """The parameters market's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    demand_price_elasticity: np.ndarray
    need_mg_per_user_week: np.ndarray
    market_turnover: np.ndarray
    retail_dilution: np.ndarray
    price_per_pill_ref: np.ndarray
    price_cover_elasticity: np.ndarray


class MarketState(NamedTuple):
    stock: np.ndarray            # (rep, market, field) retail stock
    relative_price: np.ndarray   # (rep, market) price relative to the reference
    price_index: np.ndarray      # (rep,) need-weighted mean relative price
    consumed: np.ndarray         # (rep, market) pure kg used this week
    potency: np.ndarray          # (rep, market) pure mg per retail unit used
    lethal_share: np.ndarray     # (rep,) share of the pills used nationally with >= 2 mg (DEA's measure)
    need: np.ndarray             # (rep, market) scratch: pure kg wanted this week ...
    stock_left: np.ndarray       # ... pure kg left of the stock this week ...
    pure_after: np.ndarray       # ... the pure stock after use ...
    price: np.ndarray            # ... and the price per pill (USD)
    used: np.ndarray             # (field,) scratch: what one market used
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `MarketPars`


RESULTS = {
    "consumed_pure_kg": ("pure kg", FLOW, "fentanyl used"),
    "retail_stock_kg": ("pure kg", STOCK, "retail stock at the end of the period"),
    "price_usd_per_pill": ("USD/pill", STOCK, "retail price of one pill"),
    "potency_mg_per_unit": ("mg/unit", STOCK, "pure mg per retail unit used"),
}
CONSUMED_PURE_KG, RETAIL_STOCK_KG, PRICE_USD_PER_PILL, POTENCY_MG_PER_UNIT = rows(
    RESULTS, "consumed_pure_kg", "retail_stock_kg", "price_usd_per_pill", "potency_mg_per_unit")


class Market(Module):
    name = "market"

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, len(self.net.markets))
        self.state = MarketState(np.zeros(shape + (len(FIELDS),)), np.ones(shape), np.ones(self.n_reps),
                                 np.zeros(shape), np.zeros(shape), np.zeros(self.n_reps),
                                 *(np.zeros(shape) for _ in range(4)), np.zeros(len(FIELDS)),
                                 pars=self.kernel_pars(MarketPars))

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("market", self.net.markets, RESULTS)

@kernel
def market_step(week, st, delivered, users, ledger, out, periods):
    """Stock in, use out (limited by reach and need), then price and potency."""
    stock, consumed, potency, relative_price = st.stock, st.consumed, st.potency, st.relative_price
    need, stock_left, pure_after, price, used = st.need, st.stock_left, st.pure_after, st.price, st.used
    p = st.pars
    elasticity, need_mg, turnover, dilution = (p.demand_price_elasticity, p.need_mg_per_user_week,
                                               p.market_turnover, p.retail_dilution)
    n_reps, n_markets, n_fields = stock.shape
    for r in range(n_reps):
        pills, lethal_pills = 0.0, 0.0
        for m in range(n_markets):
            for f in range(n_fields):
                stock[r, m, f] += delivered[r, m, f]
            response = relative_price[r, m] ** -elasticity[r]
            need[r, m] = users[r, m] * need_mg[r] / 1e6 * response
            pure_stock = stock[r, m, PILL_PURE] + stock[r, m, POWDER_PURE]
            consumed[r, m] = min(pure_stock * turnover[r], need[r, m])
            used_share = consumed[r, m] / pure_stock if pure_stock > 0 else 0.0
            for f in range(n_fields):
                used[f] = stock[r, m, f] * used_share
                stock[r, m, f] -= used[f]
            pills += used[PILLS]
            lethal_pills += used[PILLS_GE2MG]
            if consumed[r, m] > 0:
                potency[r, m] = _mg_per_unit(used, dilution[r])
            stock_left[r, m] = pure_stock - consumed[r, m]
            pure_after[r, m] = stock[r, m, PILL_PURE] + stock[r, m, POWDER_PURE]
        if pills > 0:  # a week without pills keeps the last share
            st.lethal_share[r] = lethal_pills / pills
    _update_prices(st)
    for r in range(n_reps):
        total = 0.0
        for m in range(n_markets):
            price[r, m] = relative_price[r, m] * p.price_per_pill_ref[r]
            total += consumed[r, m]
        ledger.consumed[r] += total
    add_flow(out[CONSUMED_PURE_KG], week, consumed, periods)
    set_stock(out[RETAIL_STOCK_KG], week, pure_after, periods)
    set_stock(out[PRICE_USD_PER_PILL], week, price, periods)
    set_stock(out[POTENCY_MG_PER_UNIT], week, potency, periods)


@inlined
def _mg_per_unit(used, retail_dilution):
    """Pure mg per retail unit in what was used: pills, and powder in units of 100 mg at retail dilution."""
    pure_mg = (used[PILL_PURE] + used[POWDER_PURE]) * 1e6
    units = used[PILLS] + used[POWDER_GROSS] * 1e6 / retail_dilution / RETAIL_UNIT_MG
    return pure_mg / units if units > 0 else 0.0


@inlined
def _update_prices(st):
    """Prices move against the weeks of supply on hand (`st.stock_left` over `st.need`); the index weights
    markets by need."""
    relative_price, price_index, stock_left, need = st.relative_price, st.price_index, st.stock_left, st.need
    turnover, elasticity = st.pars.market_turnover, st.pars.price_cover_elasticity
    n_reps, n_markets = need.shape
    for r in range(n_reps):
        reference_cover = 1.0 / turnover[r]
        total_need = 0.0
        for m in range(n_markets):
            cover = stock_left[r, m] / need[r, m] if need[r, m] > 0 else reference_cover
            ratio = max(cover, 1e-3) / reference_cover
            price = ratio ** -elasticity[r]
            relative_price[r, m] = min(max(price, PRICE_BOUNDS[0]), PRICE_BOUNDS[1])
            total_need += need[r, m]
        total_need = max(total_need, 1e-300)
        index = 0.0
        for m in range(n_markets):
            index += relative_price[r, m] * (need[r, m] / total_need)
        price_index[r] = index
