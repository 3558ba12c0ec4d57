"""Mexico's 32 state polygons (shipped inside libpysal) keyed by fentflow's state abbreviations.

libpysal's `mexicojoin.shp` has no CRS (its coordinates are WGS84 degrees), old state names
("Distrito Federal", "Veracruz-Llave") and a `CODE` column that is the FIPS 10-4 code
(MX01...MX32, alphabetical by old Spanish names), not INEGI's code: FIPS MX05-MX08 are Chiapas,
Chihuahua, Coahuila, Colima while INEGI 05-08 are Coahuila, Colima, Chiapas, Chihuahua.
Its `INEGI` column is a five-region grouping, not a state code. So the join goes through the
explicit table below, never through names or positions.
"""
from __future__ import annotations

import functools
import logging

import geopandas as gpd
import pandas as pd

from fentflow.errors import InputError

log = logging.getLogger(__name__)

SHAPEFILE = "mexicojoin.shp"
CRS = "EPSG:4326"

# (FIPS code in the shapefile, name in the shapefile, fentflow abbreviation, INEGI code)
STATE_CODES: tuple[tuple[str, str, str, str], ...] = (
    ("MX01", "Aguascalientes", "AGS", "01"),
    ("MX02", "Baja California Norte", "BC", "02"),
    ("MX03", "Baja California Sur", "BCS", "03"),
    ("MX04", "Campeche", "CAM", "04"),
    ("MX05", "Chiapas", "CHIS", "07"),
    ("MX06", "Chihuahua", "CHIH", "08"),
    ("MX07", "Coahuila De Zaragoza", "COAH", "05"),
    ("MX08", "Colima", "COL", "06"),
    ("MX09", "Distrito Federal", "CDMX", "09"),
    ("MX10", "Durango", "DGO", "10"),
    ("MX11", "Guanajuato", "GTO", "11"),
    ("MX12", "Guerrero", "GRO", "12"),
    ("MX13", "Hidalgo", "HGO", "13"),
    ("MX14", "Jalisco", "JAL", "14"),
    ("MX15", "Mexico", "MEX", "15"),
    ("MX16", "Michoacan de Ocampo", "MICH", "16"),
    ("MX17", "Morelos", "MOR", "17"),
    ("MX18", "Nayarit", "NAY", "18"),
    ("MX19", "Nuevo Leon", "NL", "19"),
    ("MX20", "Oaxaca", "OAX", "20"),
    ("MX21", "Puebla", "PUE", "21"),
    ("MX22", "Queretaro de Arteaga", "QRO", "22"),
    ("MX23", "Quintana Roo", "QROO", "23"),
    ("MX24", "San Luis Potosi", "SLP", "24"),
    ("MX25", "Sinaloa", "SIN", "25"),
    ("MX26", "Sonora", "SON", "26"),
    ("MX27", "Tabasco", "TAB", "27"),
    ("MX28", "Tamaulipas", "TAMS", "28"),
    ("MX29", "Tlaxcala", "TLAX", "29"),
    ("MX30", "Veracruz-Llave", "VER", "30"),
    ("MX31", "Yucatan", "YUC", "31"),
    ("MX32", "Zacatecas", "ZAC", "32"),
)


def code_table() -> pd.DataFrame:
    """The 32-row join table: fips, shapefile_name, abbr, inegi."""
    return pd.DataFrame(STATE_CODES, columns=["fips", "shapefile_name", "abbr", "inegi"])


@functools.cache
def _shapefile() -> gpd.GeoDataFrame:
    from libpysal import examples  # deferred: importing libpysal is slow

    frame = gpd.read_file(examples.get_path(SHAPEFILE))
    return frame[["CODE", "NAME", "geometry"]].set_crs(CRS)


def state_shapes(world) -> gpd.GeoDataFrame:
    """One polygon per state of `world`, in the world's state order: abbr, code, name, geometry.

    `code` and `name` are the world's (INEGI code, modern name). A world whose states do not
    match the 32 states (abbreviation and INEGI code) raises `InputError`.
    """
    states = world.states[["abbr", "code", "name"]]
    _check_world_states(states)
    shapes = _shapefile().merge(code_table(), left_on="CODE", right_on="fips", validate="one_to_one")
    if len(shapes) != len(STATE_CODES) or not (shapes["NAME"] == shapes["shapefile_name"]).all():
        raise RuntimeError(f"{SHAPEFILE} does not hold the 32 states the code table expects")
    merged = states.merge(shapes[["abbr", "geometry"]], on="abbr", how="left", validate="one_to_one")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=CRS)


def _check_world_states(states: pd.DataFrame) -> None:
    expected = dict(zip(code_table()["abbr"], code_table()["inegi"]))
    actual = dict(zip(states["abbr"], states["code"].astype(str)))
    if actual != expected:
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        recoded = sorted(a for a in set(actual) & set(expected) if actual[a] != expected[a])
        raise InputError("the risk map needs Mexico's 32 states with INEGI codes; "
                         f"missing {missing or 'none'}, unknown {extra or 'none'}, "
                         f"wrong code {recoded or 'none'}", file="states.csv", field="abbr")


def adjacency(shapes: gpd.GeoDataFrame):
    """Queen contiguity (shared edge or corner) between the states, ids = abbreviations.

    Binary weights; the Gulf of California separates Baja California Sur from Sonora and
    Sinaloa, so it has one neighbour (Baja California) and no state is an island.
    """
    from libpysal.weights import Queen

    weights = Queen.from_dataframe(shapes, ids=shapes["abbr"].tolist(), use_index=False)
    if weights.islands:
        log.warning("states without neighbours: %s", weights.islands)
    return weights
