"""Compiled loops of the load queue (`loads.py`): link loads into their arrival week, gather them back.

The pool holds one load per slot (a row of `ints` and of `floats`, one column per load column,
so a load's values sit together in memory); each arrival week
is a linked list of slots (`head`, `tail`, `next`) in scheduling order, so a week's loads come
out in the order they went in. Free slots are a stack (`free`, with `n_free[0]` on it).
Mass in transit is summed per replicate before it is added or taken off, as `np.bincount`
would, so the running total rounds the same way.
"""
from __future__ import annotations

import numba
import numpy as np

REP_ROW, PURE_ROW = 0, 1   # positions of "rep" among the int columns and of "pure_kg" among the floats


@numba.njit(cache=True)
def enqueue(ints_in, floats_in, weeks, ints, floats, next_slot, free, n_free, head, tail, due, pure_in_transit):
    added = np.zeros(pure_in_transit.size)
    for i in range(weeks.size):
        n_free[0] -= 1
        slot = free[n_free[0]]
        for k in range(ints.shape[1]):
            ints[slot, k] = ints_in[k, i]
        for k in range(floats.shape[1]):
            floats[slot, k] = floats_in[k, i]
        next_slot[slot] = -1
        week = weeks[i]
        if tail[week] < 0:
            head[week] = slot
        else:
            next_slot[tail[week]] = slot
        tail[week] = slot
        due[week] += 1
        added[ints_in[REP_ROW, i]] += floats_in[PURE_ROW, i]
    pure_in_transit += added


@numba.njit(cache=True)
def gather(first, last, release, ints_out, floats_out, ints, floats, next_slot, free, n_free, head, tail, due,
           pure_in_transit):
    """Copy the loads due in weeks first..last, in order; with `release`, take them off the road."""
    taken = np.zeros(pure_in_transit.size)
    i = 0
    for week in range(first, last + 1):
        slot = head[week]
        while slot >= 0:
            for k in range(ints.shape[1]):
                ints_out[k, i] = ints[slot, k]
            for k in range(floats.shape[1]):
                floats_out[k, i] = floats[slot, k]
            taken[ints[slot, REP_ROW]] += floats[slot, PURE_ROW]
            following = next_slot[slot]
            if release:
                free[n_free[0]] = slot
                n_free[0] += 1
            slot = following
            i += 1
        if release:
            head[week] = -1
            tail[week] = -1
            due[week] = 0
    if release:
        pure_in_transit -= taken
