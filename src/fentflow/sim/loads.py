"""Loads as a struct of arrays (one typed column per attribute, no object per load).

A load is one shipment of pills or powder from a production site toward one border
crossing. Loads of every replicate travel together; the `rep` column says whose they are.
A `LoadBatch` is one week's new loads: made by production, routed by transport, inspected and
put on the road (`road.py`, totals per arrival week) by crossing. Compiled code keeps every
integer column as int64 and every other as float64.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.kernels import inlined

POWDER, PILL = 0, 1


class LoadBatch(NamedTuple):
    rep: np.ndarray          # replicate the load belongs to
    site: np.ndarray         # production site of origin
    route: np.ndarray        # row of the site -> crossing route taken (-1 until routed)
    crossing: np.ndarray     # border crossing it heads for (-1 until routed)
    form: np.ndarray         # POWDER or PILL
    t_arrive: np.ndarray     # week the load reaches the border
    ident: np.ndarray        # the load's identity in its replicate: week made, site, number
                             # (`load_kernels.load_unit`); its random draws are keyed by it
    gross_kg: np.ndarray     # mixture or pill weight
    pure_kg: np.ndarray      # fentanyl content
    pills: np.ndarray        # pill count (0 for powder)
    mg_per_pill: np.ndarray  # batch potency (0 for powder)


@inlined
def new_batch(n):
    """Columns for n new loads, not yet routed (route, crossing -1); pills and mg per pill stay 0 for powder."""
    unrouted = np.full(n, -1, np.int64)
    return LoadBatch(np.empty(n, np.int64), np.empty(n, np.int64), unrouted, unrouted.copy(), np.empty(n, np.int64),
                     np.zeros(n, np.int64), np.empty(n, np.int64), np.empty(n), np.empty(n), np.zeros(n), np.zeros(n))


def empty_batch() -> LoadBatch:
    """No loads (before the first week), with the column types compiled code gives a batch."""
    return new_batch(0)
