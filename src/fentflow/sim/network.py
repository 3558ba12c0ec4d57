"""The world as index arrays: what the process modules need, computed once per simulation.

Places are numbered in file order. Route appeal and domestic distribution depend on
parameters, so they carry a leading replicate axis.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from fentflow.sim.pars import Pars

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, eq=False)   # compared and hashed by identity: one per World (`network_of`)
class Network:
    states: list[str]
    state_population: np.ndarray
    state_homicides_2015: np.ndarray   # SESNSP victims in the pre-fentanyl year: the violence baseline
    orgs: list[str]
    control: np.ndarray            # (state, org) territorial shares
    rivalry: np.ndarray            # (state,) 1 - Herfindahl index of control
    entries: list[str]
    entry_state: np.ndarray
    entry_share: np.ndarray
    sites: list[str]
    site_state: np.ndarray
    site_org: np.ndarray
    site_capacity_share: np.ndarray
    entry_to_site: np.ndarray      # (entry, site) precursor routing shares
    crossings: list[str]
    crossing_unit: list[str]
    crossing_is_port: np.ndarray
    crossing_state: np.ndarray
    crossing_control: np.ndarray   # (crossing, org) control of the border city it faces
    crossing_vehicles: np.ndarray
    route_site: np.ndarray         # site -> crossing legs
    route_crossing: np.ndarray
    route_hours: np.ndarray
    route_risk_base: np.ndarray    # base risk + rival-territory exposure (before parameters)
    route_rival_share: np.ndarray
    route_states: np.ndarray       # (route, state) 1 where the leg touches the state
    markets: list[str]
    market_oud_weight: np.ndarray  # share of people with OUD living in each market
    crossing_market_km: np.ndarray
    crossing_us_state: tuple[str, ...] = ()   # the U.S. state each crossing lies in

    @property
    def n_sites(self) -> int:
        return len(self.sites)


_NETWORKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def network_of(world) -> Network:
    """The network of `world`, built once per World object (a World is frozen; treat its tables as read-only)."""
    network = _NETWORKS.get(world)
    if network is None:
        network = _NETWORKS[world] = build_network(world)
    return network


def build_network(world) -> Network:
    states = world.states["abbr"].tolist()
    state_ix = {s: i for i, s in enumerate(states)}
    orgs, control = _control_matrix(world, state_ix)
    sites = world.production
    site_state = sites["state"].map(state_ix).to_numpy()
    site_org = sites["org"].map({o: i for i, o in enumerate(orgs)}).fillna(orgs.index("OTHER")).to_numpy(int)
    crossings = world.crossings
    site_ix = {s: i for i, s in enumerate(sites["id"])}
    crossing_ix = {c: i for i, c in enumerate(crossings["id"])}
    product = world.routes[world.routes["origin"].isin(site_ix) & world.routes["destination"].isin(crossing_ix)]
    product = product.iloc[np.argsort(product["origin"].map(site_ix).to_numpy(), kind="stable")]  # grouped by site
    route_site = product["origin"].map(site_ix).to_numpy()
    route_crossing = product["destination"].map(crossing_ix).to_numpy()
    crossing_state = crossings["mx_state"].map(state_ix).to_numpy()
    route_states = _route_states(product, route_site, site_state, route_crossing, crossing_state, state_ix)
    rival = _rival_share(route_states, control, site_org[route_site])
    markets = world.markets
    return Network(
        states=states,
        state_population=world.states["population"].to_numpy(float),
        state_homicides_2015=world.states["homicides_2015"].to_numpy(float),
        orgs=orgs, control=control, rivalry=1.0 - (control ** 2).sum(axis=1),
        entries=world.entry_points["id"].tolist(),
        entry_state=world.entry_points["state"].map(state_ix).to_numpy(),
        entry_share=world.entry_points["precursor_share"].to_numpy(float),
        sites=sites["id"].tolist(), site_state=site_state, site_org=site_org,
        site_capacity_share=sites["capacity_share"].to_numpy(float),
        entry_to_site=_entry_to_site(world, site_ix),
        crossings=crossings["id"].tolist(),
        crossing_unit=crossings["unit"].tolist(),
        crossing_is_port=(crossings["kind"] == "port").to_numpy(),
        crossing_state=crossing_state,
        crossing_control=_crossing_control(world, orgs, control[crossing_state]),
        crossing_vehicles=crossings["vehicles"].to_numpy(float),
        route_site=route_site, route_crossing=route_crossing,
        route_hours=product["hours"].to_numpy(float),
        route_risk_base=product["base_risk"].to_numpy(float),
        route_rival_share=rival,
        route_states=route_states,
        markets=markets["id"].tolist(),
        market_oud_weight=_normalise(markets["od_deaths_2022"].to_numpy(float)),
        crossing_market_km=_haversine_km(crossings[["lat", "lon"]].to_numpy(float),
                                         markets[["lat", "lon"]].to_numpy(float)),
        crossing_us_state=tuple(crossings["us_state"].astype(str)),
    )


def route_appeal(net: Network, pars: Pars) -> np.ndarray:
    """Base appeal of each site -> crossing route, (rep, route): time, cover in traffic, access."""
    hours = np.exp(-net.route_hours[None, :] / pars["route_hours_scale"][:, None])
    port_cover = (net.crossing_vehicles / 1e6 + 1e-3)[None, :] ** pars["traffic_cover_exponent"][:, None]
    typical_port = np.median(port_cover[:, net.crossing_is_port], axis=1, keepdims=True)
    cover = np.where(net.crossing_is_port[None, :], port_cover,
                     pars["between_ports_weight"][:, None] * typical_port)
    org = net.site_org[net.route_site]
    # A large share of a city passes as freely as all of it (CDS and CJNG each move about half of
    # Tijuana's traffic); an organisation can still buy passage where it holds no territory.
    control = net.crossing_control[net.route_crossing, org][None, :]
    access = np.maximum(np.minimum(control / pars["plaza_passage_share"][:, None], 1.0),
                        pars["foreign_plaza_access"][:, None])
    return hours * cover[:, net.route_crossing] * access ** pars["plaza_access_exponent"][:, None]


def distribution_shares(net: Network, pars: Pars) -> np.ndarray:
    """Share of each crossing's passed flow that reaches each market, (rep, crossing, market): the
    market's people with OUD (where the demand is) x distance decay."""
    decay = np.exp(-net.crossing_market_km[None] / pars["gravity_distance_km"][:, None, None])
    weight = net.market_oud_weight[None, None, :] * decay
    return weight / weight.sum(axis=2, keepdims=True)


