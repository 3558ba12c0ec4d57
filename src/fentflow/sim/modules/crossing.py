"""Step 4. Crossing: loads reach their crossing; inspection at ports of entry, detection between them.

Detection rises with load size and with inspection levers. A load is inspected for the week
it will arrive as soon as it sets off (detection and levers are schedules, known before the
run), so the road ahead holds totals per arrival week, not loads (`road.py`). Every seizure
is recorded by week and crossing with gross weight, pure weight and pills; the crossing's
CBP unit (field office or sector) and component (port of entry vs between ports) come from
the world.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from fentflow.sim import road as road_kernels
from fentflow.sim.curves import log_path
from fentflow.sim.dice import new_die, roll, uniform
from fentflow.sim.kernels import add_flow, inlined
from fentflow.sim.loads import PILL
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.distribution import FIELDS, PILL_PURE, PILLS, PILLS_GE2MG, POWDER_GROSS, POWDER_PURE
from fentflow.units import LETHAL_DOSE_MG   # DEA's threshold: pills with >= 2 mg count as potentially lethal

REFERENCE_LOAD_KG = 5.0
MAX_DETECTION = 0.95

COUNTS = {
    "attempts": ("loads", "loads reaching the crossing (attempted crossings)"),
    "attempted_gross_kg": ("gross kg", "gross weight of attempted crossings"),
    "attempted_pure_kg": ("pure kg", "fentanyl content of attempted crossings"),
    "seizure_events": ("events", "loads seized"),
    "seized_gross_kg": ("gross kg", "gross weight seized"),
    "seized_pure_kg": ("pure kg", "fentanyl content seized"),
    "seized_pills": ("pills", "pills seized"),
    "passed_pure_kg": ("pure kg", "fentanyl content that crossed"),
}
# Rows of the week's totals, (count, rep, crossing): `COUNTS` is the one list, the kernels index it by name.
ROW = {name: k for k, name in enumerate(COUNTS)}
ATTEMPTS, ATTEMPTED_GROSS, ATTEMPTED_PURE = ROW["attempts"], ROW["attempted_gross_kg"], ROW["attempted_pure_kg"]
EVENTS, SEIZED_GROSS, SEIZED_PURE = ROW["seizure_events"], ROW["seized_gross_kg"], ROW["seized_pure_kg"]
SEIZED_PILLS, PASSED_PURE = ROW["seized_pills"], ROW["passed_pure_kg"]


class CrossingPars(NamedTuple):
    """The parameters crossing's kernel reads, (rep,) each."""
    detection_size_elasticity: np.ndarray


class CrossingState(NamedTuple):
    totals: np.ndarray               # (count, rep, crossing) arriving this week, in `COUNTS` order
    passed: np.ndarray               # (rep, crossing, field) what passed, in `distribution.FIELDS`
    seized_pure_by_site: np.ndarray  # (rep, site) this week
    detection: np.ndarray            # (week, rep, crossing) for a reference-size load
    inspection_keys: np.ndarray      # (rep, 2) the inspection decision's keys, drawn per load (`dice.roll`)
    pars: CrossingPars        # the parameters its kernel reads


CrossingResults = NamedTuple("CrossingResults", [(name, np.ndarray) for name in COUNTS])


class Crossing(Module):
    name = "crossing"
    outputs = CrossingResults

    def __init__(self, sim):
        super().__init__(sim)
        n_crossings = len(self.net.crossings)
        self.state = CrossingState(
            totals=np.zeros((len(COUNTS), self.n_reps, n_crossings)),
            passed=np.zeros((self.n_reps, n_crossings, len(FIELDS))),
            seized_pure_by_site=np.zeros((self.n_reps, self.net.n_sites)),
            detection=self.detection(np.arange(sim.calendar.n_weeks)), inspection_keys=self.keys("inspection"),
            pars=self.kernel_pars(CrossingPars))

    def new_road(self) -> road_kernels.Road:
        """An empty road to this world's crossings; the week carries it from step to step (`fused.Handoff`)."""
        return road_kernels.new_road(self.n_reps, len(COUNTS), len(self.net.crossings), len(FIELDS), self.net.n_sites)

    @property
    def attempted_gross(self) -> np.ndarray:
        return self.state.totals[ATTEMPTED_GROSS]

    @property
    def seized_gross(self) -> np.ndarray:
        return self.state.totals[SEIZED_GROSS]

    def declare_results(self) -> None:
        for name, (unit, doc) in COUNTS.items():
            self.sim.results.declare(name, unit, "flow", "crossing", self.net.crossings, doc)

    def detection(self, week) -> np.ndarray:
        """Detection probability of a reference-size load at each crossing, (rep, crossing).

        Given an array of weeks, (week, rep, crossing)."""
        year = np.asarray(self.sim.calendar.decimal_year[week])[..., None]
        port = log_path(year, 2019.5, self.pars["poe_detection_2019"], 2023.5, self.pars["poe_detection_2023"])
        between = log_path(year, 2019.5, self.pars["between_detection"], 2023.5, self.pars["between_detection_2023"])
        base = np.where(self.net.crossing_is_port, port[..., None], between[..., None])
        levers = self.sim.levers
        boost = np.where(self.net.crossing_is_port, levers["port_inspection"][week],
                         levers["between_enforcement"][week])
        return base * (1.0 + boost)[..., None, :]

