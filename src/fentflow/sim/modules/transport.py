"""Step 3. Transport from production sites toward the border through organisations' territory.

Each new load picks a route to a crossing with probability proportional to the route's
appeal (travel time, cover in traffic at the port, the organisation's access to the border
plaza) damped by recent losses at that crossing (the balloon effect, step 8). Loads wait,
travel, and may be intercepted in Mexico, more often across rival territory.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from fentflow.sim import load_kernels
from fentflow.sim.dice import geometric, new_die, roll, uniform
from fentflow.sim.kernels import add_flow, inlined
from fentflow.sim.modules.base import Module
from fentflow.sim.network import route_appeal

HOURS_PER_WEEK = 168.0


class TransportPars(NamedTuple):
    """The parameters transport's kernel reads, (rep,) each."""
    route_adaptation: np.ndarray


class TransportState(NamedTuple):
    seized_by_site: np.ndarray    # (rep, site) pure kg intercepted in Mexico this week
    transit_by_state: np.ndarray  # (rep, state) pure kg set moving through each state this week
    dispatched: np.ndarray        # (rep, site) pure kg leaving sites this week
    appeal: np.ndarray            # (rep, route) before the balloon effect
    route_risk: np.ndarray        # (rep, route) interception probability in Mexico
    travel_weeks: np.ndarray      # (route,)
    staging_p: np.ndarray         # (rep,) weekly chance that a staged load moves
    route_first: np.ndarray       # (site + 1,) site s's routes are route_first[s]..route_first[s + 1] - 1
    route_fraction: np.ndarray    # (rep, route) scratch: each site's cumulative route shares this week
    route_crossing: np.ndarray    # (route,)
    route_state_first: np.ndarray  # the states a route touches, as a sparse (route, state) matrix:
    route_state: np.ndarray        # route j's are route_state[first[j]:first[j + 1]]
    route_state_weight: np.ndarray
    route_keys: np.ndarray        # (rep, 2) the keys of its decisions, drawn per load (`dice.roll`)
    interdiction_keys: np.ndarray
    staging_keys: np.ndarray
    pars: TransportPars        # the parameters its kernel reads


class TransportResults(NamedTuple):
    dispatched_kg: np.ndarray
    mexico_seized_kg: np.ndarray


class Transport(Module):
    name = "transport"
    outputs = TransportResults

    def __init__(self, sim):
        super().__init__(sim)
        net = self.net
        risk = (self.par("mexico_interdiction_scale") * net.route_risk_base[None, :]
                + self.par("rival_territory_risk") * net.route_rival_share[None, :])
        self.state = TransportState(
            seized_by_site=np.zeros((self.n_reps, net.n_sites)),
            transit_by_state=np.zeros((self.n_reps, len(net.states))), dispatched=np.zeros((self.n_reps, net.n_sites)),
            appeal=route_appeal(net, self.pars), route_risk=np.clip(risk, 0.0, 1.0),
            travel_weeks=np.ceil(net.route_hours / HOURS_PER_WEEK).astype(np.int64),
            staging_p=1.0 / (1.0 + self.pars["staging_weeks_mean"]),
            route_first=np.searchsorted(net.route_site, np.arange(net.n_sites + 1)).astype(np.int64),
            route_fraction=np.zeros((self.n_reps, len(net.route_site))),
            route_crossing=np.array(net.route_crossing, np.int64),
            **_sparse_rows(net.route_states),
            route_keys=self.keys("route"), interdiction_keys=self.keys("mexico interdiction"),
            staging_keys=self.keys("staging"), pars=self.kernel_pars(TransportPars))

    def declare_results(self) -> None:
        declare = self.sim.results.declare
        declare("dispatched_kg", "pure kg", "flow", "site", self.net.sites, "product leaving sites for the border")
        declare("mexico_seized_kg", "pure kg", "flow", "site", self.net.sites,
                "loads intercepted in Mexico on the way north, by site of origin")

