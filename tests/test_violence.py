"""Violence (step 9): a 2015 baseline, a state factor, and a saturating rise with conflict."""
import numpy as np
import pytest

from fentflow.sim.engine import Sim

SHORT = {"start": "2019-01-01", "end": "2019-12-31", "seed": 5}


def _violence(replicates=1, **pars):
    return Sim(replicates=replicates, pars=pars, **SHORT)


def test_the_baseline_is_a_share_of_each_state_2015_count_not_of_the_fitted_years():
    sim = _violence(violence_baseline_share=0.7, violence_state_sd=0.0)
    expected = 0.7 * sim.net.state_homicides_2015
    np.testing.assert_allclose(sim.modules["violence"].state.baseline[0], expected)
    assert not sim.modules["violence"].state.state_shift.any()
    assert sim.net.state_homicides_2015.sum() == 17_884


def test_the_state_factor_has_mean_one_and_the_stated_spread():
    sim = _violence(replicates=200, violence_state_sd=0.6)
    factor = np.exp(sim.modules["violence"].state.state_shift)
    assert factor.mean() == pytest.approx(1.0, abs=0.05)
    assert np.log(factor).std() == pytest.approx(0.6, abs=0.03)
    assert not np.allclose(factor[0], factor[1])   # each replicate draws its own


def test_the_state_factor_drifts_apart_over_the_years_keeping_mean_one():
    sim = _violence(replicates=200, violence_state_sd=0.0, violence_state_drift=0.4)
    sim.run()   # one year
    shift = sim.modules["violence"].state.state_shift
    assert np.exp(shift).mean() == pytest.approx(1.0, abs=0.05)
    assert shift.std() == pytest.approx(0.4, abs=0.03)


def test_the_rise_saturates_on_the_state_own_level():
    """However large the flows, a state's homicides stay under baseline x (1 + E + N)."""
    flood = _violence(replicates=4, supply_kg_week_2023=1500.0, violence_flow_effect=1.0,
                      violence_national_effect=0.5, violence_half_conflict=0.05, violence_state_sd=0.0,
                      violence_state_drift=0.0)
    flood.run()
    baseline = flood.modules["violence"].state.baseline
    ratio = flood.results["homicides"].sum(axis=0) / baseline       # (rep, state), one year
    assert (ratio.mean(axis=0) < 2.5 * 1.1).all()
    busy = flood.modules["violence"].state.conflict.mean(axis=0) > 1.0   # saturated corridors
    assert busy.any() and ratio.mean(axis=0)[busy] == pytest.approx(2.5, rel=0.1)
