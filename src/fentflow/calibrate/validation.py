"""Validation of the calibration: synthetic-data recovery, out-of-sample prediction, predictive coverage.

1. `recovery`: draw "true" parameters from the prior, simulate the public series with them,
   calibrate on that synthetic output exactly as on the real data, and check that the
   posterior-predictive intervals of the seizure share cover the true run's seizure share,
   and that the truth's rank in each parameter's posterior is uniform over trials
   (simulation-based calibration, `sbc.py`). Each trial lives in its own directory, so an
   interrupted suite resumes where it stopped.
2. `out_of_sample`: calibrate on data through 2021 only, predict 2022-2023 (violence anchored on
   2021's counts, as projections are), and report the coverage of the 90% predictive intervals
   and the errors on the held-out points.
3. `predictive_coverage`: per observed series, the share of points inside the posterior-
   predictive 90% band, with the fit check's error measures.

Commands (docs/validation.md): `python -m fentflow.calibrate recovery|out-of-sample`.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fentflow.calibrate.batch import Chunk, chunk_predictive
from fentflow.calibrate.budget import Budget
from fentflow.calibrate.calibration import CalibrationSpec, calibrate
from fentflow.calibrate.estimates import seizure_share_table
from fentflow.calibrate.executor import Executor
from fentflow.calibrate.fitcheck import error_table, summarize
from fentflow.calibrate.predictive import Predictive, posterior_predictive
from fentflow.calibrate.priors import FITTED, fitted_parameters, sample_prior
from fentflow.calibrate.sbc import posterior_rank, rank_uniformity
from fentflow.calibrate.seeds import derive_seed
from fentflow.calibrate.statistics import LAST_DATA_YEAR, TargetSet
from fentflow.sim.anchor import last_counted_through

log = logging.getLogger(__name__)

TRIAL_RESULT = "recovery.csv"
SHARE_YEARS = (2019, 2020, 2021, 2022, 2023)


# 1. Synthetic-data recovery ---------------------------------------------------------------------

@dataclass(frozen=True)
class Truth:
    params: dict[str, float]
    statistics: dict[str, float]
    seizure_share: pd.DataFrame      # year, component, share_pure, share_gross of the true run


def simulate_truth(trial: int, seed: int, targets: TargetSet, world: str | None = None) -> Truth:
    """A synthetic data set: prior-drawn parameters, one simulation, its statistics and hidden shares."""
    fitted = fitted_parameters(FITTED)
    draw = sample_prior(fitted, 1, np.random.default_rng(derive_seed(seed, "truth", trial)))
    chunk = Chunk(params=draw, seed=derive_seed(seed, "truth simulation", trial), targets=targets, world=world)
    tables = chunk_predictive(chunk, statistics=True)
    stats = tables["statistics"].drop(columns="replicate").iloc[0]
    return Truth({name: float(values[0]) for name, values in draw.items()},
                 {name: float(value) for name, value in stats.items()},
                 tables["seizure_share"].drop(columns="replicate"))


def recovery_trial(trial: int, budget: Budget, seed: int, out: Path, executor: Executor,
                   targets: TargetSet | None = None) -> pd.DataFrame:
    """One trial: truth, calibration on it, predictive seizure-share intervals beside the true shares."""
    targets = targets or TargetSet()
    directory = Path(out) / f"trial-{trial:02d}"
    if (directory / TRIAL_RESULT).is_file():
        return pd.read_csv(directory / TRIAL_RESULT)
    truth = simulate_truth(trial, seed, targets)
    trial_seed = derive_seed(seed, "trial", trial)
    spec = CalibrationSpec(budget, seed=trial_seed, targets=targets, observed=truth.statistics)
    result = calibrate(spec, directory, executor=executor)
    predictive = posterior_predictive(result.posterior, budget.predictive_draws, trial_seed, targets, executor,
                                      budget.chunk)
    table = _share_coverage(seizure_share_table(predictive.seizure_share), truth.seizure_share)
    table.insert(0, "trial", trial)
    (directory / "truth.json").write_text(json.dumps({"params": truth.params, "statistics": truth.statistics},
                                                     indent=1))
    _parameter_coverage(result.posterior, truth.params).to_csv(directory / "parameters.csv", index=False)
    table.to_csv(directory / TRIAL_RESULT, index=False)
    return pd.read_csv(directory / TRIAL_RESULT)      # the same types whether just computed or resumed


def _share_coverage(intervals: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    true_long = truth.melt(id_vars=["year", "component"], value_vars=["share_pure", "share_gross"],
                           var_name="measure", value_name="truth")
    true_long["measure"] = true_long["measure"].str.removeprefix("share_")
    table = intervals.merge(true_long, on=["year", "component", "measure"], how="inner")
    table["covered50"] = (table["p25"] <= table["truth"]) & (table["truth"] <= table["p75"])
    table["covered90"] = (table["p05"] <= table["truth"]) & (table["truth"] <= table["p95"])
    return table[table["year"].isin(SHARE_YEARS)].reset_index(drop=True)


def _parameter_coverage(posterior: pd.DataFrame, truth: dict[str, float]) -> pd.DataFrame:
    """Per parameter: the truth, the posterior's 90% interval, whether it covers the truth, the truth's rank."""
    from fentflow.calibrate.posterior import weighted_quantiles

    rows = []
    weights = posterior["weight"].to_numpy()
    for name, value in truth.items():
        samples = posterior[name].to_numpy()
        p05, p95 = weighted_quantiles(samples, weights, [0.05, 0.95])
        rows.append({"parameter": name, "truth": value, "p05": p05, "p95": p95, "covered90": p05 <= value <= p95,
                     "rank": posterior_rank(samples, weights, value)})
    return pd.DataFrame(rows)


def trial_parameters(directory: Path) -> pd.DataFrame:
    """A finished trial's parameter table, recomputed from its posterior and truth where an older run lacks ranks."""
    table = pd.read_csv(directory / "parameters.csv")
    if "rank" in table.columns:
        return table
    from fentflow.calibrate.posterior import read_posterior

    truth = json.loads((directory / "truth.json").read_text())["params"]
    return _parameter_coverage(read_posterior(directory / "posterior.parquet"), truth)


