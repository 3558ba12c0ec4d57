"""scripts/build_routes.py regenerates the bundled routes.csv exactly (reproducible data)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from fentflow.world import default_world_path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_routes.py"


def load_script():
    spec = importlib.util.spec_from_file_location("build_routes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_routes_csv_is_what_the_generator_writes():
    script = load_script()
    rows = script.build_rows(default_world_path())
    assert script.render(rows) == (default_world_path() / "routes.csv").read_text(encoding="utf-8")


def test_check_mode_passes_on_the_bundled_world():
    assert load_script().main(["--check"]) == 0


def test_generator_uses_stated_road_distances():
    # Culiacán -> Chihuahua 1,218 km [EHC] + Chihuahua -> Ciudad Juárez 373 km [CHS13].
    script = load_script()
    km, notes = script.chain_km(["CULIACAN", "CHIHUAHUA", "JUAREZ"])
    assert km == 1218 + 373
    assert any("[EHC]" in note for note in notes)


def test_great_circle_distance_is_right():
    # Culiacán -> Tijuana great circle: 1,272 km.
    script = load_script()
    assert round(script.great_circle_km((24.807, -107.394), (32.514, -117.038))) == 1272
