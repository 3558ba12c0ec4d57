"""The posterior as a table: one row per particle of the last generation, natural-scale parameters.

Columns: `draw`, the calibrated parameters (simulator names and units), `weight` (ABC-SMC
importance weights, times the regression adjustment's kernel when adjusted; summing to 1),
`distance` and `generation`. The same layout is what `fentflow.sim.sources.PosteriorDraws`
reads, so `run` and `compare` can use it.

`load_default_posterior()` returns the posterior shipped with the package (see
`calibrate/data/README.md` for the command that produced it).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from fentflow.calibrate import accepted
from fentflow.calibrate.priors import FittedParameter
from fentflow.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_POSTERIOR = "data/posterior.parquet"
BOOKKEEPING = ("draw", "weight", "distance", "generation")


def posterior_from_history(history, fitted: tuple[FittedParameter, ...], t: int | None = None,
                           targets=None, observed: dict[str, float] | None = None) -> pd.DataFrame:
    """Generation `t` (default: the last) of a pyABC history as a posterior table; with `targets`
    (the calibration's `TargetSet`), fitted to `observed`, the statistics the calibration fitted
    (default: the public series'; a recovery trial's are synthetic): each particle's overdose
    hazard moved to the one that fits its deaths best, as the distance judged it (`deaths_scale.py`),
    then every parameter but those of `deaths_scale.EXACT` regression-adjusted (`adjustment.py`);
    `calibrate()` then fits those two exactly (`deaths_scale.refit`)."""
    # Imported here, as the adjustment is below: what only reads a posterior (`fentflow run`) needs
    # neither, nor the scikit-learn they bring (1.5 s to import).
    from fentflow.calibrate.deaths_scale import DeathsScale
    t = history.max_t if t is None else t
    particles = history.get_population(t=t).particles
    theta = pd.DataFrame([{p.fit_name: float(particle.parameter[p.fit_name]) for p in fitted}
                          for particle in particles])
    weights = np.array([particle.weight for particle in particles], dtype=float)
    distances = np.array([float(particle.distance) for particle in particles])
    if targets is not None:
        observed = targets.observed if observed is None else observed
        statistics = accepted.statistics(history, t, particles)
        scale = DeathsScale.of(fitted, list(targets.weights))
        if scale is not None:
            theta, statistics = scale.rescaled(theta, statistics, observed)
        theta, weights = _adjusted(theta, _misses(statistics, targets.weights, observed), weights, distances, fitted)
    rows = {p.name: [p.to_natural(value) for value in theta[p.fit_name]] for p in fitted}
    return pd.DataFrame({"draw": np.arange(len(particles)), **rows, "weight": weights / weights.sum(),
                         "distance": distances, "generation": int(t)})


def _adjusted(theta, misses, weights, distances, fitted):
    """The regression adjustment of every parameter but those fitted exactly afterwards (`EXACT`)."""
    from fentflow.calibrate.adjustment import adjust
    from fentflow.calibrate.deaths_scale import EXACT
    others = tuple(p for p in fitted if p.name not in EXACT)
    adjusted, weights = adjust(theta[[p.fit_name for p in others]], misses, weights, distances, others)
    return theta.assign(**{column: adjusted[column] for column in adjusted.columns}), weights


def _misses(statistics: pd.DataFrame, weights: dict[str, float], observed: dict[str, float]) -> np.ndarray:
    """(particle, statistic): (simulated - observed) x the statistic's weight in the distance."""
    names = list(weights)
    simulated = statistics[names].to_numpy(float)
    return (simulated - np.array([observed[name] for name in names])) * np.array([weights[name] for name in names])


def with_held(posterior: pd.DataFrame, held: dict[str, float], order: Sequence[str]) -> pd.DataFrame:
    """The posterior with each held parameter as a constant column, parameters in `order`, so whatever
    runs from the table (predictive draws, `run --parameters`) runs with the values the calibration held."""
    if not held:
        return posterior
    posterior = posterior.assign(**held)
    names = [name for name in order if name in posterior.columns]
    return posterior[["draw", *names, *[c for c in BOOKKEEPING if c != "draw"]]]


def parameter_columns(posterior: pd.DataFrame) -> list[str]:
    return [column for column in posterior.columns if column not in BOOKKEEPING]


def write_posterior(posterior: pd.DataFrame, path: str | Path) -> Path:
    path = Path(path)
    posterior.to_parquet(path, index=False)
    return path


def read_posterior(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InputError("posterior file not found", file=str(path))
    try:
        return pd.read_parquet(path)
    except Exception as exc:   # pyarrow raises several types for a file that is not Parquet
        raise InputError(f"cannot read as Parquet ({exc})", file=str(path)) from None


def default_posterior_path() -> Path:
    """Path of the shipped posterior (a file inside the installed package)."""
    from fentflow.calibrate.shipped import shipped_path
    return shipped_path(DEFAULT_POSTERIOR)


def load_default_posterior() -> pd.DataFrame:
    """The shipped posterior draws: parameter columns, `weight` (sums to 1), `distance`, `generation`."""
    return read_posterior(default_posterior_path())


def posterior_weights(posterior: pd.DataFrame) -> np.ndarray:
    """The draws' weights, or equal ones for a table of draws without a `weight` column."""
    return posterior["weight"].to_numpy(float) if "weight" in posterior else np.ones(len(posterior))


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: list[float]) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted empirical distribution, midpoint rule)."""
    order = np.argsort(values)
    values, weights = np.asarray(values)[order], np.asarray(weights, dtype=float)[order]
    cumulative = (np.cumsum(weights) - 0.5 * weights) / weights.sum()
    return np.interp(qs, cumulative, values)


def summarize_posterior(posterior: pd.DataFrame, fitted: tuple[FittedParameter, ...]) -> pd.DataFrame:
    """Per parameter: prior bounds, weighted posterior median with 50% and 90% intervals."""
    rows = []
    weights = posterior["weight"].to_numpy()
    for p in fitted:
        q05, q25, q50, q75, q95 = weighted_quantiles(posterior[p.name].to_numpy(), weights,
                                                     [0.05, 0.25, 0.5, 0.75, 0.95])
        low, high = p.natural_bounds
        rows.append({"parameter": p.name, "prior": "loguniform" if p.log_scale else "uniform", "prior_low": low,
                     "prior_high": high, "p05": q05, "p25": q25, "median": q50, "p75": q75, "p95": q95,
                     "interval90_share_of_prior": _share_of_prior(p, q05, q95)})
    return pd.DataFrame(rows)


def _share_of_prior(p: FittedParameter, low: float, high: float) -> float:
    """Width of the 90% interval as a share of the prior's width, on the fitting scale (about 0.9 = nothing learnt)."""
    return (p.to_fit_scale(high) - p.to_fit_scale(low)) / (p.high - p.low)
