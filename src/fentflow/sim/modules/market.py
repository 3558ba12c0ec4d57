"""Step 6. Retail market: supply meets demand; price and potency follow.

Users want `need_mg_per_user_week` of fentanyl each, more when it is cheap. A share of the
retail stock is reachable each week; what is used leaves the stock in proportion across
pills and powder. Price per pill moves against the weeks of supply on hand. Potency is the
pure mg in one retail unit (a pill, or 100 mg of retail powder); the lethal share is the
share of pills used nationally that carry >= 2 mg, the measure DEA's laboratory reports.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from fentflow.sim.kernels import add_flow, inlined, set_stock
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.distribution import FIELDS, PILL_PURE, PILLS, PILLS_GE2MG, POWDER_GROSS, POWDER_PURE

RETAIL_UNIT_MG = 100.0        # assumption: one retail unit of powder, like one pill of ~100 mg
PRICE_BOUNDS = (0.02, 20.0)   # relative to the reference price


class MarketPars(NamedTuple):
    """The parameters market's kernel reads, (rep,) each."""
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
    pars: MarketPars        # the parameters its kernel reads


class MarketResults(NamedTuple):
    consumed_pure_kg: np.ndarray
    retail_stock_kg: np.ndarray
    price_usd_per_pill: np.ndarray
    potency_mg_per_unit: np.ndarray


class Market(Module):
    name = "market"
    outputs = MarketResults

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, len(self.net.markets))
        self.state = MarketState(np.zeros(shape + (len(FIELDS),)), np.ones(shape), np.ones(self.n_reps),
                                 np.zeros(shape), np.zeros(shape), np.zeros(self.n_reps),
                                 pars=self.kernel_pars(MarketPars))

    def declare_results(self) -> None:
        declare, markets = self.sim.results.declare, self.net.markets
        declare("consumed_pure_kg", "pure kg", "flow", "market", markets, "fentanyl used")
        declare("retail_stock_kg", "pure kg", "stock", "market", markets, "retail stock at the end of the period")
        declare("price_usd_per_pill", "USD/pill", "stock", "market", markets, "retail price of one pill")
        declare("potency_mg_per_unit", "mg/unit", "stock", "market", markets, "pure mg per retail unit used")

@numba.njit(cache=True)
def market_step(week, st, delivered, users, ledger, out, periods):
    """Stock in, use out (limited by reach and need), then price and potency."""
    p = st.pars
    n_reps, n_markets, n_fields = st.stock.shape
    need = np.empty((n_reps, n_markets))
    stock_left = np.empty((n_reps, n_markets))
    pure_after = np.empty((n_reps, n_markets))
    price = np.empty((n_reps, n_markets))
    used = np.empty(n_fields)
    for r in range(n_reps):
        pills, lethal_pills = 0.0, 0.0
        for m in range(n_markets):
            for f in range(n_fields):
                st.stock[r, m, f] += delivered[r, m, f]
            response = st.relative_price[r, m] ** -p.demand_price_elasticity[r]
            need[r, m] = users[r, m] * p.need_mg_per_user_week[r] / 1e6 * response
            pure_stock = st.stock[r, m, PILL_PURE] + st.stock[r, m, POWDER_PURE]
            st.consumed[r, m] = min(pure_stock * p.market_turnover[r], need[r, m])
            used_share = st.consumed[r, m] / pure_stock if pure_stock > 0 else 0.0
            for f in range(n_fields):
                used[f] = st.stock[r, m, f] * used_share
                st.stock[r, m, f] -= used[f]
            pills += used[PILLS]
            lethal_pills += used[PILLS_GE2MG]
            if st.consumed[r, m] > 0:
                st.potency[r, m] = _mg_per_unit(used, p.retail_dilution[r])
            stock_left[r, m] = pure_stock - st.consumed[r, m]
            pure_after[r, m] = st.stock[r, m, PILL_PURE] + st.stock[r, m, POWDER_PURE]
        if pills > 0:  # a week without pills keeps the last share
            st.lethal_share[r] = lethal_pills / pills
        _update_price(p, st, r, stock_left[r], need[r])
        for m in range(n_markets):
            price[r, m] = st.relative_price[r, m] * p.price_per_pill_ref[r]
        ledger.consumed[r] += st.consumed[r].sum()
    add_flow(out.consumed_pure_kg, week, st.consumed, periods)
    set_stock(out.retail_stock_kg, week, pure_after, periods)
    set_stock(out.price_usd_per_pill, week, price, periods)
    set_stock(out.potency_mg_per_unit, week, st.potency, periods)


@inlined
def _mg_per_unit(used, retail_dilution):
    """Pure mg per retail unit in what was used: pills, and powder in units of 100 mg at retail dilution."""
    pure_mg = (used[PILL_PURE] + used[POWDER_PURE]) * 1e6
    units = used[PILLS] + used[POWDER_GROSS] * 1e6 / retail_dilution / RETAIL_UNIT_MG
    return pure_mg / units if units > 0 else 0.0


@inlined
def _update_price(p, st, r, stock_left, need):
    """Price moves against the weeks of supply on hand; the index weights markets by need."""
    reference_cover = 1.0 / p.market_turnover[r]
    total_need = 0.0
    for m in range(need.size):
        cover = stock_left[m] / need[m] if need[m] > 0 else reference_cover
        ratio = max(cover, 1e-3) / reference_cover
        price = ratio ** -p.price_cover_elasticity[r]
        st.relative_price[r, m] = min(max(price, PRICE_BOUNDS[0]), PRICE_BOUNDS[1])
        total_need += need[m]
    total_need = max(total_need, 1e-300)
    index = 0.0
    for m in range(need.size):
        index += st.relative_price[r, m] * (need[m] / total_need)
    st.price_index[r] = index
