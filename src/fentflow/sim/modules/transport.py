"""Step 3. Transport from production sites toward the border through organisations' territory.

A site's shipment (a cargo, `cargo.py`) splits over its routes to the crossings in
proportion to each route's appeal (travel time, cover in traffic at the port, the
organisation's access to the border plaza) damped by recent losses at that crossing (the
balloon effect, step 8): the share of loads that would pick each route. Interception in
Mexico takes the route's risk of it, more often across rival territory. The rest waits to
set off: each week a share of what waits on a route leaves (a load's wait is geometric),
and crossing puts it on the road to its arrival week.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.cargo import N_CARGO, PILL_PURE, POWDER_PURE
from fentflow.sim.kernels import add_flow, inlined, kernel
from fentflow.sim.modules.base import Module
from fentflow.sim.network import route_appeal
from fentflow.sim.results import FLOW, rows

HOURS_PER_WEEK = 168.0


class TransportPars(NamedTuple):
    """The parameters transport's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    route_adaptation: np.ndarray


class TransportState(NamedTuple):
    seized_by_site: np.ndarray    # (rep, site) pure kg intercepted in Mexico this week
    transit_by_state: np.ndarray  # (rep, state) pure kg set moving through each state this week
    dispatched: np.ndarray        # (rep, site) pure kg leaving sites this week
    waiting: np.ndarray           # (rep, route, cargo) past interception, waiting to set off ...
    leaving: np.ndarray           # (rep, route, cargo) ... and setting off this week
    appeal: np.ndarray            # (rep, route) before the balloon effect
    route_risk: np.ndarray        # (rep, route) interception probability in Mexico
    staging_p: np.ndarray         # (rep,) weekly chance that a waiting load moves
    route_first: np.ndarray       # (site + 1,) site s's routes are route_first[s]..route_first[s + 1] - 1
    route_share: np.ndarray       # (rep, route) scratch: each site's route shares this week
    route_crossing: np.ndarray    # (route,)
    route_state_first: np.ndarray  # the states a route touches, as a sparse (route, state) matrix:
    route_state: np.ndarray        # route j's are route_state[first[j]:first[j + 1]]
    route_state_weight: np.ndarray
    damping: np.ndarray            # (crossing,) scratch: what remembered losses leave of each crossing's appeal
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `TransportPars`


RESULTS = {
    "dispatched_kg": ("pure kg", FLOW, "product leaving sites for the border"),
    "mexico_seized_kg": ("pure kg", FLOW, "loads intercepted in Mexico on the way north, by site of origin"),
}
DISPATCHED_KG, MEXICO_SEIZED_KG = rows(RESULTS, "dispatched_kg", "mexico_seized_kg")


class Transport(Module):
    name = "transport"

    def __init__(self, sim):
        super().__init__(sim)
        net = self.net
        n_routes = len(net.route_site)
        risk = (self.par("mexico_interdiction_scale") * net.route_risk_base[None, :]
                + self.par("rival_territory_risk") * net.route_rival_share[None, :])
        self.state = TransportState(
            seized_by_site=np.zeros((self.n_reps, net.n_sites)),
            transit_by_state=np.zeros((self.n_reps, len(net.states))), dispatched=np.zeros((self.n_reps, net.n_sites)),
            waiting=np.zeros((self.n_reps, n_routes, N_CARGO)), leaving=np.zeros((self.n_reps, n_routes, N_CARGO)),
            appeal=route_appeal(net, self.pars), route_risk=np.clip(risk, 0.0, 1.0),
            staging_p=1.0 / (1.0 + self.pars["staging_weeks_mean"]),
            route_first=np.searchsorted(net.route_site, np.arange(net.n_sites + 1)).astype(np.int64),
            route_share=np.zeros((self.n_reps, n_routes)), route_crossing=np.array(net.route_crossing, np.int64),
            **_sparse_rows(net.route_states), damping=np.zeros(len(net.crossings)),
            pars=self.kernel_pars(TransportPars))

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("site", self.net.sites, RESULTS)

