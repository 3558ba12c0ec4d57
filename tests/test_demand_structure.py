"""Demand and mortality: deaths follow exposure and DEA's lethal-pill share; supply fills unmet demand."""
import numpy as np
import pytest

from fentflow.sim.engine import Sim
from fentflow.sim.modules.demand import MAX_EXPOSURE


def _run(**pars) -> Sim:
    sim = Sim(pars=pars, start="2021-01-01", end="2022-12-31", seed=5)
    sim.run()
    return sim


@pytest.fixture(scope="module")
def without_and_with_lethal_hazard():
    return _run(lethal_pill_hazard=0.0), _run(lethal_pill_hazard=5.0)


def test_the_lethal_share_multiplies_the_hazard_by_one_plus_its_weight(without_and_with_lethal_hazard):
    plain, weighted = without_and_with_lethal_hazard
    share = weighted.modules["market"].state.lethal_share[0]
    assert 0.05 < share < 0.95                        # pills of both kinds are in use
    last_weeks = slice(-8, None)                      # the share moves slowly: compare the last two months
    ratio = weighted.results["deaths"][last_weeks].sum() / plain.results["deaths"][last_weeks].sum()
    assert ratio == pytest.approx(1 + 5.0 * share, rel=0.1)


def test_the_lethal_share_leaves_supply_and_use_untouched(without_and_with_lethal_hazard):
    plain, weighted = without_and_with_lethal_hazard
    np.testing.assert_array_equal(plain.results["consumed_pure_kg"], weighted.results["consumed_pure_kg"])


def test_exposure_saturates_once_fentanyl_meets_the_whole_need():
    """Far more supply than need: doubling it adds no deaths, because exposure is capped at the whole need."""
    assert MAX_EXPOSURE == 1.0
    ample, doubled = (_run(supply_kg_week_2023=kg, need_mg_per_user_week=5.0) for kg in (1000.0, 2000.0))
    last_quarter = slice(-13, None)
    assert doubled.results["deaths"][last_quarter].sum() == pytest.approx(
        ample.results["deaths"][last_quarter].sum(), rel=0.03)
    scarce = _run(supply_kg_week_2023=10.0, need_mg_per_user_week=5.0)   # under half the need
    assert scarce.results["deaths"][last_quarter].sum() < 0.7 * ample.results["deaths"][last_quarter].sum()


def test_supply_is_pulled_toward_markets_short_of_it():
    """With the price pull, fentanyl used per person with OUD is more even across markets."""
    def spread(pull):
        sim = _run(distribution_price_pull=pull)
        used = sim.results["consumed_pure_kg"].sum(axis=0)[0]
        per_person = used / sim.net.market_oud_weight
        return per_person.max() / per_person.min()
    assert spread(1.0) < spread(0.0)
