"""How stable is each state's level when the index's weights and cut points move?

Variance-based (Sobol) sensitivity with SALib: the index's six choices below are sampled
together over their ranges (Saltelli/Sobol' sequence, seeded), each state's level is recomputed
for every sample (the indicator scores stay fixed: this is about the method's choices, not the
data), and for each state we report

- stability: the share of samples that give the state its default level;
- the share of samples in each level, and the lowest and highest level seen;
- Sobol first-order (S1) and total-order (ST) indices of the state's position relative to the
  level boundaries (score - cut shift: the level is that position read against the default cut
  points) to each choice, so the choice that moves the state toward or across a boundary the
  most is named. The position is continuous, so its indices are well estimated; indices of the
  level itself, a step function that rarely moves for most states, are not.

Only the index is recomputed, never the simulation, so thousands of samples take milliseconds.
"""
from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from fentflow.risk.aggregate import shifted_geometric_mean
from fentflow.risk.levels import level_number
from fentflow.risk.method import EXPOSURE, HAZARD

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Factor:
    name: str
    low: float
    high: float
    why: str
    label: str = ""     # a few words for readers (the report's "most influential" column)


# The ranges are wide on purpose: each spans the choices a reasonable analyst could defend.
FACTORS: tuple[Factor, ...] = (
    Factor("hazard_weight", 0.3, 0.7, "weight of hazard against exposure (default 0.5): from 30/70 to 70/30",
           "hazard vs exposure weight"),
    Factor("homicide_share", 0.25, 0.75, "share of the hazard given to the observed homicide rate rather than "
                                         "the model's conflict intensity (default 0.5)", "homicide vs conflict share"),
    Factor("production_weight", 1 / 6, 1 / 2, "relative weight of production in exposure (default 1/3), "
                                              "renormalised with the other two", "production weight"),
    Factor("transit_weight", 1 / 6, 1 / 2, "relative weight of transit in exposure (default 1/3)", "transit weight"),
    Factor("precursor_entry_weight", 1 / 6, 1 / 2, "relative weight of precursor entry in exposure (default 1/3)",
           "precursor-entry weight"),
    Factor("cut_shift", -0.5, 0.5, "all four cut points moved together by up to half a point of the 0-10 scale",
           "cut points"),
)
SAMPLES = 512          # Sobol' base sample (a power of 2); SAMPLES x (factors + 2) evaluations
RESAMPLES = 100        # bootstrap resamples for SALib's confidence intervals
DEFAULT_SEED = 20230101


