"""Step 4. Crossing: what reaches each crossing faces inspection at ports of entry, detection between them.

What arrives is a cargo of expected loads and kilograms (`cargo.py`); seizures are drawn as
events, each a load of its own. A load of gross weight s is detected with probability
min(detection x (s / 5 kg)^elasticity, 0.95), so a crossing's seizures are a Poisson number
with mean (loads arriving) x E[detection], and each seized load's weight is drawn from the
sizes as detection weights them (bigger loads are seized more often), its form and potency
from what arrived. What passes is what arrived less what was seized; a seizure bigger than
the week's arrivals takes the rest from the next ones at that crossing (`overdrawn`).

Every seizure is recorded by week and crossing with gross weight, pure weight and pills; the
crossing's CBP unit (field office or sector) and component (port of entry vs between ports)
come from the world.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from fentflow.sim import road as road_kernels
from fentflow.sim.cargo import (N_CARGO, PILL_GROSS, PILL_LOADS, PILL_PURE, PILLS, PILLS_GE2MG, POWDER_GROSS,
                                POWDER_LOADS, POWDER_PURE)
from fentflow.sim.curves import log_path
from fentflow.sim.dice import beta, event_unit, new_die, normal_above, normal_below, place_unit, poisson, \
    poisson_surely_zero, roll, standard_normal, uniform
from fentflow.sim.kernels import add_flow, inlined, kernel
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.production import MAX_PURITY, MIN_PURITY, PURITY_CONCENTRATION
from fentflow.sim.modules.transport import travel_weeks
from fentflow.sim.results import FLOW
from fentflow.units import LETHAL_DOSE_MG   # DEA's threshold: pills with >= 2 mg count as potentially lethal

REFERENCE_LOAD_KG = 5.0
MAX_DETECTION = 0.95
LOG_REFERENCE_LOAD_KG, LOG_MAX_DETECTION = math.log(REFERENCE_LOAD_KG), math.log(MAX_DETECTION)

COUNTS = {
    "attempts": ("loads", "loads reaching the crossing (attempted crossings; an expected number)"),
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
# Its results, the rows of one block (`Results.declare_block`), are the week's totals, summed by period.
RESULTS = {name: (unit, FLOW, doc) for name, (unit, doc) in COUNTS.items()}


class CrossingPars(NamedTuple):
    """The parameters crossing's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    detection_size_elasticity: np.ndarray
    load_gross_sigma: np.ndarray
    pill_mg_sigma: np.ndarray
    pill_mass_mg: np.ndarray


class CrossingState(NamedTuple):
    totals: np.ndarray               # (count, rep, crossing) this week, in `COUNTS` order
    arriving: np.ndarray             # (rep, crossing, cargo) reaching the crossing this week ...
    arriving_by_route: np.ndarray    # (rep, route) ... its pure kg by route
    seized: np.ndarray               # (rep, crossing, cargo) the loads seized ...
    passed: np.ndarray               # (rep, crossing, cargo) ... and what passed (its `distribution.FIELDS` go on)
    overdrawn: np.ndarray            # (rep, crossing, cargo) seized beyond the arrivals, taken from the next
    seized_pure_by_site: np.ndarray  # (rep, site) this week
    detection: np.ndarray            # (week, rep, crossing) for a reference-size load
    road: road_kernels.Road          # what is on the way, by arrival week
    route_site: np.ndarray           # (route,)
    event_keys: np.ndarray           # (rep, 2) the keys of its decisions (`dice.roll`): seizures per (week, crossing),
    load_keys: np.ndarray            # and each seized load's form, size and potency
    die: np.ndarray                  # (1,) `dice.DIE` scratch: the die rolled for each unit (`dice.roll`)
    seized_share: np.ndarray         # (crossing,) scratch: the share of its arrivals each crossing seized
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `CrossingPars`


class Crossing(Module):
    name = "crossing"

    def __init__(self, sim):
        super().__init__(sim)
        net = self.net
        n_crossings, n_routes = len(net.crossings), len(net.route_site)
        cargo = (self.n_reps, n_crossings, N_CARGO)
        self.state = CrossingState(
            totals=np.zeros((len(COUNTS), self.n_reps, n_crossings)), arriving=np.zeros(cargo),
            arriving_by_route=np.zeros((self.n_reps, n_routes)), seized=np.zeros(cargo), passed=np.zeros(cargo),
            overdrawn=np.zeros(cargo), seized_pure_by_site=np.zeros((self.n_reps, net.n_sites)),
            detection=self.detection(np.arange(sim.calendar.n_weeks)),
            road=road_kernels.new_road(self.n_reps, n_crossings, travel_weeks(net), net.route_crossing),
            route_site=np.array(net.route_site, np.int64), event_keys=self.keys("seizures"),
            load_keys=self.keys("seized load"), die=new_die(), seized_share=np.zeros(n_crossings),
            pars=self.kernel_pars(CrossingPars))

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("crossing", self.net.crossings, RESULTS)

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


