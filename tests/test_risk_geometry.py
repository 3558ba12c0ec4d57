"""The 32 state polygons joined by an explicit FIPS/INEGI table, and their contiguity."""
from __future__ import annotations

import dataclasses

import pytest

from fentflow.errors import InputError
from fentflow.risk.geometry import STATE_CODES, adjacency, code_table, state_shapes


@pytest.fixture(scope="module")
def shapes(world):
    return state_shapes(world)


def test_code_table_is_explicit_and_complete(world):
    table = code_table()
    assert len(table) == 32
    assert table["fips"].is_unique and table["abbr"].is_unique and table["inegi"].is_unique
    # FIPS and INEGI differ exactly where the alphabets of old and new names differ
    assert {row.abbr: row.inegi for row in table.itertuples()} == dict(zip(world.states["abbr"], world.states["code"]))
    swapped = table[table["fips"].str[2:] != table["inegi"]]
    assert sorted(swapped["abbr"]) == ["CHIH", "CHIS", "COAH", "COL"]


def test_shapes_follow_the_world(shapes, world):
    assert len(shapes) == 32
    assert list(shapes["abbr"]) == list(world.states["abbr"])
    assert shapes.crs.to_epsg() == 4326
    assert shapes.geometry.notna().all() and shapes.geometry.is_valid.all()


@pytest.mark.parametrize("abbr, lon, lat", [
    ("SIN", -107.39, 24.81), ("COL", -103.72, 19.24), ("CDMX", -99.13, 19.43), ("YUC", -89.62, 20.97),
    ("CHIH", -106.07, 28.63), ("COAH", -101.0, 25.42), ("CHIS", -93.12, 16.75),
])
def test_state_capitals_fall_in_their_state(shapes, abbr, lon, lat):
    from shapely.geometry import Point

    polygon = shapes.set_index("abbr").geometry[abbr]
    assert polygon.contains(Point(lon, lat))


def test_queen_contiguity(shapes):
    w = adjacency(shapes)
    assert w.n == 32 and not w.islands
    assert set(w.neighbors["BCS"]) == {"BC"}
    assert set(w.neighbors["CDMX"]) == {"MEX", "MOR"}
    assert {"SIN", "CHIH", "BC"} <= set(w.neighbors["SON"])
    assert all(b in w.neighbors[a] for a in w.neighbors for b in w.neighbors[a])   # symmetric


def test_a_world_without_the_32_states_is_an_input_error(world):
    states = world.states.copy()
    states.loc[states["abbr"] == "COL", "code"] = "08"
    broken = dataclasses.replace(world, states=states) if dataclasses.is_dataclass(world) else None
    if broken is None:
        pytest.skip("World is not a dataclass")
    with pytest.raises(InputError, match="wrong code"):
        state_shapes(broken)


def test_state_codes_name_the_shapefile_rows():
    names = {fips: name for fips, name, _, _ in STATE_CODES}
    assert names["MX09"] == "Distrito Federal" and names["MX30"] == "Veracruz-Llave"
