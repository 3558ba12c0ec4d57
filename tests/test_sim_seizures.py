"""Seizures drawn from expected arrivals are the seizures of the loads themselves.

fentflow moves expected cargo to the border and draws only the loads seized there
(`modules/crossing.py`): a Poisson number with mean (loads) x E[detection], each seized
load's size from the sizes as detection weights them. These tests check the closed forms
against the loads they stand for: integrals over the lognormal sizes, and loads drawn one by
one and thinned by their own detection.
"""
from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy import integrate, stats

from fentflow.sim import dice
from fentflow.sim.modules.crossing import MAX_DETECTION, REFERENCE_LOAD_KG, detection_law, draw_seized_gross, \
    surely_unseized

# (detection of a 5 kg load, size elasticity, median kg, log-sd): the defaults, a cap that binds for
# the biggest loads, one that binds for most, no elasticity, and certain detection.
CASES = [(0.1, 0.3, 2.0, 1.2), (0.6, 0.8, 5.0, 1.2), (0.5, 1.5, 40.0, 0.8), (0.2, 0.0, 3.0, 1.0),
         (1.0, 0.0, 3.0, 1.0)]


def _detection(size, detection, elasticity):
    return np.minimum(detection * (size / REFERENCE_LOAD_KG) ** elasticity, MAX_DETECTION)


@pytest.mark.parametrize("detection, elasticity, median, sigma", CASES)
def test_expected_detection_is_the_integral_over_load_sizes(detection, elasticity, median, sigma):
    chance, tilted, _ = detection_law(detection, elasticity, np.log(median), sigma)
    law = stats.lognorm(sigma, scale=median)
    expected, _ = integrate.quad(lambda s: _detection(s, detection, elasticity) * law.pdf(s), 0, np.inf, limit=200)
    assert chance == pytest.approx(expected, rel=1e-6)
    below_cap = min(detection, MAX_DETECTION) if elasticity == 0 else None
    if below_cap is not None:
        assert chance == pytest.approx(below_cap)
    assert 0.0 <= tilted <= chance


@numba.njit
def _seized_sizes(n, detection, elasticity, log_median, sigma, seed, dice_array):
    chance, tilted, cut = detection_law(detection, elasticity, log_median, sigma)
    die = dice_array[0]
    out = np.empty(n)
    for i in range(n):
        dice.roll(die, np.array([np.uint64(seed), np.uint64(7)]), i)
        out[i] = draw_seized_gross(die, log_median, sigma, elasticity, chance, tilted, cut)
    return out


@pytest.mark.parametrize("detection, elasticity, median, sigma", CASES)
def test_seized_loads_weigh_what_loads_thinned_by_their_own_detection_weigh(detection, elasticity, median, sigma):
    rng = np.random.default_rng(11)
    loads = median * np.exp(sigma * rng.standard_normal(400_000))
    seized = loads[rng.random(loads.size) < _detection(loads, detection, elasticity)]
    drawn = _seized_sizes(20_000, detection, elasticity, np.log(median), sigma, 3, dice.new_die())
    assert stats.ks_2samp(drawn, seized).pvalue > 0.001
    assert np.mean(drawn) == pytest.approx(np.mean(seized), rel=0.05)


@numba.njit
def _truncated(n, bound, above, dice_array):
    die = dice_array[0]
    out = np.empty(n)
    for i in range(n):
        dice.roll(die, np.array([np.uint64(5), np.uint64(9)]), i)
        out[i] = dice.normal_above(die, bound) if above else dice.normal_below(die, bound)
    return out


@pytest.mark.parametrize("bound", [-np.inf, -2.0, 0.0, 0.44, 0.46, 1.5, 4.0, 9.0])
def test_truncated_normals_follow_their_law(bound):
    above = _truncated(20_000, bound, True, dice.new_die())
    assert above.min() >= bound
    assert stats.kstest(above, stats.truncnorm(bound, np.inf).cdf).pvalue > 0.001
    below = _truncated(20_000, -bound, False, dice.new_die())
    assert below.max() < -bound
    assert stats.kstest(below, stats.truncnorm(-np.inf, -bound).cdf).pvalue > 0.001


@numba.njit
def _shortcut_and_draw(n, loads, mean_gross, detection, elasticity, sigma, dice_array):
    """For n units: whether `surely_unseized` says none, and the Poisson number the crossing then draws."""
    die = dice_array[0]
    key = np.array([np.uint64(17), np.uint64(4)])
    log_median = np.log(mean_gross) - 0.5 * sigma ** 2
    chance, _, _ = detection_law(detection, elasticity, log_median, sigma)
    sure, counts = np.zeros(n, np.bool_), np.zeros(n, np.int64)
    for i in range(n):
        dice.roll(die, key, i)
        sure[i] = surely_unseized(die, loads, mean_gross, detection, elasticity)
        dice.roll(die, key, i)
        counts[i] = dice.poisson(die, loads * chance)
    return sure, counts


# (loads, mean gross kg, detection of a 5 kg load, elasticity, log-sd): typical small crossings; bounds that
# are tight (no elasticity at the cap, where a small mean leaves exp(-x) within x^2 / 2 of 1 - x; elasticity
# 1 with nearly equal sizes; sizes near 5 kg); loads much lighter than 5 kg; elasticity above 1 (the cap is
# the bound); means near and above 1 (never sure).
SHORTCUT_CASES = [(0.4, 2.0, 0.05, 0.3, 1.2), (0.05, 12.0, 0.2, 0.3, 1.2), (1.0, 3.0, 0.95, 0.0, 1.2),
                  (0.01, 3.0, 0.95, 0.0, 1.2), (0.9, 8.0, 0.1, 1.0, 0.1), (0.9, 5.0, 0.3, 0.6, 0.05),
                  (0.6, 0.3, 0.4, 0.5, 0.5), (0.3, 20.0, 0.3, 1.5, 0.8), (5.0, 2.0, 0.19, 0.3, 1.2),
                  (2.0, 2.0, 0.9, 0.3, 1.2)]


@pytest.mark.parametrize("loads, mean_gross, detection, elasticity, sigma", SHORTCUT_CASES)
def test_a_sure_none_is_what_the_poisson_draw_gives(loads, mean_gross, detection, elasticity, sigma):
    sure, counts = _shortcut_and_draw(200_000, loads, mean_gross, detection, elasticity, sigma, dice.new_die())
    assert not counts[sure].any()                     # never says none where the crossing would seize
    chance, _, _ = detection_law(detection, elasticity, np.log(mean_gross) - 0.5 * sigma ** 2, sigma)
    bound = min(MAX_DETECTION, detection * (1 + elasticity * (mean_gross / REFERENCE_LOAD_KG - 1))) \
        if elasticity <= 1 else MAX_DETECTION
    most = loads * bound
    assert chance <= bound * (1 + 1e-12)          # tight cases meet it up to rounding, which the margin covers
    # and says it as often as its bound allows: the share of units where it is sure is 1 - most
    assert sure.mean() == pytest.approx(max(0.0, 1.0 - most), abs=0.005)
