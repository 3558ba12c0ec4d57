"""scripts/checkpoint_whatif.py: the checkpoint what-if of docs/calibration.md ("Limits")."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fentflow as ff
from fentflow.calibrate.fitcheck import fit_check
from fentflow.sim.observables import cbp_sw_unit


@pytest.fixture(scope="module")
def script(repo_script):
    return repo_script("checkpoint_whatif")


def test_every_port_of_the_world_lies_in_a_sector_it_has(script, world):
    ports = world.crossings[world.crossings["kind"] == "port"]
    sectors = set(world.crossings.loc[world.crossings["kind"] == "between", "unit"])
    assert set(ports["name"]) == set(script.PORT_SECTOR)
    assert {f"{sector} Sector" for sector in script.PORT_SECTOR.values()} <= sectors


def test_checkpoints_take_the_share_of_fy2023_and_spread_it_by_what_passed(script):
    units = pd.DataFrame({"replicate": 0, "fy": 2023, "unit": ["San Diego Sector", "Tucson Sector", "X Field Office"],
                          "component": ["between", "between", "port"], "lb": [60.0, 40.0, 500.0]})
    passed = pd.DataFrame({"replicate": 0, "fy": 2023, "unit": ["San Diego Sector", "Tucson Sector"],
                           "passed_lb": [3000.0, 1000.0]})
    moved = script.with_checkpoints(units, passed, 0.5).set_index("unit")["lb"]
    # Border Patrol keeps half of its 100 lb; the other 50 lb are the checkpoints', 3:1 as what passed.
    assert moved["San Diego Sector"] == pytest.approx(30.0 + 37.5)
    assert moved["Tucson Sector"] == pytest.approx(20.0 + 12.5)
    assert moved["X Field Office"] == 500.0
    assert moved.sum() == pytest.approx(units["lb"].sum())


def test_the_score_is_the_fit_checks_male(script):
    sim = ff.Sim(replicates=3, start="2015-01-01", end="2023-12-31", seed=2)
    sim.run()
    errors = fit_check(sim).errors.set_index("series")
    units = cbp_sw_unit(sim.results, sim.net)
    assert script.male(units, sim.calendar) == errors.at["cbp_sw_unit_lb", "male"]
    sectors = script.male(units, sim.calendar, sectors_only=True)
    assert np.isfinite(sectors) and sectors != errors.at["cbp_sw_unit_lb", "male"]


def test_it_runs_end_to_end(script, capsys):
    table = script.main(["--replicates", "2", "--seed", "1"])
    assert list(table["checkpoint share"]) == [0.0, *script.SHARES]
    assert np.isfinite(table[["MALE", "MALE sectors"]].to_numpy()).all()
    assert "field-office and sector MALE" in capsys.readouterr().out
