"""The parameters that act on deaths only, fitted exactly rather than sampled.

Two parameters act on deaths and on nothing else: `overdose_hazard` scales them, and
`lethal_pill_hazard` adds hazard in proportion to the share of pills carrying >= 2 mg. Both
are found exactly for each particle, in two places.

**In the distance: the scale.** A run's expected overdose deaths are proportional to `overdose_hazard`, and nothing else in
the run depends on it: `demand.py` multiplies every market's hazard by it, and the dead are
replaced, so prevalence, consumption and every other output stay as they were. Given one
simulation, any other hazard would give the same run with every year's deaths multiplied by
the ratio of the two values. So for each simulated particle, the hazard that fits CDC's deaths
best is known without simulating again:

- the distance counts the deaths group as the mean absolute error of ln deaths, so the best
  shift of a particle's ln deaths is minus the median of its yearly misses;
- the shift is kept so that the hazard stays inside its prior (beyond it, the remaining miss
  counts, as before);
- the distance judges the particle's deaths after that shift (their shape over the years),
  and the posterior holds the shifted hazard.

Why: sampled like the others, the hazard absorbed the tolerance that the misfitting series
leave. In the posterior shipped before (docs/calibration.md), the hazard's 90% interval was
0.89 of its prior's width, and its draws spread CDC's deaths over ±65-95% in 2021-2023,
while one parameter set's replicates differ by under 10%.

The shift is exact for the expected deaths; the statistic is ln(deaths + 1), and the drawn
deaths are Poisson, so a rerun at the new hazard differs by the Poisson noise, under 1% of a
year's thousands of deaths (`tests/test_calibrate_deaths_scale.py` reruns one).

**In the posterior: both.** The regression adjustment moves the other parameters, and with
them the deaths, by amounts it does not simulate. So it leaves these two alone (`EXACT`), and
each adjusted particle is then simulated twice, with no extra hazard from lethal pills and
with one unit of it: a year's expected deaths are hazard x (base + lethal x extra), linear in
both, so these two runs give every (hazard, lethal) pair's deaths. Each particle takes the
pair that fits CDC's deaths best under the distance's own measure (the mean absolute error of
ln deaths over the years), inside the priors: the lethal term on a grid of its prior, the
hazard in closed form. The lethal term sets how fast deaths rise as pills grow stronger
(DEA's >= 2 mg share, 2019-2023), the hazard their level.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.calibrate.priors import FittedParameter
from fentflow.calibrate.statistics import group_of

PARAMETER = "overdose_hazard"
LETHAL = "lethal_pill_hazard"
EXACT = (PARAMETER, LETHAL)     # fitted exactly after the regression adjustment, which leaves them alone
GROUP = "cdc_deaths"
LETHAL_GRID = 201               # values of the lethal term tried across its prior


@dataclass(frozen=True)
class DeathsScale:
    """The hazard as fitted (its scale and prior) and the names of the deaths statistics."""

    hazard: FittedParameter
    statistics: tuple[str, ...]

    @classmethod
    def of(cls, fitted: Sequence[FittedParameter], statistics: Sequence[str]) -> DeathsScale | None:
        """The scale of a calibration that fits both the hazard and deaths; None otherwise."""
        hazard = next((p for p in fitted if p.name == PARAMETER), None)
        deaths = tuple(name for name in statistics if group_of(name) == GROUP)
        return cls(hazard, deaths) if hazard is not None and deaths else None

    def shifts(self, misses: np.ndarray, hazard: np.ndarray) -> np.ndarray:
        """The change of ln deaths (= of ln hazard) that best fits, within the prior, for each row
        of `misses` (..., deaths statistic: simulated - observed); `hazard` (natural scale)
        broadcasts against the rows."""
        low, high = self.hazard.natural_bounds
        return np.clip(-np.median(misses, axis=-1), np.log(low / hazard), np.log(high / hazard))

    def natural(self, values) -> np.ndarray:
        """Hazards on the fitting scale, in deaths per user-week."""
        return np.array([self.hazard.to_natural(value) for value in np.atleast_1d(values)], dtype=float)

    def rescaled_one(self, statistics: Mapping[str, float], observed: Mapping[str, float],
                     hazard: float) -> dict[str, float]:
        """One particle's statistics with its deaths at the best-fitting hazard (what the distance judges)."""
        misses = np.array([[statistics[name] - observed[name] for name in self.statistics]])
        shift = float(self.shifts(misses, self.natural(hazard))[0])
        rescaled = dict(statistics)
        for name in self.statistics:
            rescaled[name] += shift
        return rescaled

    def rescaled(self, theta: pd.DataFrame, statistics: pd.DataFrame,
                 observed: Mapping[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Particles (fitting scale, a column per parameter) and their statistics, the hazard and
        the deaths moved together to the best fit."""
        names = list(self.statistics)
        misses = statistics[names].to_numpy(float) - np.array([observed[name] for name in names])
        natural = self.natural(theta[self.hazard.fit_name].to_numpy(float))
        shift = self.shifts(misses, natural)
        theta = theta.assign(**{self.hazard.fit_name: [self.hazard.to_fit_scale(value)
                                                       for value in natural * np.exp(shift)]})
        statistics = statistics.copy()
        statistics[names] = statistics[names].to_numpy(float) + shift[:, None]
        return theta, statistics


def refit(posterior: pd.DataFrame, fitted: Sequence[FittedParameter], simulate,
          observed: Mapping[str, float], statistics: Sequence[str]) -> pd.DataFrame:
    """The posterior (natural scale) with each particle's hazard and lethal term at their best fit.

    `simulate(parameters)` runs the particles with the given natural-scale parameter
    columns, one run per particle with the same random numbers in every call, and returns their
    summary statistics (a row per particle)."""
    by_name = {p.name: p for p in fitted}
    scale = DeathsScale.of(fitted, statistics)
    if scale is None or LETHAL not in by_name:
        return posterior
    names = list(scale.statistics)
    values = {p.name: posterior[p.name].to_numpy(float) for p in fitted}
    base = _deaths(simulate({**values, LETHAL: np.zeros(len(posterior))}), names)
    extra = _deaths(simulate({**values, LETHAL: np.ones(len(posterior))}), names) - base
    target = np.exp(np.array([observed[name] for name in names]))
    lethal, shift = _best_pairs(base, extra, target, values[PARAMETER], by_name[LETHAL], scale)
    return posterior.assign(**{PARAMETER: values[PARAMETER] * np.exp(shift), LETHAL: lethal})


def _deaths(statistics: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Deaths per particle and year from their statistics, ln(deaths + 1)."""
    return np.exp(statistics[names].to_numpy(float)) - 1.0


def _best_pairs(base, extra, target, hazard, lethal: FittedParameter, scale: DeathsScale):
    """Per particle, the lethal term (a grid over its prior) and the ln-hazard shift that minimise
    the sum over years of |ln simulated - ln observed|."""
    grid = np.linspace(*lethal.natural_bounds, LETHAL_GRID)
    deaths = base[:, None, :] + grid[None, :, None] * extra[:, None, :]       # particle, grid, year
    misses = np.log(np.maximum(deaths, 1.0)) - np.log(target)
    shift = scale.shifts(misses, hazard[:, None])                             # particle, grid
    best = np.abs(misses + shift[..., None]).sum(axis=-1).argmin(axis=1)
    rows = np.arange(len(hazard))
    return grid[best], shift[rows, best]