class LevelSensitivity:
    """Sobol sensitivity of each state's risk level to the index's weights and cut points.

    Parameters
    ----------
    index : RiskIndex
        A fitted index; its indicator scores, default weights and cut points are the centre.
    samples : int
        Sobol' base sample size N (a power of 2); N x (k + 2) level evaluations.
    seed : int
        Seeds the Sobol' scrambling and SALib's bootstrap: same inputs and seed, same output.
    factors : tuple of Factor
        The choices varied and their ranges; default `FACTORS`.

    Attributes
    ----------
    design : pandas.DataFrame
        The sampled factor values, one row per evaluation.
    level_samples : numpy.ndarray
        (evaluations, places) level numbers, 0 (Low) ... 4 (Extreme).
    stability : pandas.Series
        Share of evaluations giving each place its default level.
    level_shares : pandas.DataFrame
        Share of evaluations in each level (columns: level names).
    positions : numpy.ndarray
        (evaluations, places) score minus cut shift: the position read against the default cut points.
    first_order, total_order : pandas.DataFrame
        Sobol S1 and ST of each place's position to each factor (places x factors), clipped to [0, 1].
    """

    def __init__(self, index, samples: int = SAMPLES, seed: int = DEFAULT_SEED,
                 factors: tuple[Factor, ...] = FACTORS):
        from SALib.sample import sobol as sobol_sample   # deferred: SALib imports slowly

        self.index, self.factors, self.seed = index, factors, seed
        self.problem = {"num_vars": len(factors), "names": [f.name for f in factors],
                        "bounds": [[f.low, f.high] for f in factors]}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)   # SALib nags about sample sizes it accepts
            design = sobol_sample.sample(self.problem, samples, calc_second_order=False, seed=seed)
        self.design = pd.DataFrame(design, columns=self.problem["names"])
        self.positions = self._positions(design)
        self.level_samples = level_number(self.positions, index.method.cut_points)
        places = index.score.index
        default = index.level_number.to_numpy()
        self.stability = pd.Series((self.level_samples == default).mean(axis=0), index=places, name="stability")
        self.level_shares = self._level_shares(places)
        self.first_order, self.total_order = self._sobol(places)
        log.info("level sensitivity: %d evaluations, mean stability %.2f", len(design), self.stability.mean())

    def _positions(self, design: np.ndarray) -> np.ndarray:
        index, names = self.index, self.problem["names"]
        factor = {name: design[:, k] for k, name in enumerate(names)}
        scores = index.scores[index.method.names].to_numpy()                    # (places, indicators)
        weights = _indicator_weights(index.method, factor)                       # (evaluations, indicators)
        is_hazard = np.array([i.dimension == HAZARD for i in index.method.indicators])
        hazard = weights[:, is_hazard] @ scores[:, is_hazard].T                 # (evaluations, places)
        exposure = weights[:, ~is_hazard] @ scores[:, ~is_hazard].T
        risk = shifted_geometric_mean(hazard, exposure, factor["hazard_weight"][:, None])
        # Moving every cut point up by d classifies a score as the default cut points classify score - d.
        return risk - factor["cut_shift"][:, None]

    def _level_shares(self, places) -> pd.DataFrame:
        levels = self.index.method.levels
        counts = np.stack([(self.level_samples == k).mean(axis=0) for k in range(len(levels))], axis=1)
        return pd.DataFrame(counts, index=places, columns=list(levels))

    def _sobol(self, places) -> tuple[pd.DataFrame, pd.DataFrame]:
        from SALib.analyze import sobol as sobol_analyze

        first = np.zeros((len(places), len(self.factors)))
        total = np.zeros_like(first)
        for p in range(len(places)):
            y = self.positions[:, p]
            if np.ptp(y) == 0:
                continue     # nothing moves this place: no variance to apportion
            result = sobol_analyze.analyze(self.problem, y, calc_second_order=False, num_resamples=RESAMPLES,
                                           seed=self.seed)
            first[p], total[p] = np.clip(result["S1"], 0, 1), np.clip(result["ST"], 0, 1)
        names = self.problem["names"]
        return pd.DataFrame(first, index=places, columns=names), pd.DataFrame(total, index=places, columns=names)

    def table(self) -> pd.DataFrame:
        """Per place: default level, stability, lowest and highest level seen, the most influential choice."""
        levels = np.array(self.index.method.levels)
        most = self.total_order.idxmax(axis=1).where(self.total_order.max(axis=1) > 0, "")
        return pd.DataFrame({
            "level": self.index.level,
            "stability": self.stability,
            "lowest_level": levels[self.level_samples.min(axis=0)],
            "highest_level": levels[self.level_samples.max(axis=0)],
            "most_influential": most,
        }, index=self.stability.index)

    def summary(self) -> Mapping[str, float]:
        """Headline figures: evaluations, mean stability, states whose level holds in >= 90% and 100% of samples."""
        return MappingProxyType({
            "evaluations": float(len(self.design)),
            "mean_stability": float(self.stability.mean()),
            "states_stable_90": float((self.stability >= 0.9).sum()),
            "states_always_same": float((self.stability == 1.0).sum()),
        })


def _indicator_weights(method, factor: Mapping[str, np.ndarray]) -> np.ndarray:
    """(evaluations, indicators) weights within each dimension, renormalised to sum to 1 per dimension."""
    hazard_weight = factor["hazard_weight"]
    columns = []
    for indicator in method.indicators:
        if indicator.name == "homicide_rate":
            columns.append(factor["homicide_share"])
        elif indicator.name == "conflict_intensity":
            columns.append(1.0 - factor["homicide_share"])
        else:
            columns.append(factor.get(f"{indicator.name}_weight", np.full_like(hazard_weight, indicator.weight)))
    weights = np.stack(columns, axis=1)
    for dimension in (HAZARD, EXPOSURE):
        mask = np.array([i.dimension == dimension for i in method.indicators])
        weights[:, mask] /= weights[:, mask].sum(axis=1, keepdims=True)
    return weights
