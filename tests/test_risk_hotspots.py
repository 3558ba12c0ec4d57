"""Gi* and Local Moran on a tiny hand-made lattice with answers worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from libpysal.weights import W, lat2W

from fentflow.risk.hotspots import COLD, HOT, NEVER_CACHED, NOT_SIGNIFICANT, GiStarHotspots, LocalMoranClusters

# A path of five places 0-1-2-3-4 with values 1, 2, 3, 4, 10.
# n = 5, mean 4, population variance 130/5 - 16 = 10, s = sqrt(10).
PATH = {0: [1], 1: [0, 2], 2: [1, 3], 3: [2, 4], 4: [3]}
VALUES = pd.Series([1.0, 2.0, 3.0, 4.0, 10.0], index=range(5))


def test_gi_star_z_scores_by_hand():
    # Gi*_i = (sum_j w_ij x_j - xbar W_i) / (s sqrt((n W_i - W_i^2) / (n - 1))), w_ii = 1
    # W_i = 2 at the ends, 3 inside; the denominator is sqrt(10) sqrt(6/4) = sqrt(15) for both.
    # place 0: (1 + 2 - 4*2) / sqrt(15) = -5/sqrt(15) = -sqrt(5/3)
    # place 1: (1 + 2 + 3 - 4*3) / sqrt(15) = -6/sqrt(15) = -sqrt(12/5)
    # place 2: (2 + 3 + 4 - 12) / sqrt(15) = -sqrt(3/5)
    # place 3: (3 + 4 + 10 - 12) / sqrt(15) = +sqrt(5/3)
    # place 4: (4 + 10 - 8) / sqrt(15) = +sqrt(12/5)
    gi = GiStarHotspots(VALUES, W(PATH), permutations=0)
    expected = [-math.sqrt(5 / 3), -math.sqrt(12 / 5), -math.sqrt(3 / 5), math.sqrt(5 / 3), math.sqrt(12 / 5)]
    assert gi.z.to_numpy() == pytest.approx(expected)


def test_gi_star_aligns_values_by_id():
    shuffled = VALUES.iloc[::-1]
    gi = GiStarHotspots(shuffled, W(PATH), permutations=0)
    assert list(gi.z.index) == [0, 1, 2, 3, 4]
    assert gi.z[4] == pytest.approx(math.sqrt(12 / 5))


def test_gi_star_finds_a_planted_hot_spot():
    # 5 x 5 rook lattice, a block of high values in one corner
    w = lat2W(5, 5, rook=False)
    values = np.zeros(25)
    values[[0, 1, 5, 6]] = 10.0
    gi = GiStarHotspots(pd.Series(values, index=w.id_order), w, permutations=999, seed=1)
    assert gi.label[0] == HOT and gi.label[6] == HOT
    assert gi.label[24] in (COLD, NOT_SIGNIFICANT)
    assert (gi.label == HOT).sum() >= 4


def test_gi_star_is_deterministic_given_its_seed():
    w = lat2W(4, 4)
    values = pd.Series(np.arange(16.0), index=w.id_order)
    first, second = GiStarHotspots(values, w, seed=7), GiStarHotspots(values, w, seed=7)
    assert first.p_sim.equals(second.p_sim)


def test_local_moran_by_hand():
    # z = x - 4 = (-3, -2, -1, 0, 6); esda divides by m2 = sum z^2 / (n - 1) = 50/4 = 12.5 and
    # row-standardises: I_0 = -3 * (-2) / 12.5 = 0.48; I_1 = -2 * (-3 - 1)/2 / 12.5 = 0.32;
    # I_2 = -1 * (-2 + 0)/2 / 12.5 = 0.08; I_3 = 0; I_4 = 6 * 0 / 12.5 = 0
    weights = W(PATH)
    moran = LocalMoranClusters(VALUES, weights, permutations=99, seed=1)
    assert moran.i.to_numpy() == pytest.approx([0.48, 0.32, 0.08, 0.0, 0.0])
    assert weights.transform == "O"    # the caller's weights are left as they were


def test_local_moran_labels_a_planted_cluster():
    w = lat2W(5, 5, rook=False)
    values = np.zeros(25)
    values[[0, 1, 5, 6]] = 10.0
    moran = LocalMoranClusters(pd.Series(values, index=w.id_order), w, permutations=999, seed=1)
    assert moran.label[0] == "High-High"
    assert set(moran.label) <= {"High-High", "Low-Low", "High-Low", "Low-High", NOT_SIGNIFICANT}


def test_esdas_permutation_kernels_are_kept_on_disk_once_hot_spots_are_computed():
    import esda.crand

    GiStarHotspots(pd.Series(np.arange(9.0), index=range(9)), lat2W(3, 3, rook=False), permutations=9)
    kernels = {name: k for name, k in vars(esda.crand).items() if callable(getattr(k, "enable_caching", None))}
    assert kernels, "esda no longer compiles with numba: drop _keep_esda_kernels_compiled"
    assert NEVER_CACHED <= kernels.keys(), "esda renamed its kernels: review NEVER_CACHED"
    for name, kernel in kernels.items():      # cache_path is None while numba keeps a kernel in memory only
        assert bool(kernel.stats.cache_path) == (name not in NEVER_CACHED), name


def test_the_permutations_give_esdas_own_numbers():
    """fentflow drives esda's permutations from Python (`hotspots._permutations_driven_from_python`):
    the pseudo p-values are those of esda's compiled driver (esda 2.x as pinned, seed 3, 99 permutations)."""
    import esda.crand

    w = lat2W(4, 4, rook=False)
    values = pd.Series(np.arange(16.0) ** 1.5 % 7, index=w.id_order)
    esdas = [8, 2, 47, 39, 19, 1, 24, 35, 5, 19, 25, 31, 11, 7, 21, 37]   # (draws as extreme + 1), compiled driver
    for statistic in (GiStarHotspots(values, w, permutations=99, seed=3),
                      LocalMoranClusters(values, w, permutations=99, seed=3)):
        assert list(np.rint(statistic.p_sim.to_numpy() * 100).astype(int)) == esdas
    assert hasattr(esda.crand.compute_chunk, "py_func"), "the compiled driver is back in place afterwards"
