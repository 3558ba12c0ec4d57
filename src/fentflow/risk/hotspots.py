"""Hotspots: where high (or low) risk clusters in space, beyond what one state's score says.

Two local statistics from esda over the states' queen contiguity (binary weights):

- Getis-Ord Gi* (`GiStarHotspots`): the sum of the scores of a state and its neighbours
  against what a random arrangement would give. z > 0 and significant: a hot spot (a cluster
  of high scores); z < 0 and significant: a cold spot. Its z-score is Ord & Getis (1995):

      Gi* = (sum_j w_ij x_j - xbar W_i) / (s sqrt((n W_i - W_i^2) / (n - 1)))

  with w_ii = 1, W_i = sum_j w_ij, xbar and s the mean and (population) standard deviation.
- Local Moran's I (`LocalMoranClusters`): classifies significant states as High-High,
  Low-Low (clusters) or High-Low, Low-High (outliers among their neighbours).

Significance is by conditional permutation (esda's `p_sim`, seeded so results repeat) at
`ALPHA`; esda 2.x computes it "directed" (the smaller tail), its current default. With 32 states
and 999 permutations the smallest attainable p is 0.001; no
correction for multiple tests is applied, so read the labels as exploratory (as esda does).
"""
from __future__ import annotations

import contextlib
import copy
import functools
import threading
import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd

ALPHA = 0.05
PERMUTATIONS = 999
DEFAULT_SEED = 12345
HOT, COLD, NOT_SIGNIFICANT = "hot spot", "cold spot", "not significant"
MORAN_QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}


class GiStarHotspots:
    """Getis-Ord Gi* hot and cold spots of `y` over contiguity weights `w`.

    Parameters
    ----------
    y : pandas.Series
        Values per place, indexed by the ids of `w` (any order: aligned to `w.id_order`).
    w : libpysal.weights.W
        Contiguity weights (binary); the focal place is added (Gi*, "star").
    permutations, seed, alpha : int, int, float
        Conditional permutations, their seed, and the significance level.

    Attributes
    ----------
    z : pandas.Series
        Analytical Gi* z-scores (esda `Zs`).
    p_sim : pandas.Series
        Pseudo p-values from the permutations (esda `p_sim`).
    label : pandas.Series
        "hot spot", "cold spot" or "not significant".
    """

    def __init__(self, y: pd.Series, w, permutations: int = PERMUTATIONS, seed: int = DEFAULT_SEED,
                 alpha: float = ALPHA):
        from esda.getisord import G_Local

        _keep_esda_kernels_compiled()
        ids = list(w.id_order)
        values = y.reindex(ids).to_numpy(float)
        with _quiet_esda(), _permutations_driven_from_python():
            stat = G_Local(values, w, transform="B", star=True, permutations=permutations, n_jobs=1, seed=seed)
        self.z = pd.Series(stat.Zs, index=ids, name="gi_z")
        self.p_sim = pd.Series(stat.p_sim if permutations else stat.p_norm, index=ids, name="gi_p")
        significant = self.p_sim < alpha
        label = np.where(significant & (self.z > 0), HOT, np.where(significant & (self.z < 0), COLD, NOT_SIGNIFICANT))
        self.label = pd.Series(label, index=ids, name="hotspot")


class LocalMoranClusters:
    """Local Moran's I clusters (High-High, Low-Low) and outliers (High-Low, Low-High) of `y`.

    Parameters and alignment as `GiStarHotspots`; weights are row-standardised, as usual for
    Moran's I.

    Attributes
    ----------
    i : pandas.Series
        Local Moran's I (esda `Is`).
    p_sim : pandas.Series
        Pseudo p-values from conditional permutations.
    label : pandas.Series
        The quadrant where significant, else "not significant".
    """

    def __init__(self, y: pd.Series, w, permutations: int = PERMUTATIONS, seed: int = DEFAULT_SEED,
                 alpha: float = ALPHA):
        from esda.moran import Moran_Local

        _keep_esda_kernels_compiled()
        ids = list(w.id_order)
        w = copy.deepcopy(w)   # Moran_Local row-standardises the weights it is given, in place
        with _quiet_esda(), _permutations_driven_from_python():
            stat = Moran_Local(y.reindex(ids).to_numpy(float), w, transformation="r", permutations=permutations,
                               n_jobs=1, seed=seed)
        self.i = pd.Series(stat.Is, index=ids, name="moran_i")
        self.p_sim = pd.Series(stat.p_sim, index=ids, name="moran_p")
        quadrant = pd.Series(stat.q, index=ids).map(MORAN_QUADRANTS)
        self.label = quadrant.where(self.p_sim < alpha, NOT_SIGNIFICANT).rename("moran_cluster")


# esda's kernel that takes the statistic as a compiled function argument. Its type holds that
# function object, so no later process finds a cached copy: each one compiled it afresh and
# appended some 0.6 MB to numba's index, and once the index held an entry whose function
# could not be found again, writing it failed with a ReferenceError in every map and report.
# fentflow runs its plain-Python version instead (`_permutations_driven_from_python`).
NEVER_CACHED = frozenset({"compute_chunk"})
_DRIVER_SWAP = threading.Lock()


@functools.cache
def _keep_esda_kernels_compiled() -> None:
    """Have numba keep esda's permutation kernels on disk, as it keeps fentflow's own.

    esda compiles them with numba in every process without asking numba to cache them, which
    cost 15-35 s before each map or report. Cached, all but `NEVER_CACHED` load from disk (it
    compiles in a few seconds). Only numba's public `enable_caching` is used, and esda without
    numba (plain functions) is left as it is."""
    import esda.crand
    import esda.getisord
    import esda.moran

    for module in (esda.crand, esda.getisord, esda.moran):
        for name, kernel in vars(module).items():
            if name not in NEVER_CACHED and callable(getattr(kernel, "enable_caching", None)):
                kernel.enable_caching()


@contextlib.contextmanager
def _permutations_driven_from_python() -> Iterator[None]:
    """esda's permutations with their driver, `compute_chunk` (`NEVER_CACHED`), run as plain Python.

    Compiled, it cost 6-9 s before every map and report, in every process. Its plain-Python
    version (numba's `py_func`) does the same loop over the places and calls the statistic's own
    kernel, compiled and cached, once per place: the same numbers (every file a map writes is
    byte-identical), and a map takes 2.8 s instead of 8.7. Where esda has no such driver it is
    left as it is."""
    import esda.crand

    compiled = getattr(esda.crand, "compute_chunk", None)
    python = getattr(compiled, "py_func", None)
    if python is None:
        yield
        return
    with _DRIVER_SWAP:
        esda.crand.compute_chunk = python
        try:
            yield
        finally:
            esda.crand.compute_chunk = compiled


@contextlib.contextmanager
def _quiet_esda() -> Iterator[None]:
    """esda 2.x warns on every call that its permutation p-value will change; these constructors
    cannot pass `alternative`, and the warning is not one for users of the map."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The alternative hypothesis", category=DeprecationWarning)
        # esda's simulated z (which we do not use) divides by zero when a permutation
        # distribution is degenerate, as on tiny lattices.
        warnings.filterwarnings("ignore", message="invalid value encountered", category=RuntimeWarning)
        yield
