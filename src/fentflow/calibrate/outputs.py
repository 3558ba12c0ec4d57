"""Everything a calibration writes beside its history: tables, charts and a JSON summary.

    out/
      posterior.parquet         the last generation: parameters, weight, distance (calibration.py)
      generations.csv           epsilon, simulations and acceptance per generation (calibration.py)
      posterior_summary.csv     per parameter: prior range, posterior median, 50% and 90% intervals
      learning.csv              per parameter: posterior / prior 90% interval width (learning.py)
      marginals.png             posterior marginals on their prior ranges
      predictive/               posterior-predictive bands against every observed series (PNG),
                                points.csv (bands per point) and errors.csv (coverage, errors)
      seizure_share.csv/.png    seizure share per year: ports of entry / between / overall, pure / gross
      national.csv              attempted crossings, seizures and consumption, pure tonnes per year
      summary.json              the headline numbers: seizure shares, RAND comparison, coverage
"""
from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import pandas as pd

from fentflow.calibrate.estimates import national_table, rand_comparison, seizure_share_table
from fentflow.calibrate.fitcheck import FitCheck, error_table, summarize, write_fit_check
from fentflow.calibrate.learning import learning_summary, learning_table
from fentflow.calibrate.plots import plot_marginals, plot_seizure_share
from fentflow.calibrate.posterior import summarize_posterior
from fentflow.calibrate.predictive import Predictive
from fentflow.calibrate.priors import FittedParameter

log = logging.getLogger(__name__)

HEADLINE_YEAR = 2022        # the January 2023 article's most recent full year


def predictive_fit(predictive: Predictive) -> FitCheck:
    """The posterior-predictive draws as a fit check: bands (5-95%) and errors per observed series."""
    return FitCheck(aligned=predictive.aligned, points=summarize(predictive.aligned),
                    errors=error_table(predictive.aligned))


def write_outputs(out: Path, posterior: pd.DataFrame, fitted: tuple[FittedParameter, ...],
                  predictive: Predictive) -> dict[str, Path]:
    out = Path(out)
    paths = {"posterior_summary": out / "posterior_summary.csv", "seizure_share": out / "seizure_share.csv",
             "national": out / "national.csv", "summary": out / "summary.json", "learning": out / "learning.csv"}
    summarize_posterior(posterior, fitted).to_csv(paths["posterior_summary"], index=False)
    learnt = learning_table(posterior, fitted)
    learnt.to_csv(paths["learning"], index=False)
    paths["marginals"] = plot_marginals(posterior, fitted, out / "marginals.png")
    fit = predictive_fit(predictive)
    write_fit_check(fit, out / "predictive")
    shares = seizure_share_table(predictive.seizure_share)
    shares.to_csv(paths["seizure_share"], index=False)
    paths["seizure_share_png"] = plot_seizure_share(shares, out / "seizure_share.png")
    national = national_table(predictive.national_annual)
    national.to_csv(paths["national"], index=False)
    summary = {**headline(shares, national, predictive, fit), "learning": learning_summary(learnt)}
    paths["summary"].write_text(json.dumps(summary, indent=1, default=_json_number))
    log.info("calibration outputs written to %s", out)
    return paths


def headline(shares: pd.DataFrame, national: pd.DataFrame, predictive: Predictive, fit: FitCheck) -> dict:
    """The numbers a reader wants first."""
    overall = shares[shares["component"] == "all"]
    per_year = {f"{row.year}_{row.measure}": _interval(row) for row in overall.itertuples()}
    consumed = national[national["quantity"] == "consumed_pure_t"]
    attempted = national[national["quantity"] == "attempted_pure_t"]
    errors = fit.errors.set_index("series")
    return {
        "draws": int(predictive.draws.shape[0]),
        "seizure_share_overall": per_year,
        "consumed_pure_t": {str(row.year): _interval(row) for row in consumed.itertuples()},
        "attempted_pure_t": {str(row.year): _interval(row) for row in attempted.itertuples()},
        "rand_2021": rand_comparison(predictive.national_annual),
        "coverage_90": {series: _clean(errors.loc[series, "coverage_90"]) for series in errors.index},
        "male": {series: _clean(errors.loc[series, "male"]) for series in errors.index},
    }


def _interval(row) -> dict[str, float]:
    return {"median": row.median, "p25": row.p25, "p75": row.p75, "p05": row.p05, "p95": row.p95}


def _clean(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _json_number(value):
    return float(value) if hasattr(value, "__float__") else str(value)