@kernel
def crossing_step(week, st, leaving, ledger, out, periods):
    """Put what leaves this week, (rep, route, cargo), on the road; take off what arrives, draw its
    seizures, pass the rest on (`st.passed`) and record it."""
    road_kernels.set_off(st.road, week, leaving)
    road_kernels.take_off(st.road, week, st.arriving, st.arriving_by_route)
    _inspect(st, week)
    _pass(st)
    _by_site(st)
    seized_pure = st.totals[SEIZED_PURE]
    for r in range(seized_pure.shape[0]):
        for c in range(seized_pure.shape[1]):
            ledger.seized[r] += seized_pure[r, c]
    for k in range(out.shape[0]):
        add_flow(out[k], week, st.totals[k], periods)


@inlined
def _inspect(st, week):
    """Draw each crossing's seizures this week, a Poisson number of loads, each drawn in full (`_seize`).

    The seizure loop reads plain numbers and whole arrays only: a row view (`arriving[r, c]`) or a
    tuple of parameters handed to it costs numba two reference counts a seizure."""
    p = st.pars
    arriving, seized, detection, event_keys, load_keys = st.arriving, st.seized, st.detection, st.event_keys, st.load_keys
    elasticity, sigma, mg_sigma, pill_mass = p.detection_size_elasticity, p.load_gross_sigma, p.pill_mg_sigma, \
        p.pill_mass_mg
    die = st.die[0]
    for r in range(arriving.shape[0]):
        event_key, load_key = event_keys[r], load_keys[r]
        load = (elasticity[r], sigma[r], mg_sigma[r], pill_mass[r])
        for c in range(arriving.shape[1]):
            for f in range(N_CARGO):
                seized[r, c, f] = 0.0
            loads = arriving[r, c, PILL_LOADS] + arriving[r, c, POWDER_LOADS]
            if loads <= 0.0:
                continue
            mean_gross = (arriving[r, c, PILL_GROSS] + arriving[r, c, POWDER_GROSS]) / loads
            roll(die, event_key, place_unit(week, c))
            if surely_unseized(die, loads, mean_gross, detection[week, r, c], elasticity[r]):
                continue
            log_median = np.log(mean_gross) - 0.5 * sigma[r] ** 2
            chance, tilted, cut = detection_law(detection[week, r, c], elasticity[r], log_median, sigma[r])
            roll(die, event_key, place_unit(week, c))     # from the unit's start: Poisson's first uniform again
            for n in range(poisson(die, loads * chance)):
                roll(die, load_key, event_unit(week, c, n))
                _seize(die, load, arriving, seized, r, c, log_median, chance, tilted, cut)


@inlined
def surely_unseized(die, loads, mean_gross, detection, elasticity):
    """Whether the crossing's Poisson number of seizures, drawn from `die` as it stands, is surely 0: told
    from its first uniform and a bound on its mean, without the detection law (a log, an exp and two
    erfc). Most crossing-weeks have so few loads that it is (three in four of a calibration's prior draws).

    The mean is loads x E[detection] with E[detection] at most 0.95, and for an elasticity
    0 <= e <= 1 at most detection x E[(S / 5 kg)^e] <= detection x (E[S] / 5 kg)^e (Jensen's
    inequality: x^e is concave) <= detection x (1 + e (E[S] / 5 kg - 1)) (the concave x^e lies
    below its tangent at 1); `dice.poisson_surely_zero` reads the answer off the draw's own first
    uniform, so when it is no the caller rolls the die again and the draw is the same (same numbers)."""
    bound = MAX_DETECTION
    if 0.0 <= elasticity <= 1.0:
        bound = min(bound, detection * (1.0 + elasticity * (mean_gross / REFERENCE_LOAD_KG - 1.0)))
    return poisson_surely_zero(die, loads * bound)


@inlined
def detection_law(detection, elasticity, log_median, sigma):
    """E[detection] over load sizes S ~ lognormal(log_median, sigma), detection min(a S^e, 0.95) with
    a = detection / 5^e; and how the sizes of seized loads split at the cap's size s*: returns
    (E[detection], the part of it from loads below s*, (ln s* - log_median) / sigma).

    Below s* a seized load's size is lognormal tilted by S^e (log-median + e sigma^2), above it
    the untilted lognormal: closed forms, so seizures need no draws of the loads that pass."""
    if detection <= 0.0:
        return 0.0, 0.0, np.inf
    log_a = np.log(detection) - elasticity * LOG_REFERENCE_LOAD_KG
    if elasticity > 0.0:
        log_cut = (LOG_MAX_DETECTION - log_a) / elasticity
    else:
        log_cut = np.inf if detection < MAX_DETECTION else -np.inf
    cut = (log_cut - log_median) / sigma
    below = np.exp(log_a + elasticity * log_median + 0.5 * (elasticity * sigma) ** 2) * _normal_cdf(
        cut - elasticity * sigma)
    above = MAX_DETECTION * (1.0 - _normal_cdf(cut))
    return below + above, below, cut


