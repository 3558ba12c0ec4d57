#!/usr/bin/env python3
"""Generate routes.csv of the bundled default world, reproducibly.

    python scripts/build_routes.py            # rewrite src/fentflow/world/data/default/routes.csv
    python scripts/build_routes.py --check    # exit 1 if routes.csv differs from what this writes

Route legs come in two kinds (docs/world-format.md): entry point -> production site
(precursors) and production site -> border crossing (product). Each leg follows a chain of
places; its length is the sum of the chain's segments:

* a road distance from KNOWN_KM where one is published or was computed in the project's
  reference notes (world-mexico.md T4b/T4c: great-circle distance through the main-highway
  waypoints x 1.10; Culiacán routes over the Sierra Madre +150 km; stated road distances), or
* otherwise the great-circle distance x ROAD_FACTOR (the same method, without waypoints),

plus a short local segment from the Mexican border city to the crossing's point
(great-circle x ROAD_FACTOR). Hours = km / SPEED_KMH. A Border Patrol sector faces several
border cities; a site keeps only its shortest leg to each crossing.

Cost and risk are explicit modelling assumptions (documented in sources.csv):
cost_usd_per_kg = COST_FIXED + COST_PER_KM x km; base_risk = BASE_RISK + RIVAL_STATE_RISK for
each traversed state (origin, via, destination) where a rival organisation holds at least
RIVAL_SHARE of territorial control (control.csv).

The script reads entry_points.csv, production.csv, crossings.csv and control.csv of the world
it writes into, and checks that its place table agrees with their coordinates and states.
Everything here is at the level of public reporting: states and border cities, no more.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path

DEFAULT_WORLD = Path(__file__).resolve().parents[1] / "src/fentflow/world/data/default"

EARTH_RADIUS_KM = 6371.0
ROAD_FACTOR = 1.10          # road km per great-circle km (world-mexico.md T4b)
SPEED_KMH = 70.0            # average truck speed (world-mexico.md T4b, inference)
SIERRA_KM = 150.0           # T4b: Culiacán routes over Mazatlán–Durango are ~150 km longer
COST_FIXED = 100.0          # USD per kg per leg (assumption)
COST_PER_KM = 0.5           # USD per kg per km (assumption)
BASE_RISK = 0.002           # interception probability per leg (assumption)
RIVAL_STATE_RISK = 0.002    # added per traversed state held by a rival (assumption)
RIVAL_SHARE = 0.3           # a rival "holds" a state from this control share up (assumption)

# Places: (lat, lon, state abbr). Hubs, ports and the main border cities are the
# world-mexico.md T4a city-centre points; the others are approximate city centres (assumption).
PLACES: dict[str, tuple[float, float, str]] = {
    # production hubs and sites
    "CULIACAN": (24.807, -107.394, "SIN"),
    "GUADALAJARA": (20.659, -103.350, "JAL"),
    "MORELIA": (19.706, -101.195, "MICH"),
    "HERMOSILLO": (29.073, -110.956, "SON"),
    "DURANGO": (24.027, -104.653, "DGO"),
    "COLIMA": (19.243, -103.725, "COL"),
    "CHILPANCINGO": (17.551, -99.501, "GRO"),
    "GUADALUPE_Y_CALVO": (26.094, -106.964, "CHIH"),
    # waypoints
    "CHIHUAHUA": (28.633, -106.069, "CHIH"),
    "MONTERREY": (25.686, -100.316, "NL"),
    "CDMX": (19.433, -99.133, "CDMX"),
    # precursor entry points
    "MANZANILLO": (19.052, -104.316, "COL"),
    "LAZARO_CARDENAS": (17.958, -102.200, "MICH"),
    "MAZATLAN": (23.249, -106.411, "SIN"),
    "VERACRUZ": (19.173, -96.134, "VER"),
    "ENSENADA": (31.866, -116.596, "BC"),
    "ALTAMIRA": (22.490, -97.870, "TAMS"),
    "AICM": (19.436, -99.072, "CDMX"),
    # Mexican border cities
    "TIJUANA": (32.514, -117.038, "BC"),
    "TECATE": (32.567, -116.627, "BC"),
    "MEXICALI": (32.624, -115.452, "BC"),
    "LOS_ALGODONES": (32.717, -114.729, "BC"),
    "SLRC": (32.456, -114.772, "SON"),          # San Luis Río Colorado
    "SONOYTA": (31.861, -112.853, "SON"),
    "SASABE": (31.487, -111.543, "SON"),
    "NOGALES": (31.308, -110.942, "SON"),
    "NACO": (31.326, -109.948, "SON"),
    "AGUA_PRIETA": (31.327, -109.549, "SON"),
    "PALOMAS": (31.772, -107.624, "CHIH"),
    "JUAREZ": (31.690, -106.424, "CHIH"),
    "OJINAGA": (29.566, -104.416, "CHIH"),
    "BOQUILLAS": (29.183, -102.947, "COAH"),
    "ACUNA": (29.324, -100.932, "COAH"),
    "PIEDRAS_NEGRAS": (28.700, -100.524, "COAH"),
    "NUEVO_LAREDO": (27.476, -99.516, "TAMS"),
    "MIGUEL_ALEMAN": (26.398, -99.026, "TAMS"),
    "CAMARGO": (26.313, -98.833, "TAMS"),
    "REYNOSA": (26.092, -98.277, "TAMS"),
    "MATAMOROS": (25.869, -97.504, "TAMS"),
}

# World nodes (entry point and production site ids) -> the place they stand at.
NODE_PLACE = {
    "MANZANILLO": "MANZANILLO", "LAZARO-CARDENAS": "LAZARO_CARDENAS", "MAZATLAN": "MAZATLAN",
    "VERACRUZ": "VERACRUZ", "ENSENADA": "ENSENADA", "ALTAMIRA": "ALTAMIRA", "AICM": "AICM",
    "SIN-CDS": "CULIACAN", "BC-CDS": "TIJUANA", "SON-CDS": "SLRC", "CHIH-CDS": "GUADALUPE_Y_CALVO",
    "DGO-CDS": "DURANGO", "JAL-CJNG": "GUADALAJARA", "MICH-CJNG": "MORELIA",
    "GRO-OTHER": "CHILPANCINGO", "COL-CJNG": "COLIMA",
}

# Road distances (km) between places, with how they were obtained. Symmetric.
T4B = "road estimate: great-circle through highway waypoints x1.10"
T4B_SIERRA = T4B + ", +150 km Sierra Madre"
KNOWN_KM: dict[tuple[str, str], tuple[float, str]] = {
    # world-mexico.md T4b, Culiacán -> border (Computed there)
    ("CULIACAN", "TIJUANA"): (1609, T4B), ("CULIACAN", "MEXICALI"): (1445, T4B),
    ("CULIACAN", "SLRC"): (1372, T4B), ("CULIACAN", "NOGALES"): (987, T4B),
    ("CULIACAN", "AGUA_PRIETA"): (1084, T4B),
    ("CULIACAN", "OJINAGA"): (1255 + SIERRA_KM, T4B_SIERRA),
    ("CULIACAN", "PIEDRAS_NEGRAS"): (1184 + SIERRA_KM, T4B_SIERRA),
    ("CULIACAN", "NUEVO_LAREDO"): (1253 + SIERRA_KM, T4B_SIERRA),
    ("CULIACAN", "REYNOSA"): (1248 + SIERRA_KM, T4B_SIERRA),
    ("CULIACAN", "MATAMOROS"): (1337 + SIERRA_KM, T4B_SIERRA),
    # world-mexico.md T4c, stated road distances
    ("CULIACAN", "CHIHUAHUA"): (1218, "stated [EHC]"),
    ("CHIHUAHUA", "JUAREZ"): (373, "stated [CHS13]"),
    # T4b, Guadalajara -> border
    ("GUADALAJARA", "TIJUANA"): (2307, T4B), ("GUADALAJARA", "MEXICALI"): (2143, T4B),
    ("GUADALAJARA", "SLRC"): (2070, T4B), ("GUADALAJARA", "NOGALES"): (1685, T4B),
    ("GUADALAJARA", "AGUA_PRIETA"): (1782, T4B), ("GUADALAJARA", "JUAREZ"): (1511, T4B),
    ("GUADALAJARA", "OJINAGA"): (1347, T4B), ("GUADALAJARA", "PIEDRAS_NEGRAS"): (1163, T4B),
    ("GUADALAJARA", "NUEVO_LAREDO"): (1051, T4B), ("GUADALAJARA", "REYNOSA"): (1045, T4B),
    ("GUADALAJARA", "MATAMOROS"): (1135, T4B),
    # T4b, Morelia -> border
    ("MORELIA", "TIJUANA"): (2581, T4B), ("MORELIA", "NOGALES"): (1959, T4B),
    ("MORELIA", "JUAREZ"): (1784, T4B), ("MORELIA", "PIEDRAS_NEGRAS"): (1236, T4B),
    ("MORELIA", "NUEVO_LAREDO"): (1124, T4B), ("MORELIA", "REYNOSA"): (1118, T4B),
    ("MORELIA", "MATAMOROS"): (1208, T4B),
    # T4b, port -> hub
    ("MANZANILLO", "GUADALAJARA"): (251, T4B), ("MANZANILLO", "CULIACAN"): (949, T4B),
    ("LAZARO_CARDENAS", "MORELIA"): (286, T4B), ("LAZARO_CARDENAS", "GUADALAJARA"): (391, T4B),
    ("LAZARO_CARDENAS", "CULIACAN"): (1089, T4B), ("MAZATLAN", "CULIACAN"): (220, T4B),
    ("ENSENADA", "TIJUANA"): (92, T4B),
}

# Which Mexican border city feeds which crossings (world-us.md W1a twin cities; sectors by
# the Mexican state they face, W2). Each crossing's mx_state must be the city's state.
BORDER_CROSSINGS: dict[str, list[str]] = {
    "TIJUANA": ["2504", "2506", "2582", "S-SDC"],
    "TECATE": ["2505", "S-SDC"],
    "MEXICALI": ["2503", "2507", "S-ELC"],
    "LOS_ALGODONES": ["2502"],
    "SLRC": ["2608", "S-YUM"],
    "SONOYTA": ["2602", "S-TCA"],
    "SASABE": ["2606", "S-TCA"],
    "NOGALES": ["2604", "S-TCA"],
    "NACO": ["2603", "S-TCA"],
    "AGUA_PRIETA": ["2601", "S-TCA"],
    "PALOMAS": ["2406", "S-EPT"],
    "JUAREZ": ["2402", "2401", "2408", "2404", "S-EPT"],
    "OJINAGA": ["2403", "S-BBT"],
    "BOQUILLAS": ["2410"],
    "ACUNA": ["2302", "S-DRT"],
    "PIEDRAS_NEGRAS": ["2303", "S-DRT"],
    "NUEVO_LAREDO": ["2304", "S-LRT"],
    "MIGUEL_ALEMAN": ["2310", "S-RGV"],
    "CAMARGO": ["2307", "S-RGV"],
    "REYNOSA": ["2305", "2309", "S-RGV"],
    "MATAMOROS": ["2301", "S-RGV"],
}

# Corridors: (to, waypoints between, states passed through between origin and destination).
# Product corridors go from a production site to a border city; precursor corridors go from an
# entry point to a production site. Waypoints follow world-mexico.md T4b where it lists them.
SIERRA = ["DGO"]
NORTHEAST_FROM_JAL = ["SLP", "COAH", "NL"]
NORTHEAST_FROM_MICH = ["GTO", "QRO", "SLP", "COAH", "NL"]
NORTHEAST_FROM_GRO = ["MOR", "CDMX", "MEX", "HGO", "QRO", "SLP", "COAH", "NL"]
PACIFIC_FROM_JAL = ["NAY", "SIN"]
PRODUCT_CORRIDORS: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "SIN-CDS": [
        ("TIJUANA", [], ["SON"]), ("TECATE", ["MEXICALI"], ["SON"]), ("MEXICALI", [], ["SON"]),
        ("LOS_ALGODONES", ["SLRC"], ["SON"]), ("SLRC", [], []), ("SONOYTA", ["HERMOSILLO"], []),
        ("SASABE", ["HERMOSILLO"], []), ("NOGALES", [], []), ("NACO", ["HERMOSILLO"], []),
        ("AGUA_PRIETA", [], []), ("PALOMAS", ["HERMOSILLO", "AGUA_PRIETA"], ["SON"]),
        ("JUAREZ", ["CHIHUAHUA"], SIERRA), ("OJINAGA", [], SIERRA),
        ("PIEDRAS_NEGRAS", [], SIERRA), ("ACUNA", ["PIEDRAS_NEGRAS"], SIERRA),
        ("NUEVO_LAREDO", [], SIERRA + ["COAH", "NL"]), ("REYNOSA", [], SIERRA + ["COAH", "NL"]),
        ("MATAMOROS", [], SIERRA + ["COAH", "NL"]),
    ],
    "BC-CDS": [
        ("TIJUANA", [], []), ("TECATE", [], []), ("MEXICALI", [], []),
        ("LOS_ALGODONES", ["MEXICALI"], []), ("SLRC", ["MEXICALI"], []),
    ],
    "SON-CDS": [
        ("SLRC", [], []), ("LOS_ALGODONES", [], []), ("MEXICALI", [], []),
        ("TIJUANA", ["MEXICALI"], []), ("TECATE", ["MEXICALI"], []), ("SONOYTA", [], []),
        ("SASABE", ["SONOYTA"], []), ("NOGALES", ["SONOYTA"], []),
    ],
    "CHIH-CDS": [
        ("JUAREZ", ["CHIHUAHUA"], []), ("PALOMAS", ["CHIHUAHUA"], []),
        ("OJINAGA", ["CHIHUAHUA"], []), ("BOQUILLAS", ["CHIHUAHUA"], []),
        ("AGUA_PRIETA", [], []), ("NOGALES", [], []),
    ],
    "DGO-CDS": [
        ("JUAREZ", ["CHIHUAHUA"], []), ("OJINAGA", ["CHIHUAHUA"], []),
        ("BOQUILLAS", [], []), ("ACUNA", [], []), ("PIEDRAS_NEGRAS", [], []),
        ("NUEVO_LAREDO", ["MONTERREY"], ["COAH", "NL"]),
    ],
    "JAL-CJNG": [
        ("TIJUANA", [], PACIFIC_FROM_JAL + ["SON"]), ("MEXICALI", [], PACIFIC_FROM_JAL + ["SON"]),
        ("SLRC", [], PACIFIC_FROM_JAL), ("NOGALES", [], PACIFIC_FROM_JAL),
        ("AGUA_PRIETA", [], PACIFIC_FROM_JAL), ("JUAREZ", [], ["AGS", "ZAC", "DGO"]),
        ("OJINAGA", [], ["AGS", "ZAC", "DGO"]), ("PIEDRAS_NEGRAS", [], ["SLP"]),
        ("NUEVO_LAREDO", [], NORTHEAST_FROM_JAL), ("MIGUEL_ALEMAN", ["MONTERREY"], NORTHEAST_FROM_JAL),
        ("CAMARGO", ["MONTERREY"], NORTHEAST_FROM_JAL), ("REYNOSA", [], NORTHEAST_FROM_JAL),
        ("MATAMOROS", [], NORTHEAST_FROM_JAL),
    ],
    "MICH-CJNG": [
        ("TIJUANA", [], ["JAL"] + PACIFIC_FROM_JAL + ["SON"]), ("NOGALES", [], ["JAL"] + PACIFIC_FROM_JAL),
        ("JUAREZ", [], ["JAL", "AGS", "ZAC", "DGO"]), ("PIEDRAS_NEGRAS", [], ["GTO", "QRO", "SLP"]),
        ("NUEVO_LAREDO", [], NORTHEAST_FROM_MICH), ("REYNOSA", [], NORTHEAST_FROM_MICH),
        ("MATAMOROS", [], NORTHEAST_FROM_MICH),
    ],
    "GRO-OTHER": [
        ("NUEVO_LAREDO", ["CDMX", "MONTERREY"], NORTHEAST_FROM_GRO),
        ("MIGUEL_ALEMAN", ["CDMX", "MONTERREY"], NORTHEAST_FROM_GRO),
        ("CAMARGO", ["CDMX", "MONTERREY"], NORTHEAST_FROM_GRO),
        ("REYNOSA", ["CDMX", "MONTERREY"], NORTHEAST_FROM_GRO),
        ("MATAMOROS", ["CDMX", "MONTERREY"], NORTHEAST_FROM_GRO),
        ("TIJUANA", ["GUADALAJARA"], ["MICH", "JAL"] + PACIFIC_FROM_JAL + ["SON"]),
    ],
    "COL-CJNG": [
        ("TIJUANA", ["GUADALAJARA"], ["JAL"] + PACIFIC_FROM_JAL + ["SON"]),
        ("NOGALES", ["GUADALAJARA"], ["JAL"] + PACIFIC_FROM_JAL),
        ("JUAREZ", ["GUADALAJARA"], ["JAL", "AGS", "ZAC", "DGO"]),
        ("NUEVO_LAREDO", ["GUADALAJARA"], ["JAL"] + NORTHEAST_FROM_JAL),
        ("REYNOSA", ["GUADALAJARA"], ["JAL"] + NORTHEAST_FROM_JAL),
    ],
}
PRECURSOR_CORRIDORS: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "MANZANILLO": [
        ("JAL-CJNG", [], []), ("COL-CJNG", [], []), ("MICH-CJNG", ["GUADALAJARA"], ["JAL"]),
        ("SIN-CDS", [], ["JAL", "NAY"]),
    ],
    "LAZARO-CARDENAS": [
        ("MICH-CJNG", [], []), ("JAL-CJNG", [], []), ("SIN-CDS", [], ["JAL", "NAY"]),
        ("GRO-OTHER", [], []),
    ],
    "MAZATLAN": [
        ("SIN-CDS", [], []), ("DGO-CDS", [], []), ("SON-CDS", ["CULIACAN"], []),
        ("BC-CDS", ["CULIACAN"], ["SON"]), ("CHIH-CDS", ["CULIACAN"], []),
    ],
    "VERACRUZ": [
        ("JAL-CJNG", [], ["PUE", "MEX", "QRO", "GTO"]), ("MICH-CJNG", [], ["PUE", "MEX"]),
        ("GRO-OTHER", [], ["PUE", "MOR"]),
    ],
    "ENSENADA": [("BC-CDS", [], []), ("SON-CDS", ["MEXICALI"], [])],
    "ALTAMIRA": [("DGO-CDS", [], ["SLP", "ZAC"]), ("JAL-CJNG", [], ["SLP"])],
    "AICM": [
        ("JAL-CJNG", [], ["MEX", "MICH"]), ("MICH-CJNG", [], ["MEX"]), ("GRO-OTHER", [], ["MOR"]),
        ("SIN-CDS", [], ["MEX", "MICH", "JAL", "NAY"]),
    ],
}

HEADER = ["origin", "destination", "mode", "km", "hours", "cost_usd_per_kg", "base_risk", "via",
          "source", "confidence"]


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def segment_km(a: str, b: str) -> tuple[float, str]:
    """Road km between two places: a known distance if there is one, else great-circle x1.10."""
    if a == b:
        return 0.0, ""
    known = KNOWN_KM.get((a, b)) or KNOWN_KM.get((b, a))
    if known:
        return known
    return great_circle_km(PLACES[a][:2], PLACES[b][:2]) * ROAD_FACTOR, "great-circle x1.10"


def chain_km(places: list[str]) -> tuple[float, list[str]]:
    """Total km along a chain of places, and a note per segment that says where it came from."""
    total, notes = 0.0, []
    for a, b in zip(places, places[1:]):
        km, how = segment_km(a, b)
        total += km
        if how:
            notes.append(f"{a}-{b} {km:.0f} km {how}")
    return total, notes


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rival_states(control: list[dict[str, str]], org: str) -> set[str]:
    """States where some other named organisation holds at least RIVAL_SHARE of control."""
    return {row["state"] for row in control
            if row["org"] not in (org, "OTHER") and float(row["share"]) >= RIVAL_SHARE}


def leg_row(origin: str, destination: str, places: list[str], end_states: list[str],
            via: list[str], rivals: set[str], local_km: float = 0.0) -> list[str]:
    """One routes.csv row for a leg along `places`, plus `local_km` to the crossing itself."""
    if set(via) & set(end_states):
        raise SystemExit(f"{origin} -> {destination}: via lists only the states in between")
    km, notes = chain_km(places)
    if local_km:
        notes.append(f"{places[-1]}-crossing {local_km:.0f} km great-circle x1.10")
    km = max(1.0, round(km + local_km))
    traversed = list(dict.fromkeys(end_states[:1] + via + end_states[1:]))
    risk = BASE_RISK + RIVAL_STATE_RISK * sum(state in rivals for state in traversed)
    source = "computed: " + "; ".join(notes) + "; cost and risk: assumption (see sources.csv)"
    return [origin, destination, "road", f"{km:.0f}", f"{km / SPEED_KMH:.2f}",
            f"{COST_FIXED + COST_PER_KM * km:.0f}", f"{risk:.3f}", ";".join(via), source, "computed"]


def check_places(entries, sites, crossings) -> None:
    """The place table must agree with the world's own coordinates and states."""
    for row in entries + sites:
        lat, lon, state = PLACES[NODE_PLACE[row["id"]]]
        moved = abs(lat - float(row["lat"])) > 0.01 or abs(lon - float(row["lon"])) > 0.01
        if state != row["state"] or moved:
            raise SystemExit(f"place of {row['id']} disagrees with the world files")
    by_id = {row["id"]: row for row in crossings}
    for city, ids in BORDER_CROSSINGS.items():
        for crossing in ids:
            if by_id[crossing]["mx_state"] != PLACES[city][2]:
                raise SystemExit(f"crossing {crossing} does not face {city}'s state")