@numba.njit(cache=True)
def crossing_step(week, st, road, loads, caught, ledger, out, periods):
    """Inspect the loads setting off this week, each for the week it will arrive, and put them on the
    road; then take off what arrives this week and record it. Returns the road (it may have widened)."""
    road = road_kernels.reaching(road, _last_arrival(loads, caught))
    _set_off(st, road, loads, caught)
    road_kernels.take_off(road, week, st.totals, st.passed, st.seized_pure_by_site)
    for r in range(st.seized_pure_by_site.shape[0]):
        ledger.seized[r] += st.seized_pure_by_site[r].sum()
    for k, target in enumerate(out):
        add_flow(target, week, st.totals[k], periods)
    return road


@inlined
def _last_arrival(loads, caught):
    last = np.int64(-1)
    for i in range(loads.rep.size):
        if not caught[i]:
            last = max(last, loads.t_arrive[i])
    return last


@inlined
def _set_off(st, road, loads, caught):
    """Book each load not caught in Mexico into its arrival week: inspected there (detection rises with
    load size; a load due after the last week is never inspected), then counted by crossing.

    The arrays are taken out of their tuples once, before the loop over loads: read inside
    it, each read costs numba a reference count."""
    elasticity, detection, keys = st.pars.detection_size_elasticity, st.detection, st.inspection_keys
    rep, crossing, t_arrive, ident, gross_kg = loads.rep, loads.crossing, loads.t_arrive, loads.ident, loads.gross_kg
    site, form, pure_kg, pills, mg_per_pill = loads.site, loads.form, loads.pure_kg, loads.pills, loads.mg_per_pill
    counts, passed, by_site = road.counts, road.passed, road.seized_by_site
    due_pure, due_loads, first = road.due_pure, road.due_loads, road.first_week[0]
    n_weeks, size = detection.shape[0], due_loads.size
    added = np.zeros(road.pure_in_transit.size)
    die = new_die()
    n = np.int64(0)
    for i in range(rep.size):
        if caught[i]:
            continue
        r, c, week = rep[i], crossing[i], max(t_arrive[i], first)
        seized = False
        if week < n_weeks:
            bigger = (gross_kg[i] / REFERENCE_LOAD_KG) ** elasticity[r]
            chance = min(detection[week, r, c] * bigger, MAX_DETECTION)
            roll(die, keys[r], ident[i])
            seized = uniform(die) < chance
        slot, pure = week % size, pure_kg[i]
        _count(counts, passed, slot, r, c, gross_kg[i], pure, pills[i], form[i] == PILL, mg_per_pill[i], seized)
        if seized:
            by_site[slot, r, site[i]] += pure
        due_pure[slot, r] += pure
        due_loads[slot] += 1
        added[r] += pure
        n += 1
    for r in range(added.size):
        road.pure_in_transit[r] += added[r]
    road.count[0] += n


@inlined
def _count(counts, passed, slot, r, c, gross, pure, pills, is_pill, mg_per_pill, seized):
    """Add a load to its arrival week's crossing counts and, if it passes, to what passes in the
    market's fields (the road's `counts` and `passed`)."""
    counts[slot, ATTEMPTS, r, c] += 1.0
    counts[slot, ATTEMPTED_GROSS, r, c] += gross
    counts[slot, ATTEMPTED_PURE, r, c] += pure
    if seized:
        counts[slot, EVENTS, r, c] += 1.0
        counts[slot, SEIZED_GROSS, r, c] += gross
        counts[slot, SEIZED_PURE, r, c] += pure
        counts[slot, SEIZED_PILLS, r, c] += pills
        return
    counts[slot, PASSED_PURE, r, c] += pure
    passed[slot, r, c, PILLS] += pills
    if is_pill:
        passed[slot, r, c, PILL_PURE] += pure
        if mg_per_pill >= LETHAL_DOSE_MG:
            passed[slot, r, c, PILLS_GE2MG] += pills
    else:
        passed[slot, r, c, POWDER_PURE] += pure
        passed[slot, r, c, POWDER_GROSS] += gross
