"""The calibration's distance reads statistics in one pass and gives pyABC's weighted L1 norm, bit for bit."""
import numpy as np
import pyabc
import pytest

from fentflow.calibrate.distance import Distance, StatisticsArray, distance_of
from fentflow.calibrate.priors import fitted_parameters
from fentflow.calibrate.statistics import TargetSet


@pytest.fixture(scope="module")
def observed():
    return TargetSet().observed


def _initialized(distance, observed):
    distance.initialize(t=0, get_sample=lambda: None, x_0=observed, total_sims=0)   # as pyABC does
    return distance


def _perturbed(observed, seed):
    rng = np.random.default_rng(seed)
    return {name: value + float(rng.normal(0, 0.3)) for name, value in observed.items()}


def test_the_array_is_pyabcs_and_the_datas_is_read_once(observed):
    ours = StatisticsArray()
    theirs = pyabc.sumstat.IdentitySumstat()
    for sumstat in (ours, theirs):
        sumstat.initialize(t=0, get_sample=lambda: None, x_0=observed, total_sims=0)
    simulated = _perturbed(observed, 1)
    assert np.array_equal(ours(simulated), theirs(simulated))
    assert np.array_equal(ours(observed), theirs(observed)) and ours(observed) is ours(observed)
    array = np.arange(3.0).reshape(3, 1)
    assert np.array_equal(ours(array), array.flatten())


def test_the_distance_is_pyabcs_weighted_l1_norm_exactly(observed):
    targets = TargetSet()
    ours = _initialized(Distance(targets, ()), observed)
    theirs = _initialized(pyabc.distance.PNormDistance(p=1, fixed_weights=dict(targets.weights)), observed)
    for seed in range(5):
        simulated = _perturbed(observed, seed)
        assert ours(simulated, observed, t=3) == theirs(simulated, observed, t=3)
    assert ours(observed, observed, t=0) == 0.0


def test_with_the_deaths_refit_it_is_the_documented_sum(observed):
    targets = TargetSet()
    fitted = fitted_parameters(("overdose_hazard",))
    distance = _initialized(Distance(targets, fitted), observed)
    simulated = _perturbed(observed, 7)
    par = {fitted[0].fit_name: fitted[0].low}
    assert distance(simulated, observed, t=1, par=par) == pytest.approx(
        distance_of(targets, simulated, observed, fitted, par), rel=1e-12)
