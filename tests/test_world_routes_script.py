"""scripts/build_routes.py regenerates the bundled routes.csv exactly (reproducible data)."""
from __future__ import annotations

import pytest

from fentflow.world import default_world_path


@pytest.fixture(scope="module")
def script(repo_script):
    return repo_script("build_routes")


def test_routes_csv_is_what_the_generator_writes(script):
    rows = script.build_rows(default_world_path())
    assert script.render(rows) == (default_world_path() / "routes.csv").read_text(encoding="utf-8")


def test_check_mode_passes_on_the_bundled_world(script):
    assert script.main(["--check"]) == 0


def test_generator_uses_stated_road_distances(script):
    # Culiacán -> Chihuahua 1,218 km [EHC] + Chihuahua -> Ciudad Juárez 373 km [CHS13].
    km, notes = script.chain_km(["CULIACAN", "CHIHUAHUA", "JUAREZ"])
    assert km == 1218 + 373
    assert any("[EHC]" in note for note in notes)


def test_great_circle_distance_is_right(script):
    # Culiacán -> Tijuana great circle: 1,272 km.
    assert round(script.great_circle_km((24.807, -107.394), (32.514, -117.038))) == 1272
