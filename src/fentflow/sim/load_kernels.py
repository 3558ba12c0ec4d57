"""Compiled loops over loads: a load's identity, and the deterministic arithmetic of route choice.

Random draws never happen here: the step kernels draw from their keyed dice and pass the
numbers in (production draws and shapes its new loads in one loop of its own). Sums run in
load order within each replicate, so a replicate's numbers never depend on the loads of the
others in its batch.
"""
from __future__ import annotations

import numba
import numpy as np

from fentflow.sim.kernels import inlined


@numba.njit(cache=True)
def load_unit(week, site, number):
    """A load's identity in its replicate, the counter its draws are keyed by: the week it was made,
    its site and its number in that site's batch (weeks < 2**19, sites < 2**20, loads < 2**24)."""
    return (np.int64(week) << 44) | (np.int64(site) << 24) | np.int64(number)


@numba.njit(cache=True)
def route_shares(weight, route_first, fraction):
    """Each site's cumulative route shares into `fraction`, (rep, route), by `weight`, (rep, route).

    Site s's routes are route_first[s]..route_first[s + 1] - 1; the last share of each site is
    exactly 1. Every share is a sum over its own replicate and site only, so a replicate's
    routes never depend on the others in its batch."""
    n_sites = route_first.size - 1
    for r in range(weight.shape[0]):
        for s in range(n_sites):
            lo, hi = route_first[s], route_first[s + 1]
            total = 0.0
            for j in range(lo, hi):
                total += weight[r, j]
            running = 0.0
            for j in range(lo, hi):
                running += weight[r, j]
                fraction[r, j] = running / total
            if hi > lo:
                fraction[r, hi - 1] = 1.0


@inlined
def pick_route(fraction, r, lo, hi, u):
    """The first route of lo..hi-1 (one site's, for replicate r) whose cumulative share reaches the
    uniform draw `u`: a categorical draw, found by bisection (the shares only grow)."""
    hi -= 1                     # the answer is the last route if no share reaches u
    while lo < hi:
        mid = (lo + hi) // 2
        if fraction[r, mid] < u:
            lo = mid + 1
        else:
            hi = mid
    return lo
