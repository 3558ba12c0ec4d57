"""The bundled default world: loads, has the expected shape, and its figures hold together."""
from __future__ import annotations

import pytest

from fentflow.world import TABLE_NAMES, World
from fentflow.world.schema import CONFIDENCES, FIELD_OFFICES, SECTORS


@pytest.fixture(scope="module")
def world() -> World:
    return World.load()


def test_default_world_loads_with_expected_sizes(world):
    assert world.name == "default"
    assert len(world.states) == 32
    assert len(world.crossings) == 37
    assert len(world.markets) == 51


def test_states_are_the_32_inegi_states(world):
    assert list(world.states["code"]) == [f"{n:02d}" for n in range(1, 33)]
    assert {"CDMX", "SIN", "JAL", "MICH", "TAMS", "ZAC"} <= set(world.states["abbr"])


def test_state_figures_match_the_national_totals(world):
    # National SESNSP homicide victims and CONAPO population (the bundled series).
    assert world.states["homicides_2015"].sum() == 17_884
    assert world.states["homicides_2022"].sum() == 30_979
    assert world.states["homicides_2023"].sum() == 29_721
    assert world.states["population"].sum() == 129_960_600


def test_markets_match_the_national_totals(world):
    # NCHS final 2022 counts by state: the 51 sum to the national total; Census population.
    assert world.markets["od_deaths_2022"].sum() == 107_941
    assert world.markets["population"].sum() == world.national["us_population"]["value"]
    missing = set(world.markets.loc[world.markets["synthetic_deaths_2022"].isna(), "id"])
    assert missing == {"LA", "NE", "ND", "PA"}


def test_crossings_are_28_ports_and_9_sectors(world):
    kinds = world.crossings["kind"].value_counts()
    assert kinds["port"] == 28 and kinds["between"] == 9
    ports = world.crossings[world.crossings["kind"] == "port"]
    assert set(ports["unit"]) == set(FIELD_OFFICES)
    assert set(world.crossings.loc[world.crossings["kind"] == "between", "unit"]) == set(SECTORS)
    # BTS border-crossing data: 2023 personal vehicles + trucks over all Southwest-border ports.
    assert ports["vehicles"].sum() == 75_891_766 + 7_356_659


def test_control_shares_sum_to_one_per_state(world):
    totals = world.control.groupby("state")["share"].sum()
    assert set(totals.index) == set(world.states["abbr"])
    assert (totals - 1).abs().max() < 1e-9


def test_control_follows_the_dominance_rule(world):
    # Control by state (world control.csv): dominant (D) states give the dominant organisation >= 0.6.
    share = world.control.set_index(["state", "org"])["share"]
    for state in ("BCS", "NAY", "JAL", "COL", "QRO"):
        assert share[state, "CJNG"] >= 0.6
    for state in ("SIN", "DGO"):
        assert share[state, "CDS"] >= 0.6


def test_entry_and_capacity_shares_sum_to_one(world):
    assert world.entry_points["precursor_share"].sum() == pytest.approx(1, abs=1e-9)
    assert world.production["capacity_share"].sum() == pytest.approx(1, abs=1e-9)


def test_sinaloa_dominates_production(world):
    # SEDENA: 17 of 18 pill-manufacturing centres seized 2019-2023 were in Culiacán.
    top = world.production.sort_values("capacity_share").iloc[-1]
    assert (top["state"], top["org"]) == ("SIN", "CDS")


def test_every_crossing_is_reachable_from_a_site(world):
    sites = set(world.production["id"])
    reached = set(world.routes.loc[world.routes["origin"].isin(sites), "destination"])
    assert set(world.crossings["id"]) <= reached


def test_every_site_reaches_several_crossings(world):
    crossings = set(world.crossings["id"])
    legs = world.routes[world.routes["destination"].isin(crossings)]
    assert legs.groupby("origin").size().reindex(world.production["id"]).min() >= 3


def test_every_site_gets_precursors_and_every_entry_point_ships(world):
    entries = set(world.entry_points["id"])
    inbound = world.routes[world.routes["origin"].isin(entries)]
    assert set(inbound["destination"]) == set(world.production["id"])
    assert set(inbound["origin"]) == entries


def test_route_risk_is_a_few_tenths_of_a_percent(world):
    assert world.routes["base_risk"].between(0.001, 0.02).all()


def test_every_numeric_column_is_documented(world):
    documented = set(zip(world.sources["file"], world.sources["column"]))
    for name in TABLE_NAMES:
        frame = world.table(name)
        numeric = frame.select_dtypes("number").columns
        assert {(f"{name}.csv", column) for column in numeric} <= documented


def test_every_row_has_a_source_and_a_confidence_mark(world):
    for name in TABLE_NAMES:
        frame = world.table(name)
        assert (frame["source"].str.len() > 0).all(), name
        assert frame["confidence"].isin(CONFIDENCES).all(), name


def test_national_figures_carry_provenance(world):
    assert set(world.national) == {"people_misusing_opioids", "people_with_oud", "moud_share_of_need",
                                   "us_population", "naloxone_retail_doses"}
    assert world.national["people_with_oud"]["value"] == 6_100_000
    assert world.national["moud_share_of_need"]["value"] == 0.251
    for figure in world.national.values():
        assert set(figure) == {"value", "unit", "year", "source", "confidence"}
        assert "http" in figure["source"]
