"""Compiled loops of the load queue (`queue.py`): link loads into their arrival week, gather them back.

The pool (`loads.QueueArrays`) holds one load per slot (a row of `ints` and of `floats`,
one column per load column, so a load's values sit together in memory); each arrival week
is a linked list of slots (`head`, `tail`, `next_slot`) in scheduling order, so a week's
loads come out in the order they went in. Free slots are a stack (`free`, with `n_free[0]`
on it). The pool and the week lists double when full, so a function that may grow them
returns the queue. Mass in transit is summed per replicate before it is added or taken
off, as `np.bincount` would, so the running total rounds the same way.
"""
from __future__ import annotations

import numba
import numpy as np

from fentflow.sim.kernels import inlined
from fentflow.sim.loads import LoadBatch, QueueArrays


@numba.njit(cache=True)
def empty_batch(n):
    """A batch of `n` loads, every column allocated (route and crossing -1 until routed)."""
    return LoadBatch(np.empty(n, np.int64), np.empty(n, np.int64), np.full(n, -1, np.int64),
                     np.full(n, -1, np.int64), np.empty(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64),
                     np.empty(n), np.empty(n), np.zeros(n), np.zeros(n))


@numba.njit(cache=True)
def schedule(q, batch, keep):
    """Put the loads of `batch` where `keep` is true on the road; a load due in a week already
    delivered waits for the next delivery. Returns the queue (it may have grown)."""
    n = np.int64(0)   # not the literal 0: numba would compile `_with_room` for that type too
    first = q.first_week[0]
    last_week = first
    for i in range(batch.rep.size):
        if keep[i]:
            n += 1
            last_week = max(last_week, batch.t_arrive[i])
    if n == 0:
        return q
    q = _with_room(q, n, last_week)
    added = np.zeros(q.pure_in_transit.size)
    for i in range(batch.rep.size):
        if not keep[i]:
            continue
        q.n_free[0] -= 1
        slot = q.free[q.n_free[0]]
        _store(q, slot, batch, i)
        week = max(batch.t_arrive[i], first)
        q.next_slot[slot] = -1
        if q.tail[week] < 0:
            q.head[week] = slot
        else:
            q.next_slot[q.tail[week]] = slot
        q.tail[week] = slot
        q.due[week] += 1
        added[batch.rep[i]] += batch.pure_kg[i]
    for r in range(added.size):
        q.pure_in_transit[r] += added[r]
    q.count[0] += n
    return q


@inlined
def _store(q, slot, batch, i):
    q.ints[slot, 0], q.ints[slot, 1], q.ints[slot, 2] = batch.rep[i], batch.site[i], batch.route[i]
    q.ints[slot, 3], q.ints[slot, 4], q.ints[slot, 5] = batch.crossing[i], batch.form[i], batch.t_arrive[i]
    q.ints[slot, 6] = batch.ident[i]
    q.floats[slot, 0], q.floats[slot, 1] = batch.gross_kg[i], batch.pure_kg[i]
    q.floats[slot, 2], q.floats[slot, 3] = batch.pills[i], batch.mg_per_pill[i]


@numba.njit(cache=True)
def arrivals(q, week):
    """Take the loads that reach the border in `week` (and any left from earlier weeks)."""
    last = min(week, q.head.size - 1)
    if last < q.first_week[0]:
        return empty_batch(np.int64(0))   # the signature Python's `empty_batch(0)` compiled (not a literal 0)
    batch = _gather(q, q.first_week[0], last, True)
    q.first_week[0] = week + 1
    q.count[0] -= batch.rep.size
    return batch


@numba.njit(cache=True)
def pending(q):
    """Every load still on the road (a copy), in arrival-week order."""
    return _gather(q, q.first_week[0], q.head.size - 1, False)


@inlined
def _gather(q, first, last, release):
    """The loads due in weeks first..last, in order; with `release`, taken off the road."""
    out = empty_batch(q.due[first:last + 1].sum())
    taken = np.zeros(q.pure_in_transit.size)
    i = 0
    for week in range(first, last + 1):
        slot = q.head[week]
        while slot >= 0:
            _load(q, slot, out, i)
            taken[q.ints[slot, 0]] += q.floats[slot, 1]
            following = q.next_slot[slot]
            if release:
                q.free[q.n_free[0]] = slot
                q.n_free[0] += 1
            slot = following
            i += 1
        if release:
            q.head[week] = -1
            q.tail[week] = -1
            q.due[week] = 0
    if release:
        for r in range(taken.size):
            q.pure_in_transit[r] -= taken[r]
    return out


@inlined
def _load(q, slot, out, i):
    out.rep[i], out.site[i], out.route[i] = q.ints[slot, 0], q.ints[slot, 1], q.ints[slot, 2]
    out.crossing[i], out.form[i], out.t_arrive[i] = q.ints[slot, 3], q.ints[slot, 4], q.ints[slot, 5]
    out.ident[i] = q.ints[slot, 6]
    out.gross_kg[i], out.pure_kg[i] = q.floats[slot, 0], q.floats[slot, 1]
    out.pills[i], out.mg_per_pill[i] = q.floats[slot, 2], q.floats[slot, 3]


@inlined
def _with_room(q, n, last_week):
    """`q`, or a copy with the pool and the week lists doubled so `n` more loads fit, due up to `last_week`."""
    if n <= q.n_free[0] and last_week < q.head.size:
        return q
    ints, floats, next_slot, free, n_free = q.ints, q.floats, q.next_slot, q.free, q.n_free
    if n > q.n_free[0]:
        old = ints.shape[0]
        new = max(2 * old, old + n)
        ints = _grown_rows(ints, new)
        floats = _grown_rows(floats, new)
        next_slot = _grown(next_slot, new, -1)
        unused = q.free[:q.n_free[0]]
        free = np.zeros(new, np.int64)   # the new slots, the lowest on top, under those still free
        for k in range(new - old):       # (loops: an array assigned to a slice compiles its error message)
            free[k] = new - 1 - k
        for k in range(unused.size):
            free[new - old + k] = unused[k]
        n_free = np.array([q.n_free[0] + new - old], np.int64)
    head, tail, due = q.head, q.tail, q.due
    if last_week >= head.size:
        weeks = max(2 * head.size, last_week + 1)
        head, tail, due = _grown(head, weeks, -1), _grown(tail, weeks, -1), _grown(due, weeks, 0)
    return QueueArrays(ints, floats, next_slot, free, n_free, head, tail, due, q.pure_in_transit,
                       q.first_week, q.count)


@numba.njit(cache=True)
def _grown(array, size, fill):
    """A copy of the 1-D int64 `array` extended to `size`, the new part set to `fill`."""
    grown = np.empty(size, np.int64)
    for i in range(size):
        grown[i] = array[i] if i < array.size else fill
    return grown


@numba.njit(cache=True)
def _grown_rows(array, size):
    """A copy of the 2-D `array` with rows of zeros added up to `size` rows."""
    grown = np.zeros((size, array.shape[1]), array.dtype)
    for i in range(array.shape[0]):
        for k in range(array.shape[1]):
            grown[i, k] = array[i, k]
    return grown
