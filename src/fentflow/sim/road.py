"""The road to the border: what will reach each crossing, week by week.

What sets off this week (`transport.leaving`, a cargo per route) reaches its crossing the
week after, plus the route's travel time in whole weeks (`transport.travel_weeks`): the road holds it by arrival week, in a ring (week
`w` in slot `w % size`) just long enough for the longest route, so it never grows. By
crossing it holds the cargo; by route, the pure kg, which says whose it is (a route leaves
from one site). Pure kg in transit is a running total per replicate.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.cargo import N_CARGO, PILL_PURE, POWDER_PURE
from fentflow.sim.kernels import inlined, zero


class Road(NamedTuple):
    cargo: np.ndarray            # (slot, rep, crossing, cargo) arriving in the slot's week
    route_pure: np.ndarray       # (slot, rep, route) pure kg arriving, by the route it took
    travel_weeks: np.ndarray     # (route,) weeks on the road: what sets off in week w arrives in w + 1 + travel
    route_crossing: np.ndarray   # (route,)
    pure_in_transit: np.ndarray  # (rep,) pure kg on the road


def new_road(n_reps: int, n_crossings: int, travel_weeks: np.ndarray, route_crossing: np.ndarray) -> Road:
    size = int(travel_weeks.max(initial=0)) + 2       # this week, and the weeks up to the longest route's arrival
    return Road(np.zeros((size, n_reps, n_crossings, N_CARGO)), np.zeros((size, n_reps, travel_weeks.size)),
                np.array(travel_weeks, np.int64), np.array(route_crossing, np.int64), np.zeros(n_reps))


@inlined
def set_off(road, week, leaving):
    """Put what leaves on each route this week, (rep, route, cargo), on the road to its arrival week."""
    cargo, route_pure, travel, crossing, in_transit = (road.cargo, road.route_pure, road.travel_weeks,
                                                       road.route_crossing, road.pure_in_transit)
    size = cargo.shape[0]
    n_reps, n_routes, n_fields = leaving.shape
    next_slot = (week + 1) % size     # travel < size: one wrap at most, without a division per route
    for r in range(n_reps):
        added = 0.0
        for j in range(n_routes):
            slot, c = next_slot + travel[j], crossing[j]
            if slot >= size:
                slot -= size
            for f in range(n_fields):
                cargo[slot, r, c, f] += leaving[r, j, f]
            pure = leaving[r, j, PILL_PURE] + leaving[r, j, POWDER_PURE]
            route_pure[slot, r, j] += pure
            added += pure
        in_transit[r] += added


@inlined
def take_off(road, week, arriving, arriving_by_route):
    """Fill `arriving`, (rep, crossing, cargo), and `arriving_by_route`, (rep, route) pure kg, with what
    reaches the border this week, and take it off the road."""
    cargo, route_pure, in_transit = road.cargo, road.route_pure, road.pure_in_transit
    slot = week % cargo.shape[0]
    for r in range(arriving.shape[0]):
        pure = 0.0
        for c in range(arriving.shape[1]):
            for f in range(arriving.shape[2]):
                arriving[r, c, f] = cargo[slot, r, c, f]
            pure += arriving[r, c, PILL_PURE] + arriving[r, c, POWDER_PURE]
        for j in range(arriving_by_route.shape[1]):
            arriving_by_route[r, j] = route_pure[slot, r, j]
        in_transit[r] -= pure
    zero(cargo[slot])
    zero(route_pure[slot])
