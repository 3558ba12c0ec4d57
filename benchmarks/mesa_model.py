"""A reference implementation of fentflow's core supply chain in Mesa 3.3: one agent per shipment.

This is the yardstick for fentflow's speed (Mesa keeps one Python object per agent and steps
each of them every week) and an independent check of its upstream processes (written again
here from `docs/model.md`, scalar by scalar, sharing no process code with the engine). It is
also the check of fentflow's aggregation: fentflow moves the expected cargo of the loads and
draws only the loads seized at the border, where this reference draws every shipment, routes,
intercepts, stages and inspects it one by one; the two agree in distribution.

Covered, per week and in fentflow's order:

1. Precursor inflow: the segmented geometric trajectory scaled to `supply_kg_week_2023`, split over entry
   points, seized at ports from 2022, routed to production sites by capacity and travel time.
2. Production (`ProductionSite` agents): capacity = headroom x trajectory x capacity share x
   (1 - capacity lost); raids destroy stock and capacity, which recovers; a share of the stock
   leaves each week as a Poisson number of shipments, each a `Shipment` agent: pill or powder,
   gross size lognormal, mg per pill lognormal / purity beta around their trajectories, so that
   on average they carry what left.
3. Transport (`Shipment.dispatch`): route choice with fentflow's static route appeal,
   interception in Mexico, a geometric staging wait plus travel time.
4. Crossing (`Shipment.step`): on arrival, detection at ports (2019 -> 2023 path) or between
   them, x (gross / 5 kg)^elasticity, capped at 0.95; attempts and seizures recorded by crossing.

Left out: steps 5-9 (U.S. distribution, retail market, demand and mortality, adaptation,
violence), interventions (levers), and the mass-balance ledger. Those feed back upstream only
through `supply_price_elasticity` (market -> precursor inflow), `route_adaptation` (seizures ->
route choice) and `production_adaptation` (losses -> precursor routing); with the three at 0
the upstream chain is open-loop and the same in distribution as fentflow's, which is what
`OPEN_LOOP` sets and `run_reference` insists on.

Shared with fentflow, because they are the world (data) and the clock, not process code: the
network (`build_network`, `route_appeal`), the parameter declarations (`Pars`) and the weekly
calendar.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import mesa
import numpy as np

from fentflow.sim.calendar import Calendar
from fentflow.sim.network import Network, build_network, route_appeal
from fentflow.sim.pars import Pars

OPEN_LOOP = {"supply_price_elasticity": 0.0, "route_adaptation": 0.0, "production_adaptation": 0.0}
RECORDED = ("attempts", "attempted_gross_kg", "attempted_pure_kg", "seizure_events",
            "seized_gross_kg", "seized_pure_kg", "seized_pills")
BY_SITE = ("produced_kg", "destroyed_kg", "mexico_seized_kg")

WEEKS_PER_YEAR = 52.1775
HOURS_PER_WEEK = 168.0
PORT_SEIZURES_FROM = 2022.0
PURITY_CONCENTRATION = 20.0
MAX_PURITY = 0.95
REFERENCE_LOAD_KG = 5.0
MAX_DETECTION = 0.95


# Trajectories, one value at a time (docs/model.md, steps 1, 2 and 4) -----------------------
def _between(year: float, y0: float, y1: float) -> float:
    return min(max((year - y0) / (y1 - y0), 0.0), 1.0)


def log_path(year: float, y0: float, v0: float, y1: float, v1: float) -> float:
    w = _between(year, y0, y1)
    return math.exp((1 - w) * math.log(v0) + w * math.log(v1))


def logit_path(year: float, y0: float, v0: float, y1: float, v1: float) -> float:
    def logit(p):
        return math.log(p / (1 - p))
    w = _between(year, y0, y1)
    return 1.0 / (1.0 + math.exp(-((1 - w) * logit(v0) + w * logit(v1))))


SUPPLY_KNOTS = (2019.5, 2021.5, 2023.5)   # supply's growth rate changes at these years; level 1 at the last
SUPPLY_RATES = ("supply_growth_to_2019", "supply_growth_2019_2021", "supply_growth_2021_2023",
                "supply_growth_after_2023")


def supply_level(year: float, rates: list[float]) -> float:
    """Relative supply, 1 at mid-2023: geometric growth at rates[i] between successive knots."""
    edges = (-math.inf, *SUPPLY_KNOTS, math.inf)
    anchor = SUPPLY_KNOTS[-1]
    log_level = 0.0
    for rate, lo, hi in zip(rates, edges[:-1], edges[1:]):
        log_level += rate * (min(max(year, lo), hi) - min(max(anchor, lo), hi))
    return math.exp(log_level)


@dataclass(frozen=True)
class WeekConditions:
    """What every agent reads this week: the supply trajectory, potency and detection."""
    year: float
    supply: float          # fent-eq kg/week before port seizures
    pill_share: float
    mg_median: float
    purity: float
    port_detection: float
    between_detection: float
    gross_median: float       # median gross kg per load


# Agents ---------------------------------------------------------------------------------------
class ProductionSite(mesa.Agent):
    """A production site: precursor stock -> product -> shipments."""

    def __init__(self, model: "SupplyChainModel", index: int):
        super().__init__(model)
        self.index = index
        self.capacity_share = float(model.net.site_capacity_share[index])
        self.precursor_stock = 0.0
        self.product_stock = 0.0
        self.capacity_lost = 0.0

    def step(self) -> None:
        m, week = self.model, self.model.conditions
        self.precursor_stock += m.delivered[self.index]
        self.produce(week)
        self.raid()
        self.ship(week)

    def produce(self, week: WeekConditions) -> None:
        p = self.model.p
        capacity = p["capacity_headroom"] * week.supply * self.capacity_share * (1.0 - self.capacity_lost)
        produced = min(self.precursor_stock, capacity)
        self.precursor_stock -= produced
        self.product_stock += produced
        self.capacity_lost *= math.exp(-1.0 / p["capacity_recovery_weeks"])
        self.model.tally("produced_kg", self.index, produced)

    def raid(self) -> None:
        p = self.model.p
        chance = min(max(p["raids_per_year"] / WEEKS_PER_YEAR * self.capacity_share, 0.0), 1.0)
        if self.random.random() >= chance:
            return
        share = p["raid_stock_destroyed"]
        self.model.tally("destroyed_kg", self.index, share * (self.precursor_stock + self.product_stock))
        self.precursor_stock *= 1.0 - share
        self.product_stock *= 1.0 - share
        self.capacity_lost = 1.0 - (1.0 - self.capacity_lost) * (1.0 - p["raid_capacity_loss"])

    def ship(self, week: WeekConditions) -> None:
        """A share of the stock leaves as a Poisson number of shipments whose mean content is what left."""
        shipped = self.model.p["ship_fraction"] * self.product_stock
        self.product_stock -= shipped
        count = int(self.model.rng.poisson(shipped / self.model.mean_pure_per_load(week))) if shipped > 0 else 0
        for _ in range(count):
            Shipment(self.model, self.index, week).dispatch()


class Shipment(mesa.Agent):
    """One load of pills or powder on its way from a site to a border crossing."""

    def __init__(self, model: "SupplyChainModel", site: int, week: WeekConditions):
        super().__init__(model)
        p, rnd = model.p, self.random
        self.site = site
        self.is_pill = rnd.random() < week.pill_share
        self.gross_kg = week.gross_median * math.exp(p["load_gross_sigma"] * rnd.gauss(0.0, 1.0))
        if self.is_pill:
            mg = week.mg_median * math.exp(p["pill_mg_sigma"] * rnd.gauss(0.0, 1.0))
            self.content = mg / p["pill_mass_mg"]                      # pure kg per gross kg
        else:
            mean = min(max(week.purity, 1e-4), MAX_PURITY)
            self.content = rnd.betavariate(mean * PURITY_CONCENTRATION, (1 - mean) * PURITY_CONCENTRATION)
        self.crossing = -1
        self.t_arrive = -1

    @property
    def pure_kg(self) -> float:
        return self.gross_kg * self.content

    @property
    def pills(self) -> float:
        return self.gross_kg * 1e6 / self.model.p["pill_mass_mg"] if self.is_pill else 0.0

    def dispatch(self) -> None:
        """Pick a route, risk interception in Mexico, then wait and travel."""
        m = self.model
        route = m.choose_route(self.site, self.random.random())
        if self.random.random() < m.route_risk[route]:
            m.tally("mexico_seized_kg", self.site, self.pure_kg)
            self.remove()
            return
        self.crossing = int(m.net.route_crossing[route])
        self.t_arrive = m.week + 1 + m.travel_weeks[route] + self.staging_weeks()

    def staging_weeks(self) -> int:
        """Geometric wait (0, 1, 2, ...) with mean `staging_weeks_mean`."""
        success = 1.0 / (1.0 + self.model.p["staging_weeks_mean"])
        if success >= 1.0:
            return 0
        return int(math.log(1.0 - self.random.random()) / math.log(1.0 - success))

    def step(self) -> None:
        if self.t_arrive <= self.model.week:
            self.cross()

    def cross(self) -> None:
        m = self.model
        base = m.conditions.port_detection if m.is_port[self.crossing] else m.conditions.between_detection
        size = (self.gross_kg / REFERENCE_LOAD_KG) ** m.p["detection_size_elasticity"]
        seized = self.random.random() < min(base * size, MAX_DETECTION)
        m.record_crossing(self.crossing, self.gross_kg, self.pure_kg, self.pills, seized)
        self.remove()


# The model ------------------------------------------------------------------------------------
class SupplyChainModel(mesa.Model):
    """Precursors -> sites -> shipments -> crossings, weekly, with fentflow's parameters."""

    def __init__(self, pars: dict[str, float], calendar: Calendar, net: Network, seed: int = 0):
        super().__init__(seed=seed)
        self.p, self.calendar, self.net = pars, calendar, net
        self.week = -1
        self.conditions: WeekConditions | None = None
        self.delivered = np.zeros(net.n_sites)
        self.is_port = [bool(x) for x in net.crossing_is_port]
        self._prepare_routes()
        self.results = {name: np.zeros((calendar.n_weeks, len(net.crossings))) for name in RECORDED}
        self.results |= {name: np.zeros((calendar.n_weeks, net.n_sites)) for name in BY_SITE}
        for index in range(net.n_sites):
            ProductionSite(self, index)

    def _prepare_routes(self) -> None:
        net, p = self.net, self.p
        appeal = route_appeal(net, Pars({k: [v] for k, v in p.items()}))[0]
        self.routes_of_site = [np.flatnonzero(net.route_site == s).tolist() for s in range(net.n_sites)]
        self.cumulative_appeal = [np.cumsum(appeal[r]).tolist() for r in self.routes_of_site]
        risk = p["mexico_interdiction_scale"] * net.route_risk_base + p["rival_territory_risk"] * net.route_rival_share
        self.route_risk = np.clip(risk, 0.0, 1.0).tolist()
        self.travel_weeks = np.ceil(net.route_hours / HOURS_PER_WEEK).astype(int).tolist()

    def step(self) -> None:
        self.week += 1
        self.conditions = self.week_conditions(float(self.calendar.decimal_year[self.week]))
        self.deliver_precursors()
        self.agents_by_type[ProductionSite].do("step")
        if Shipment in self.agents_by_type:
            self.agents_by_type[Shipment].do("step")

    def week_conditions(self, year: float) -> WeekConditions:
        p = self.p
        rates = [p[name] for name in SUPPLY_RATES]
        return WeekConditions(
            year=year,
            supply=p["supply_kg_week_2023"] * supply_level(year, rates),
            pill_share=logit_path(year, 2017.5, p["pill_share_2017"], 2023.5, p["pill_share_2023"]),
            mg_median=log_path(year, 2017.5, p["pill_mg_median_2017"], 2023.5, p["pill_mg_median_2023"]),
            purity=min(log_path(year, 2017.5, p["powder_purity_2017"], 2023.5, p["powder_purity_2023"]), MAX_PURITY),
            port_detection=log_path(year, 2019.5, p["poe_detection_2019"], 2023.5, p["poe_detection_2023"]),
            between_detection=log_path(year, 2019.5, p["between_detection"], 2023.5, p["between_detection_2023"]),
            gross_median=log_path(year, 2019.5, p["load_gross_median_kg"], 2023.5, p["load_gross_median_kg_2023"]),
        )

    def deliver_precursors(self) -> None:
        week, net = self.conditions, self.net
        seized_share = self.p["precursor_port_seizure_rate"] if week.year >= PORT_SEIZURES_FROM else 0.0
        arriving = week.supply * net.entry_share * (1.0 - seized_share)
        self.delivered = arriving @ net.entry_to_site

    def mean_pure_per_load(self, week: WeekConditions) -> float:
        p = self.p
        mean_gross = week.gross_median * math.exp(p["load_gross_sigma"] ** 2 / 2)
        pill_content = week.mg_median * math.exp(p["pill_mg_sigma"] ** 2 / 2) / p["pill_mass_mg"]
        return mean_gross * (week.pill_share * pill_content + (1 - week.pill_share) * week.purity)

    def choose_route(self, site: int, u: float) -> int:
        cumulative = self.cumulative_appeal[site]
        pick = bisect.bisect_right(cumulative, u * cumulative[-1])
        return self.routes_of_site[site][min(pick, len(cumulative) - 1)]

    def tally(self, name: str, place: int, value: float) -> None:
        self.results[name][self.week, place] += value

    def record_crossing(self, crossing: int, gross: float, pure: float, pills: float, seized: bool) -> None:
        for name, value in (("attempts", 1.0), ("attempted_gross_kg", gross), ("attempted_pure_kg", pure)):
            self.tally(name, crossing, value)
        if seized:
            for name, value in (("seizure_events", 1.0), ("seized_gross_kg", gross),
                                ("seized_pure_kg", pure), ("seized_pills", pills)):
                self.tally(name, crossing, value)


def open_loop_pars(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """fentflow's defaults with the upstream feedbacks off (and any overrides), as plain floats."""
    return Pars({**OPEN_LOOP, **(overrides or {})}).replicate(0)


def run_reference(pars: dict[str, float], start: str, end: str, seed: int, world=None,
                  net: Network | None = None) -> dict[str, np.ndarray]:
    """Run the Mesa reference; (week, crossing) and (week, site) arrays by quantity."""
    feedbacks = {k: pars[k] for k in OPEN_LOOP if pars.get(k, 0.0) != 0.0}
    if feedbacks:
        raise ValueError(f"the Mesa reference is open-loop; set these to 0: {feedbacks}")
    if net is None:
        if world is None:
            from fentflow import World
            world = World.load()
        net = build_network(world)
    calendar = Calendar.between(start, end)
    model = SupplyChainModel(dict(pars), calendar, net, seed=seed)
    for _ in range(calendar.n_weeks):
        model.step()
    return model.results