def _sparse_rows(route_states: np.ndarray) -> dict[str, np.ndarray]:
    routes, states = np.nonzero(route_states)
    first = np.searchsorted(routes, np.arange(route_states.shape[0] + 1))
    return {"route_state_first": first.astype(np.int64), "route_state": states.astype(np.int64),
            "route_state_weight": route_states[routes, states].astype(float)}


def travel_weeks(net) -> np.ndarray:
    """Weeks on the road from setting off to reaching the crossing, (route,): the route's hours, rounded up."""
    return np.ceil(net.route_hours / HOURS_PER_WEEK).astype(np.int64)


@kernel
def transport_step(week, st, cargo, crossing_loss, ledger, out, periods):
    """Split each site's cargo, (rep, site, cargo), over its routes; intercept in Mexico; let a share of
    what waits set off (`st.leaving`, which crossing puts on the road)."""
    _route_shares(st, crossing_loss)
    _dispatch(st, cargo)
    waiting, leaving, moves = st.waiting, st.leaving, st.staging_p
    for r in range(waiting.shape[0]):
        for j in range(waiting.shape[1]):
            for f in range(waiting.shape[2]):
                leaving[r, j, f] = moves[r] * waiting[r, j, f]
                waiting[r, j, f] -= leaving[r, j, f]
        ledger.seized[r] += st.seized_by_site[r].sum()
    dispatched, seized = st.dispatched, st.seized_by_site     # `st` read for the last time (`kernels.py`)
    add_flow(out[DISPATCHED_KG], week, dispatched, periods)
    add_flow(out[MEXICO_SEIZED_KG], week, seized, periods)


@inlined
def _route_shares(st, crossing_loss):
    """This week's route shares of each site (`st.route_share`): appeal damped by remembered losses at the
    route's crossing (the balloon effect). Each share is a sum over its own replicate and site only."""
    share, appeal, first, crossing, adaptation = (st.route_share, st.appeal, st.route_first, st.route_crossing,
                                                  st.pars.route_adaptation)
    damping = st.damping
    n_reps, n_crossings = crossing_loss.shape
    for r in range(n_reps):
        for c in range(n_crossings):
            damping[c] = np.exp(-adaptation[r] * crossing_loss[r, c])
        for s in range(first.size - 1):
            total = 0.0
            for j in range(first[s], first[s + 1]):
                share[r, j] = appeal[r, j] * damping[crossing[j]]
                total += share[r, j]
            for j in range(first[s], first[s + 1]):
                share[r, j] /= total


@inlined
def _dispatch(st, cargo):
    """Each site's cargo onto its routes: intercepted in Mexico at the route's risk, the rest waits to set
    off. Books what left each site, what was intercepted, and the pure kg moving through each state."""
    share, risk, first, waiting = st.route_share, st.route_risk, st.route_first, st.waiting
    dispatched, seized, by_state = st.dispatched, st.seized_by_site, st.transit_by_state
    state_first, state, state_weight = st.route_state_first, st.route_state, st.route_state_weight
    n_fields = cargo.shape[2]
    by_state[:] = 0.0
    for r in range(cargo.shape[0]):
        for s in range(first.size - 1):
            dispatched[r, s] = cargo[r, s, PILL_PURE] + cargo[r, s, POWDER_PURE]
            seized[r, s] = 0.0
            for j in range(first[s], first[s + 1]):
                kept = share[r, j] * (1.0 - risk[r, j])
                for f in range(n_fields):
                    waiting[r, j, f] += kept * cargo[r, s, f]
                seized[r, s] += share[r, j] * risk[r, j] * dispatched[r, s]
                for k in range(state_first[j], state_first[j + 1]):
                    by_state[r, state[k]] += kept * dispatched[r, s] * state_weight[k]
