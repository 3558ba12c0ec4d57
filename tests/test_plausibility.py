"""Default parameters give the right orders of magnitude for 2021-2023 (factor of 3), per issue #2.

The formal fit is calibration's job; this guards the defaults against drifting into nonsense.
"""
import pytest

from fentflow.observed.series import load_series
from fentflow.sim.engine import Sim
from fentflow.sim.observables import all_observables

FACTOR = 3.0


@pytest.fixture(scope="module")
def observables():
    sim = Sim(start="2015-01-01", end="2023-12-31", seed=0, parameters="defaults", replicates=1)
    sim.run()
    return all_observables(sim.results, sim.net)


def within_factor(model: float, observed: float) -> bool:
    return observed / FACTOR <= model <= observed * FACTOR


@pytest.mark.parametrize("fy", [2021, 2022, 2023])
def test_cbp_southwest_seizures_by_fiscal_year(observables, fy):
    observed = load_series("cbp_sw_component").query("fy == @fy")["lb"].sum()
    model = observables["cbp_sw_component"].query("fy == @fy")["lb"].sum()
    assert within_factor(model, observed), (fy, model, observed)


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_synthetic_opioid_deaths_by_year(observables, year):
    observed = load_series("cdc_deaths").query("year == @year")["synthetic"].iloc[0]
    model = observables["cdc_deaths"].query("year == @year")["synthetic"].sum()
    assert within_factor(model, observed), (year, model, observed)


def test_seizures_mostly_at_ports_and_in_san_diego_and_tucson(observables):
    recent = observables["cbp_sw_unit"].query("fy >= 2021")
    assert recent.query("component == 'port'")["lb"].sum() > 0.6 * recent["lb"].sum()
    west = recent[recent["unit"].isin(["San Diego Field Office", "Tucson Field Office"])]["lb"].sum()
    assert west > 0.6 * recent.query("component == 'port'")["lb"].sum()


def test_consumption_within_rands_single_digit_tonnes(observables):
    consumed_2021 = observables["national_annual"].query("year == 2021")["consumed_pure_kg"].sum()
    assert 500 < consumed_2021 < 10_000