def build_rows(world: Path) -> list[list[str]]:
    entries = read_csv(world / "entry_points.csv")
    sites = read_csv(world / "production.csv")
    crossings = {row["id"]: row for row in read_csv(world / "crossings.csv")}
    control = read_csv(world / "control.csv")
    check_places(entries, sites, list(crossings.values()))
    site_by_id = {row["id"]: row for row in sites}
    rows = []
    for entry in entries:
        for site_id, waypoints, via in PRECURSOR_CORRIDORS[entry["id"]]:
            site = site_by_id[site_id]
            places = [NODE_PLACE[entry["id"]], *waypoints, NODE_PLACE[site_id]]
            rows.append(leg_row(entry["id"], site_id, places, [entry["state"], site["state"]], via,
                                rival_states(control, site["org"])))
    for site in sites:
        rivals = rival_states(control, site["org"])
        for city, waypoints, via in PRODUCT_CORRIDORS[site["id"]]:
            for crossing_id in BORDER_CROSSINGS[city]:
                crossing = crossings[crossing_id]
                point = (float(crossing["lat"]), float(crossing["lon"]))
                local_km = great_circle_km(PLACES[city][:2], point) * ROAD_FACTOR
                rows.append(leg_row(site["id"], crossing_id, [NODE_PLACE[site["id"]], *waypoints, city],
                                    [site["state"], crossing["mx_state"]], via, rivals, local_km))
    return shortest_per_pair(rows)


def shortest_per_pair(rows: list[list[str]]) -> list[list[str]]:
    """A sector faces several border cities; keep one leg per (origin, destination): the shortest."""
    best: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        key = (row[0], row[1])
        if key not in best or float(row[3]) < float(best[key][3]):
            best[key] = row
    return [row for row in rows if best[(row[0], row[1])] is row]


def render(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, default=DEFAULT_WORLD, help="world directory to write into")
    parser.add_argument("--check", action="store_true", help="only check that routes.csv is up to date")
    args = parser.parse_args(argv)
    text = render(build_rows(args.world))
    target = args.world / "routes.csv"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run scripts/build_routes.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10)) - 1} legs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
