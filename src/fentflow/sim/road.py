"""The road to the border: what will reach each crossing, week by week, already inspected.

A load's fate at the border is decided the week it sets off (`crossing.crossing_step`): its
arrival week is known then, and so is the detection it will meet there, which depends only
on the week and the levers (schedules made before the run). So the road holds no loads, only
totals per arrival week: the crossing counts, what passes in the market's fields, the pure kg
seized by site, the pure kg and loads due. Weeks sit in a ring (week
`w` in slot `w % size`) that doubles when a load is due further ahead than it reaches.

Totals are summed in the order loads set off, which is the order they reach the border in:
a week's numbers are those of inspecting its loads one by one on arrival. Pure kg in transit
is a running total per replicate, each week's departures and arrivals summed before they are
added or taken off.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from fentflow.sim.kernels import zero

INITIAL_WEEKS = 64   # weeks ahead the ring holds before it first doubles (travel plus staging is a few weeks)


class Road(NamedTuple):
    """The ring of arrival weeks, as compiled code sees it; the first axis of each total is the slot."""
    counts: np.ndarray           # (slot, count, rep, crossing) in `crossing.COUNTS` order
    passed: np.ndarray           # (slot, rep, crossing, field) what passes, in `distribution.FIELDS`
    seized_by_site: np.ndarray   # (slot, rep, site) pure kg seized at the border, by site of origin
    due_pure: np.ndarray         # (slot, rep) pure kg arriving
    due_loads: np.ndarray        # (slot,) loads arriving, every replicate
    pure_in_transit: np.ndarray  # (rep,) pure kg on the road
    first_week: np.ndarray       # [0]: the next week to arrive (earlier weeks have been taken off)
    count: np.ndarray            # [0]: loads on the road


def new_road(n_reps: int, n_counts: int, n_crossings: int, n_fields: int, n_sites: int,
             weeks: int = INITIAL_WEEKS) -> Road:
    return _ring(weeks, (n_counts, n_reps, n_crossings), (n_reps, n_crossings, n_fields), (n_reps, n_sites),
                 np.zeros(n_reps), np.zeros(1, np.int64), np.zeros(1, np.int64))


@numba.njit(cache=True)
def _ring(weeks, counts_shape, passed_shape, site_shape, pure_in_transit, first_week, count):
    """A road of `weeks` empty slots (each total's shape after the slot axis given), with the running totals given."""
    n_reps = pure_in_transit.size
    return Road(np.zeros((weeks,) + counts_shape), np.zeros((weeks,) + passed_shape),
                np.zeros((weeks,) + site_shape), np.zeros((weeks, n_reps)),
                np.zeros(weeks, np.int64), pure_in_transit, first_week, count)


@numba.njit(cache=True)
def reaching(road, last_week):
    """`road`, or a copy with the ring widened (doubled at least) so it holds weeks up to `last_week`."""
    size = road.due_loads.size
    first = road.first_week[0]
    if last_week - first < size:
        return road
    wider = max(2 * size, last_week - first + 1)
    grown = _ring(wider, road.counts.shape[1:], road.passed.shape[1:], road.seized_by_site.shape[1:],
                  road.pure_in_transit, road.first_week, road.count)
    for week in range(first, first + size):
        old, new = week % size, week % wider
        _add(grown.counts[new], road.counts[old])
        _add(grown.passed[new], road.passed[old])
        _add(grown.seized_by_site[new], road.seized_by_site[old])
        _add(grown.due_pure[new], road.due_pure[old])
        grown.due_loads[new] = road.due_loads[old]
    return grown


@numba.njit(cache=True)
def take_off(road, week, counts, passed, seized_by_site):
    """Fill the three week totals with what arrives by `week` (weeks not yet taken off included), and
    take it off the road."""
    zero(counts)
    zero(passed)
    zero(seized_by_site)
    arriving = np.zeros(road.pure_in_transit.size)
    size = road.due_loads.size
    for due in range(road.first_week[0], week + 1):
        slot = due % size
        _add(counts, road.counts[slot])
        _add(passed, road.passed[slot])
        _add(seized_by_site, road.seized_by_site[slot])
        _add(arriving, road.due_pure[slot])
        road.count[0] -= road.due_loads[slot]
        _clear(road, slot)
    for r in range(arriving.size):
        road.pure_in_transit[r] -= arriving[r]
    road.first_week[0] = max(road.first_week[0], week + 1)


@numba.njit(cache=True)
def _add(total, part):
    """total += part, element by element (C-contiguous arrays of one shape; `kernels.zero` says why a loop)."""
    flat_total, flat_part = total.reshape(-1), part.reshape(-1)
    for i in range(flat_total.size):
        flat_total[i] += flat_part[i]


@numba.njit(cache=True)
def _clear(road, slot):
    zero(road.counts[slot])
    zero(road.passed[slot])
    zero(road.seized_by_site[slot])
    zero(road.due_pure[slot])
    road.due_loads[slot] = 0
