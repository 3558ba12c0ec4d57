"""fentflow and the Mesa reference (benchmarks/mesa_model.py) agree in distribution on the open-loop core.

Both run the default parameters with the upstream feedbacks off over 2022-2023: fentflow as
one batch of 40 replicates, Mesa with 20 seeds. Every summary statistic (national annual
attempts, seizure events, seized gross and pure kg; the same by CBP unit and by component;
production, raids, interceptions in Mexico) must agree within 4 standard errors of the
difference of the means plus 2 % of fentflow's mean (benchmarks/equivalence.py). With ~74
statistics and ~30 degrees of freedom a true model fails one by chance well under 5 % of the
time; the seeds are fixed, so the test is deterministic. The last tests show the comparison
has teeth: a reference with detection off, or blind to route appeal, fails it.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

REPO = str(Path(__file__).resolve().parents[1])   # the repository root holds benchmarks/
if REPO not in sys.path:
    sys.path.insert(0, REPO)

pytest.importorskip("mesa")
from benchmarks import mesa_model  # noqa: E402
from benchmarks.equivalence import Layout, compare, fentflow_runs, mesa_runs, open_loop  # noqa: E402

START, END = "2022-01-01", "2023-12-31"
FENTFLOW_REPLICATES, MESA_SEEDS = 40, range(20)
BROKEN_SEEDS = range(3)          # a broken reference is far off; a few seeds show it
DETECTION_OFF = {"poe_detection_2019": 1e-4, "poe_detection_2023": 1e-4, "between_detection": 1e-4,
                 "between_detection_2023": 1e-4}


@pytest.fixture(scope="module")
def fentflow_side(world):
    return fentflow_runs(open_loop(), START, END, FENTFLOW_REPLICATES, seed=1, world=world)


@pytest.fixture(scope="module")
def layout(fentflow_side):
    return Layout.of(fentflow_side[1], START, END)


def _failures(table):
    bad = table[~table["agrees"]]
    return bad[["statistic", "fentflow_mean", "mesa_mean", "se_difference", "tolerance"]].to_string()


def test_mesa_reference_agrees_with_fentflow_in_distribution(fentflow_side, layout):
    runs, net = fentflow_side
    table = compare(runs, mesa_runs(open_loop(), START, END, MESA_SEEDS, net), layout)
    assert len(table) > 60
    assert table["agrees"].all(), _failures(table)
    national = table[table["statistic"] == "seizure_events | national 2023"].iloc[0]
    assert national["mesa_mean"] > 500                      # a real workload, not an empty one


def test_comparison_catches_a_reference_with_detection_off(fentflow_side, layout):
    runs, net = fentflow_side
    table = compare(runs, mesa_runs(open_loop(DETECTION_OFF), START, END, BROKEN_SEEDS, net), layout)
    failed = set(table.loc[~table["agrees"], "statistic"])
    assert {f"{q} | national {y}" for q in ("seizure_events", "seized_gross_kg", "seized_pure_kg")
            for y in (2022, 2023)} <= failed
    assert not failed & {"attempts | national 2022", "attempts | national 2023"}   # upstream is untouched


def test_comparison_catches_a_reference_blind_to_route_appeal(fentflow_side, layout, monkeypatch):
    def uniform_route(self, site, u):
        routes = self.routes_of_site[site]
        return routes[min(int(u * len(routes)), len(routes) - 1)]

    monkeypatch.setattr(mesa_model.SupplyChainModel, "choose_route", uniform_route)
    runs, net = fentflow_side
    table = compare(runs, mesa_runs(open_loop(), START, END, BROKEN_SEEDS, net), layout)
    failed = set(table.loc[~table["agrees"], "statistic"])
    assert {"attempts | San Diego Field Office", "attempts | between"} <= failed


def test_mesa_reference_is_reproducible_and_open_loop_only(world):
    pars = mesa_model.open_loop_pars()
    first = mesa_model.run_reference(pars, "2023-01-01", "2023-03-31", seed=3, world=world)
    again = mesa_model.run_reference(pars, "2023-01-01", "2023-03-31", seed=3, world=world)
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert first["attempts"].sum() > 0
    with pytest.raises(ValueError, match="open-loop"):
        mesa_model.run_reference({**pars, "route_adaptation": 8.0}, "2023-01-01", "2023-03-31", seed=3, world=world)