def _control_matrix(world, state_ix: dict[str, int]) -> tuple[list[str], np.ndarray]:
    control = world.control
    named = set(control["org"]) | set(world.plazas["org"])
    orgs = sorted(named, key=lambda o: (o == "OTHER", o))
    if "OTHER" not in orgs:
        orgs.append("OTHER")
    matrix = np.zeros((len(state_ix), len(orgs)))
    org_ix = {o: i for i, o in enumerate(orgs)}
    for state, org, share in control[["state", "org", "share"]].itertuples(index=False):
        matrix[state_ix[state], org_ix[org]] += share
    return orgs, matrix


def _crossing_control(world, orgs: list[str], state_control: np.ndarray) -> np.ndarray:
    """Plaza control where plazas.csv gives it, else the control of the crossing's state."""
    matrix = state_control.copy()
    crossing_ix = {c: i for i, c in enumerate(world.crossings["id"])}
    listed = world.plazas["crossing"].map(crossing_ix).to_numpy()
    matrix[np.unique(listed)] = 0.0
    for c, org, share in zip(listed, world.plazas["org"], world.plazas["share"]):
        matrix[c, orgs.index(org)] += share
    return matrix


def _entry_to_site(world, site_ix: dict[str, int]) -> np.ndarray:
    """Precursors go to sites by capacity, discounted by travel time (a day costs 1/e of appeal)."""
    entries = world.entry_points["id"].tolist()
    legs = world.routes[world.routes["origin"].isin(entries) & world.routes["destination"].isin(site_ix)]
    share = np.zeros((len(entries), len(site_ix)))
    capacity = world.production["capacity_share"].to_numpy(float)
    for origin, dest, hours in legs[["origin", "destination", "hours"]].itertuples(index=False):
        s = site_ix[dest]
        share[entries.index(origin), s] = capacity[s] * np.exp(-hours / 24.0)
    return share / np.maximum(share.sum(axis=1, keepdims=True), 1e-300)


def _route_states(routes, route_site, site_state, route_crossing, crossing_state, state_ix) -> np.ndarray:
    touched = np.zeros((len(routes), len(state_ix)))
    touched[np.arange(len(routes)), site_state[route_site]] = 1
    touched[np.arange(len(routes)), crossing_state[route_crossing]] = 1
    for r, via in enumerate(routes["via"].fillna("").astype(str)):
        for abbr in filter(None, (v.strip() for v in via.split(";"))):
            touched[r, state_ix[abbr]] = 1
    return touched


def _rival_share(route_states: np.ndarray, control: np.ndarray, org: np.ndarray) -> np.ndarray:
    """Mean share of the states along a leg that the shipping organisation does not control."""
    own = control[:, org].T                       # (route, state)
    rival = (1.0 - own) * route_states
    return rival.sum(axis=1) / np.maximum(route_states.sum(axis=1), 1)


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.nan_to_num(x, nan=0.0)
    return x / x.sum()


def _haversine_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lat1, lon1 = np.radians(a[:, 0])[:, None], np.radians(a[:, 1])[:, None]
    lat2, lon2 = np.radians(b[:, 0])[None, :], np.radians(b[:, 1])[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
