"""Step 5. U.S. distribution from the crossings to markets, and domestic (DEA-type) seizures.

What crosses at each crossing spreads to markets by a gravity model (people with OUD, distance
decay), pulled toward markets where it sells dear: each market's gravity weight is multiplied
by last week's retail price relative to the reference (`distribution_price_pull` its
exponent), so supply fills unmet demand instead of piling up where the market is saturated. Domestic enforcement seizes a
share of what arrives, pills and powder alike; what is left joins the retail stock.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.kernels import add_flow, inlined, kernel
from fentflow.sim.modules.base import Module
from fentflow.sim.network import distribution_shares
from fentflow.sim.results import FLOW, rows

# What a market holds, per form: the columns of the (rep, market, field) arrays.
FIELDS = ("pill_pure_kg", "pills", "pills_ge2mg", "powder_pure_kg", "powder_gross_kg")
PILL_PURE, PILLS, PILLS_GE2MG, POWDER_PURE, POWDER_GROSS = range(len(FIELDS))
PURE = [PILL_PURE, POWDER_PURE]
MAX_SEIZURE_RATE = 0.95


class DistributionPars(NamedTuple):
    """The parameters distribution's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    domestic_seizure_rate: np.ndarray
    distribution_price_pull: np.ndarray


class DistributionState(NamedTuple):
    arrived: np.ndarray      # (rep, market, field) reaching markets this week ...
    seized: np.ndarray       # ... seized by domestic enforcement ...
    delivered: np.ndarray    # ... and delivered to the retail stock
    shares: np.ndarray       # (rep, crossing, market) gravity shares ...
    shares_by_market: np.ndarray  # (rep, market, crossing) ... the same, a market's row contiguous
    enforcement: np.ndarray  # (week, market) the domestic-enforcement lever
    arrived_pure: np.ndarray  # (rep, market) scratch: pure kg arrived ...
    seized_pure: np.ndarray   # ... and seized this week
    pull: np.ndarray          # (market,) scratch: each market's price pull ...
    by_field: np.ndarray      # (field, market) ... and what reaches it before the pull
    pulled: np.ndarray        # (crossing,) scratch: each crossing's total pulled weight
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `DistributionPars`


RESULTS = {
    "arrived_pure_kg": ("pure kg", FLOW, "fentanyl reaching the market"),
    "domestic_seized_pure_kg": ("pure kg", FLOW, "domestic seizures, pure"),
    "domestic_seized_pills": ("pills", FLOW, "domestic seizures of pills"),
    "domestic_seized_pills_ge2mg": ("pills", FLOW, "domestic seizures of pills with >= 2 mg"),
    "domestic_seized_powder_gross_kg": ("gross kg", FLOW, "domestic seizures of powder, gross"),
}
ARRIVED_PURE_KG, SEIZED_PURE_KG, SEIZED_PILLS, SEIZED_PILLS_GE2MG, SEIZED_POWDER_GROSS_KG = rows(
    RESULTS, "arrived_pure_kg", "domestic_seized_pure_kg",
    "domestic_seized_pills", "domestic_seized_pills_ge2mg", "domestic_seized_powder_gross_kg")


class Distribution(Module):
    name = "distribution"

    def __init__(self, sim):
        super().__init__(sim)
        shape = (self.n_reps, len(self.net.markets), len(FIELDS))
        self.shares = distribution_shares(self.net, self.pars)   # (rep, crossing, market)
        self.state = DistributionState(np.zeros(shape), np.zeros(shape), np.zeros(shape),
                                       np.ascontiguousarray(self.shares),
                                       np.ascontiguousarray(self.shares.transpose(0, 2, 1)),
                                       sim.levers["domestic_enforcement"],
                                       np.zeros(shape[:2]), np.zeros(shape[:2]), np.zeros(shape[1]),
                                       np.zeros((len(FIELDS), shape[1])), np.zeros(self.shares.shape[1]),
                                       self.kernel_pars(DistributionPars))

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("market", self.net.markets, RESULTS)

@kernel
def distribution_step(week, st, at_crossing, relative_price, ledger, out, periods):
    """Spread what crossed, (rep, crossing, field), over the markets, pulled by their prices;
    domestic enforcement seizes a share."""
    _arrivals(st, at_crossing, relative_price)
    arrived, seized, delivered, enforcement = st.arrived, st.seized, st.delivered, st.enforcement
    seizure_rate = st.pars.domestic_seizure_rate
    n_reps, n_markets, n_fields = arrived.shape
    seized_pure, arrived_pure = st.seized_pure, st.arrived_pure
    for r in range(n_reps):
        for m in range(n_markets):
            rate = min(seizure_rate[r] * (1.0 + enforcement[week, m]), MAX_SEIZURE_RATE)
            for f in range(n_fields):
                seized[r, m, f] = arrived[r, m, f] * rate
                delivered[r, m, f] = arrived[r, m, f] - seized[r, m, f]
            seized_pure[r, m] = seized[r, m, PILL_PURE] + seized[r, m, POWDER_PURE]
            arrived_pure[r, m] = arrived[r, m, PILL_PURE] + arrived[r, m, POWDER_PURE]
        ledger.seized[r] += seized_pure[r].sum()
    add_flow(out[ARRIVED_PURE_KG], week, arrived_pure, periods)
    add_flow(out[SEIZED_PURE_KG], week, seized_pure, periods)
    add_flow(out[SEIZED_PILLS], week, seized[:, :, PILLS], periods)
    add_flow(out[SEIZED_PILLS_GE2MG], week, seized[:, :, PILLS_GE2MG], periods)
    add_flow(out[SEIZED_POWDER_GROSS_KG], week, seized[:, :, POWDER_GROSS], periods)


@inlined
def _arrivals(st, at_crossing, relative_price):
    """(rep, market, field) arriving this week from every crossing, by the gravity shares x price pull.

    Market m gets pull[m] x sum over crossings c of (what crossed at c / c's total pulled weight) x
    share[c, m]: a product of small matrices, its inner loop over markets.

    The crossings' pulled weights are summed side by side, market after market: each is the same sum
    in the same order, but 37 running sums at once keep the processor busy where one waits on its
    own last addition (a fifth of a run's distribution). They read the shares laid out by market
    (`shares_by_market`), so that a market's 37 shares lie next to each other and the sums advance
    together in vector instructions (a tenth of distribution's time again, the same numbers)."""
    shares, by_market, arrived, exponent, pull, by_field, pulled = st.shares, st.shares_by_market, st.arrived, \
        st.pars.distribution_price_pull, st.pull, st.by_field, st.pulled
    n_reps, n_crossings, n_markets = shares.shape
    n_fields = len(FIELDS)
    for r in range(n_reps):
        for m in range(n_markets):
            pull[m] = relative_price[r, m] ** exponent[r]
        pulled[:] = 0.0
        for m in range(n_markets):
            for c in range(n_crossings):
                pulled[c] += by_market[r, m, c] * pull[m]
        by_field[:] = 0.0
        for c in range(n_crossings):
            nothing = True
            for f in range(n_fields):
                nothing = nothing and at_crossing[r, c, f] == 0.0
            if nothing:
                continue       # nothing crossed here this week
            for f in range(n_fields):
                scale = at_crossing[r, c, f] / pulled[c]
                for m in range(n_markets):
                    by_field[f, m] += scale * shares[r, c, m]
        for m in range(n_markets):
            for f in range(n_fields):
                arrived[r, m, f] = by_field[f, m] * pull[m]