@inlined
def draw_seized_gross(die, log_median, sigma, elasticity, chance, tilted, cut):
    """The gross kg of a seized load: sizes weighted by their detection (`detection_law`'s three numbers)."""
    if uniform(die) * chance < tilted:
        return np.exp(log_median + elasticity * sigma * sigma + sigma * normal_below(die, cut - elasticity * sigma))
    return np.exp(log_median + sigma * normal_above(die, cut))


@inlined
def _normal_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


@inlined
def _seize(die, load, arriving, seized, r, c, log_median, chance, tilted, cut):
    """One seized load from crossing c's arrivals, added to what it seized (`seized[r, c]`, a cargo): pills
    or powder in proportion to the loads arriving, its gross weight as detection weights sizes
    (`detection_law`), its potency or purity around the arrivals' mean. `load` holds the replicate's
    size elasticity of detection, load-size sigma, pill-potency sigma and pill mass."""
    elasticity, sigma, mg_sigma, pill_mass = load
    is_pill = uniform(die) * (arriving[r, c, PILL_LOADS] + arriving[r, c, POWDER_LOADS]) < arriving[r, c, PILL_LOADS]
    gross = draw_seized_gross(die, log_median, sigma, elasticity, chance, tilted, cut)
    if is_pill:
        mg_mean = arriving[r, c, PILL_PURE] * 1e6 / arriving[r, c, PILLS]
        mg = mg_mean * np.exp(mg_sigma * standard_normal(die) - 0.5 * mg_sigma ** 2)
        pills = gross * 1e6 / pill_mass
        seized[r, c, PILL_LOADS] += 1.0
        seized[r, c, PILL_GROSS] += gross
        seized[r, c, PILL_PURE] += gross * mg / pill_mass
        seized[r, c, PILLS] += pills
        if mg >= LETHAL_DOSE_MG:
            seized[r, c, PILLS_GE2MG] += pills
    else:
        mean = min(max(arriving[r, c, POWDER_PURE] / arriving[r, c, POWDER_GROSS], MIN_PURITY), MAX_PURITY)
        seized[r, c, POWDER_LOADS] += 1.0
        seized[r, c, POWDER_GROSS] += gross
        seized[r, c, POWDER_PURE] += gross * beta(die, mean * PURITY_CONCENTRATION,
                                                  (1.0 - mean) * PURITY_CONCENTRATION)


@inlined
def _pass(st):
    """What passes is what arrived less what was seized, field by field; a shortfall is overdrawn and taken
    from the next arrivals. Fills the week's totals: attempts are what was seized and what passed."""
    arriving, seized, passed, overdrawn, totals = st.arriving, st.seized, st.passed, st.overdrawn, st.totals
    for r in range(arriving.shape[0]):
        for c in range(arriving.shape[1]):
            for f in range(N_CARGO):
                left = arriving[r, c, f] - seized[r, c, f] - overdrawn[r, c, f]
                passed[r, c, f] = max(left, 0.0)
                overdrawn[r, c, f] = max(-left, 0.0)
            seized_pure = seized[r, c, PILL_PURE] + seized[r, c, POWDER_PURE]
            passed_pure = passed[r, c, PILL_PURE] + passed[r, c, POWDER_PURE]
            seized_loads = seized[r, c, PILL_LOADS] + seized[r, c, POWDER_LOADS]
            seized_gross = seized[r, c, PILL_GROSS] + seized[r, c, POWDER_GROSS]
            totals[ATTEMPTS, r, c] = seized_loads + passed[r, c, PILL_LOADS] + passed[r, c, POWDER_LOADS]
            totals[ATTEMPTED_GROSS, r, c] = seized_gross + passed[r, c, PILL_GROSS] + passed[r, c, POWDER_GROSS]
            totals[ATTEMPTED_PURE, r, c] = seized_pure + passed_pure
            totals[EVENTS, r, c] = seized_loads
            totals[SEIZED_GROSS, r, c] = seized_gross
            totals[SEIZED_PURE, r, c] = seized_pure
            totals[SEIZED_PILLS, r, c] = seized[r, c, PILLS]
            totals[PASSED_PURE, r, c] = passed_pure


@inlined
def _by_site(st):
    """Pure kg seized at the border by site of origin: each crossing's seized share of what arrived (at most
    all of it), applied to what each route brought (what the sites learn from, step 8)."""
    by_site, by_route, arriving, seized_pure = st.seized_pure_by_site, st.arriving_by_route, st.arriving, \
        st.totals[SEIZED_PURE]
    crossing, site, share = st.road.route_crossing, st.route_site, st.seized_share
    by_site[:] = 0.0
    for r in range(by_site.shape[0]):
        for c in range(arriving.shape[1]):
            arrived = arriving[r, c, PILL_PURE] + arriving[r, c, POWDER_PURE]
            share[c] = min(seized_pure[r, c] / arrived, 1.0) if arrived > 0.0 else 0.0
        for j in range(by_route.shape[1]):
            if by_route[r, j] > 0.0:
                by_site[r, site[j]] += by_route[r, j] * share[crossing[j]]