def recovery(trials: int, budget: Budget, seed: int, out: Path, executor: Executor,
             targets: TargetSet | None = None, progress: Callable[[int, int], None] | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run (or resume) `trials` recovery trials; return all rows and the coverage summary.

    `progress(done, trials)` is called before the first trial and after each."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = []
    for i in range(trials):
        if progress:
            progress(i, trials)
        tables.append(recovery_trial(i, budget, seed, out, executor, targets))
    if progress:
        progress(trials, trials)
    rows = pd.concat(tables, ignore_index=True)
    summary = recovery_summary(rows)
    rows.to_csv(out / "recovery_trials.csv", index=False)
    summary.to_csv(out / "recovery_summary.csv", index=False)
    parameters = pd.concat([trial_parameters(out / f"trial-{i:02d}") for i in range(trials)])
    parameters.groupby("parameter")["covered90"].mean().rename("coverage90").to_csv(out / "recovery_parameters.csv")
    rank_uniformity(parameters).to_csv(out / "recovery_sbc.csv", index=False)
    return rows, summary


def recovery_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the 50% and 90% intervals per component and measure (pooled over years) and per year."""
    pooled = rows.groupby(["component", "measure"]).agg(trials=("trial", "nunique"), points=("truth", "size"),
                                                        coverage50=("covered50", "mean"),
                                                        coverage90=("covered90", "mean")).reset_index()
    pooled.insert(0, "year", "all")
    by_year = rows.groupby(["year", "component", "measure"]).agg(
        trials=("trial", "nunique"), points=("truth", "size"), coverage50=("covered50", "mean"),
        coverage90=("covered90", "mean")).reset_index()
    by_year["year"] = by_year["year"].astype(str)
    return pd.concat([pooled, by_year], ignore_index=True)


# 2. Out of sample --------------------------------------------------------------------------------

def out_of_sample(budget: Budget, seed: int, out: Path, executor: Executor, fit_through: int = 2021,
                  predict_through: int = LAST_DATA_YEAR, start: str = "2015-01-01", progress=None) -> dict[str, pd.DataFrame]:
    """Calibrate on data through `fit_through`, predict to `predict_through`, score the held-out points.

    The prediction starts each state's violence from SESNSP's count of `fit_through`, as every
    projection past the data does (`sim/anchor.py`); `errors_unanchored` scores the same draws
    without that anchor.

    `progress` hears of the calibration's generations (`fentflow.calibrate.sampler.Progress`)."""
    out = Path(out)
    fit_targets = TargetSet(start=start, end=f"{fit_through}-12-31", data_end=fit_through)
    result = calibrate(CalibrationSpec(budget, seed=seed, targets=fit_targets), out, executor=executor,
                       progress=progress)
    predict_targets = TargetSet(start=start, end=f"{predict_through}-12-31", data_end=predict_through)

    def scores(anchor_year: int | None) -> dict[str, pd.DataFrame]:
        predictive = posterior_predictive(result.posterior, budget.predictive_draws, seed, predict_targets, executor,
                                          budget.chunk, anchor_year=anchor_year)
        return held_out_scores(predictive, fit_through)

    tables = scores(last_counted_through(fit_through))            # as fentflow projects: violence anchored
    tables["errors_unanchored"] = scores(None)["errors"]          # the same draws and dice, for comparison
    for name, table in tables.items():
        table.to_csv(out / f"out_of_sample_{name}.csv", index=False)
    return tables


def held_out_scores(predictive: Predictive, fit_through: int) -> dict[str, pd.DataFrame]:
    """Coverage and errors on the points after `fit_through` (held out) and up to it (fitted)."""
    aligned = predictive.aligned.assign(year=predictive.aligned["period"].map(_year))
    held_out = aligned[aligned["year"] > fit_through]
    fitted = aligned[aligned["year"] <= fit_through]
    points = summarize(held_out.drop(columns="year"))
    return {"points": points, "errors": error_table(held_out.drop(columns="year")),
            "errors_in_sample": error_table(fitted.drop(columns="year"))}


def _year(period: str) -> int:
    return int(re.search(r"\d{4}", str(period)).group())


# 3. Posterior-predictive coverage ----------------------------------------------------------------

def predictive_coverage(predictive: Predictive) -> pd.DataFrame:
    """Per observed series: points, 90%-band coverage and error measures of the predictive draws."""
    return error_table(predictive.aligned)


def pooled_coverage(errors: pd.DataFrame) -> float:
    """Coverage of the 90% bands over all exact points of all series."""
    n = errors["n"].to_numpy(float)
    coverage = errors["coverage_90"].to_numpy(float)
    ok = np.isfinite(coverage)
    return float((coverage[ok] * n[ok]).sum() / n[ok].sum()) if ok.any() else float("nan")
