"""Step 3. Transport from production sites toward the border through organisations' territory.

Each new load picks a route to a crossing with probability proportional to the route's
appeal (travel time, cover in traffic at the port, the organisation's access to the border
plaza) damped by recent losses at that crossing (the balloon effect, step 8). Loads wait,
travel, and may be intercepted in Mexico, more often across rival territory.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim import load_kernels as kernels
from fentflow.sim.modules.base import Module
from fentflow.sim.network import route_appeal

HOURS_PER_WEEK = 168.0


class Transport(Module):
    name = "transport"

    def __init__(self, sim):
        super().__init__(sim)
        net = self.net
        self.appeal = route_appeal(net, self.pars)                      # (rep, route)
        self.route_risk = np.clip(self.par("mexico_interdiction_scale") * net.route_risk_base[None, :]
                                  + self.par("rival_territory_risk") * net.route_rival_share[None, :], 0.0, 1.0)
        self.travel_weeks = np.ceil(net.route_hours / HOURS_PER_WEEK).astype(np.int32)
        self.seized_by_site = np.zeros((self.n_reps, net.n_sites))
        self.transit_by_state = np.zeros((self.n_reps, len(net.states)))
        self._staging_p = 1.0 / (1.0 + self.pars["staging_weeks_mean"])
        sim.ledger.register_stock("in transit", lambda: sim.loads.pure_in_transit.copy())

    def declare_results(self) -> None:
        declare = self.sim.results.declare
        declare("dispatched_kg", "pure kg", "flow", "site", self.net.sites, "product leaving sites for the border")
        declare("mexico_seized_kg", "pure kg", "flow", "site", self.net.sites,
                "loads intercepted in Mexico on the way north, by site of origin")

    def step(self, week: int) -> None:
        loads = self.sim.modules["production"].new_loads
        n, rep = len(loads["rep"]), loads["rep"]
        route = self._choose_routes(rep, loads["site"])
        caught = self.rng("mexico interdiction").random(n) < self.route_risk[rep, route]
        staging = self.rng("staging").geometric(self._staging_p[rep]) - 1
        self._book_interceptions(week, loads, caught)
        self._book_transit(loads, route, ~caught)
        moving = ~caught
        self.sim.loads.schedule(**{k: v[moving] for k, v in loads.items()}, route=route[moving],
                                crossing=self.net.route_crossing[route[moving]],
                                t_arrive=week + 1 + self.travel_weeks[route[moving]] + staging[moving])
        self.record("dispatched_kg", week, self.sum_by(rep, loads["site"], loads["pure_kg"], self.net.n_sites))

    def _choose_routes(self, reps: np.ndarray, sites: np.ndarray) -> np.ndarray:
        """Categorical draw among each site's routes, by appeal damped by remembered losses."""
        net = self.net
        losses = self.sim.modules["adaptation"].crossing_loss[:, net.route_crossing]
        weight = self.appeal * np.exp(-self.par("route_adaptation") * losses)
        u = self.rng("route").random(len(reps))
        return kernels.choose_routes(reps, sites, u, weight, net.route_site, net.n_sites)

    def _book_interceptions(self, week, loads, caught) -> None:
        self.seized_by_site = self.sum_by(loads["rep"][caught], loads["site"][caught],
                                          loads["pure_kg"][caught], self.net.n_sites)
        self.sim.ledger.book("seized", self.seized_by_site.sum(axis=1))
        self.record("mexico_seized_kg", week, self.seized_by_site)

    def _book_transit(self, loads, route, moving) -> None:
        per_route = self.sum_by(loads["rep"][moving], route[moving], loads["pure_kg"][moving], len(self.net.route_site))
        self.transit_by_state = per_route @ self.net.route_states