def _sparse_rows(route_states: np.ndarray) -> dict[str, np.ndarray]:
    routes, states = np.nonzero(route_states)
    first = np.searchsorted(routes, np.arange(route_states.shape[0] + 1))
    return {"route_state_first": first.astype(np.int64), "route_state": states.astype(np.int64),
            "route_state_weight": route_states[routes, states].astype(float)}


@numba.njit(cache=True)
def transport_step(week, st, loads, crossing_loss, ledger, out, periods):
    """Route the new loads, each to its crossing and arrival week, and intercept some in Mexico;
    returns which were caught (crossing puts the rest on the road).

    One pass over the loads, the arrays taken out of their tuples before it: read inside the
    loop, each read costs numba a reference count."""
    _route_shares(st, crossing_loss)
    rep, site, ident, route, crossing, t_arrive = (loads.rep, loads.site, loads.ident, loads.route, loads.crossing,
                                                   loads.t_arrive)
    route_keys, interdiction_keys, staging_keys = st.route_keys, st.interdiction_keys, st.staging_keys
    fraction, route_first, route_risk, staging_p = st.route_fraction, st.route_first, st.route_risk, st.staging_p
    route_crossing, travel_weeks = st.route_crossing, st.travel_weeks
    caught = np.empty(rep.size, np.bool_)
    die = new_die()
    for i in range(rep.size):
        r, s = rep[i], site[i]
        roll(die, route_keys[r], ident[i])
        j = load_kernels.pick_route(fraction, r, route_first[s], route_first[s + 1], uniform(die))
        roll(die, interdiction_keys[r], ident[i])
        caught[i] = uniform(die) < route_risk[r, j]
        roll(die, staging_keys[r], ident[i])
        staging = geometric(die, staging_p[r]) - 1
        route[i], crossing[i] = j, route_crossing[j]
        t_arrive[i] = week + 1 + travel_weeks[j] + staging
    _book(st, loads, caught, ledger)
    add_flow(out.dispatched_kg, week, st.dispatched, periods)
    add_flow(out.mexico_seized_kg, week, st.seized_by_site, periods)
    return caught


@inlined
def _route_shares(st, crossing_loss):
    """This week's cumulative route shares of each site (`st.route_fraction`): appeal damped by
    remembered losses at the route's crossing (the balloon effect)."""
    n_reps, n_routes = st.appeal.shape
    damping = np.empty(crossing_loss.shape)
    for r in range(n_reps):
        for c in range(crossing_loss.shape[1]):
            damping[r, c] = np.exp(-st.pars.route_adaptation[r] * crossing_loss[r, c])
    weight = np.empty((n_reps, n_routes))
    for r in range(n_reps):
        for j in range(n_routes):
            weight[r, j] = st.appeal[r, j] * damping[r, st.route_crossing[j]]
    load_kernels.route_shares(weight, st.route_first, st.route_fraction)


@inlined
def _book(st, loads, caught, ledger):
    """Sums in load order: dispatched and intercepted by site, moving by state (through each route's states)."""
    dispatched, seized_by_site = st.dispatched, st.seized_by_site
    dispatched[:] = 0.0
    seized_by_site[:] = 0.0
    moving = np.zeros(st.appeal.shape)                     # (rep, route)
    rep, site, route, pure_kg = loads.rep, loads.site, loads.route, loads.pure_kg
    for i in range(rep.size):
        r, s = rep[i], site[i]
        dispatched[r, s] += pure_kg[i]
        if caught[i]:
            seized_by_site[r, s] += pure_kg[i]
        else:
            moving[r, route[i]] += pure_kg[i]
    st.transit_by_state[:] = 0.0
    for r in range(moving.shape[0]):
        ledger.seized[r] += seized_by_site[r].sum()
        for j in range(moving.shape[1]):
            if moving[r, j] != 0.0:
                for k in range(st.route_state_first[j], st.route_state_first[j + 1]):
                    st.transit_by_state[r, st.route_state[k]] += moving[r, j] * st.route_state_weight[k]
