"""Posterior-predictive simulations: draws from the posterior, run in batches, with their tables.

Draws are taken with replacement in proportion to the ABC-SMC weights (a generator seeded
from the calibration seed), simulated in chunks through the same `Executor` as calibration,
and gathered into:
- `aligned`: the model beside every observed series (fit-check alignment), one row per point
  and draw, for bands, coverage and errors;
- `seizure_share` and `national_annual`: the hidden quantities (seizure shares, attempted
  crossings and consumption in pure kg) per draw and year.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fentflow.calibrate.batch import chunk_predictive, chunks_of
from fentflow.calibrate.executor import Executor
from fentflow.calibrate.posterior import parameter_columns, posterior_weights
from fentflow.calibrate.seeds import derive_seed
from fentflow.calibrate.statistics import TargetSet

log = logging.getLogger(__name__)


@dataclass
class Predictive:
    draws: pd.DataFrame            # replicate -> posterior draw and its parameters
    aligned: pd.DataFrame          # fit-check rows: series, period, time, place, observed, bound, replicate, model
    seizure_share: pd.DataFrame    # replicate, year, component, share_pure, share_gross
    national_annual: pd.DataFrame  # replicate, year, attempted_pure_kg, consumed_pure_kg, ...


def choose_draws(posterior: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """`n` rows of the posterior drawn in proportion to their weights; `replicate` numbers them."""
    rng = np.random.default_rng(derive_seed(seed, "predictive draws"))
    weights = posterior_weights(posterior)
    rows = rng.choice(len(posterior), size=n, replace=True, p=weights / weights.sum())
    chosen = posterior.iloc[rows].reset_index(drop=True)
    return chosen.assign(replicate=np.arange(n))


def posterior_predictive(posterior: pd.DataFrame, n: int, seed: int, targets: TargetSet, executor: Executor,
                         chunk: int, world: str | None = None, anchor_year: int | None = None) -> Predictive:
    """Simulate `n` posterior draws over `targets`' span (e.g. 2015-2023); the violence of the years after
    `anchor_year`, if given, starts from SESNSP's counts of that year (`sim/anchor.py`)."""
    draws = choose_draws(posterior, n, seed)
    params = {column: draws[column].to_numpy(float) for column in parameter_columns(posterior)}
    chunks = chunks_of(params, chunk, derive_seed(seed, "predictive"), targets, world, anchor_year=anchor_year)
    log.info("posterior predictive: %d draws in %d chunks on %s", n, len(chunks), executor.describe())
    parts = list(executor.ordered(chunk_predictive, chunks))
    tables = {name: pd.concat([part[name] for part in parts], ignore_index=True) for name in parts[0]}
    return Predictive(draws, tables["aligned"], tables["seizure_share"], tables["national_annual"])
