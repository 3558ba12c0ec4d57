"""Paired differences: each arm minus the reference arm, run by run, then quantiles across runs.

Runs share seeds and parameter draws across arms (common random numbers), so the difference
of run k is the effect of the levers in that run with the noise they share cancelled; its
5%, 50% and 95% quantiles across runs are the median effect and its 90% interval.

Everything is taken over the report window (calendar years): flows are summed over the
window, shares are ratios of window sums, stocks are read at the window's last year end,
price and potency are means weighted by kg consumed. Tables:

- `differences`: national outcomes (deaths averted, kg consumed and seized, seizure shares,
  price, potency, homicides, people in treatment), absolute and relative.
- `displacement`: each CBP field office's / Border Patrol sector's and component's share of
  attempted crossings and of pure kg seized, and each Mexican state's share of fentanyl flow,
  as changes in percentage points: the balloon effect, where it happens.
- `violence`: homicides by Mexican state.
- `annual`: deaths and kg consumed, year by year (how effects build up or erode).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fentflow.ensemble.summary import METRICS

QUANTILES = (0.05, 0.50, 0.95)
AVERTED, CHANGE, POINTS = "averted", "change", "points"

# metric, label, unit, how the difference is shown
HEADLINE: tuple[tuple[str, str, str, str], ...] = (
    ("deaths", "deaths averted", "deaths", AVERTED),
    ("consumed_pure_kg", "pure kg consumed", "kg", CHANGE),
    ("seized_pure_kg", "pure kg seized (MX+border+US)", "kg", CHANGE),
    ("border_seized_pure_kg", "pure kg seized at border", "kg", CHANGE),
    ("border_seizure_share", "border seizure share, pp", "pp", POINTS),
    ("removed_share", "supply seized/destroyed, pp", "pp", POINTS),
    ("attempted_crossings", "attempted crossings", "loads", CHANGE),
    ("produced_kg", "pure kg produced (MX)", "kg", CHANGE),
    ("homicides_mx", "homicides (MX)", "victims", CHANGE),
    ("price_usd_per_pill", "price, USD/pill", "USD/pill", CHANGE),
    ("potency_mg_per_unit", "potency, mg/unit", "mg/unit", CHANGE),
    ("people_in_treatment", "people in treatment (end)", "persons", CHANGE),
)
SHARES = (("cbp_unit", "attempts"), ("cbp_unit", "seized_pure_kg"), ("component", "attempts"),
          ("component", "seized_pure_kg"), ("mx_state", "fentanyl_flow_kg"))
MEASURE = {"attempts": "attempted crossings", "seized_pure_kg": "pure kg seized",
           "fentanyl_flow_kg": "fentanyl flow"}
ANNUAL_METRICS = ("deaths", "consumed_pure_kg", "homicides_mx")


def in_window(runs: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    return runs[runs["year"].between(*window)]


# National outcomes ----------------------------------------------------------------------------
def national_totals(runs: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """One row per (arm, run): each national metric over the window, and the derived shares."""
    national = in_window(runs[runs["table"] == "national"], window)
    wide = national.pivot_table(index=["arm", "run", "year"], columns="metric", values="value", sort=True)
    by_run = wide.groupby(level=["arm", "run"], sort=False)
    totals = pd.DataFrame(index=by_run.size().index)
    consumed = wide["consumed_pure_kg"]
    for metric, (_, how) in METRICS.items():
        if how == "sum":
            totals[metric] = by_run[metric].sum()
        elif how == "last":
            totals[metric] = by_run[metric].last()
        else:
            totals[metric] = (wide[metric] * consumed).groupby(level=["arm", "run"], sort=False).sum() / \
                by_run["consumed_pure_kg"].sum()
    return _with_derived(totals)


def _with_derived(totals: pd.DataFrame) -> pd.DataFrame:
    seized = totals[["mexico_seized_pure_kg", "border_seized_pure_kg", "domestic_seized_pure_kg"]].sum(axis=1)
    removed = seized + totals["destroyed_pure_kg"] + totals["precursor_seized_kg"]
    return totals.assign(
        seized_pure_kg=seized,
        border_seizure_share=totals["border_seized_pure_kg"] / totals["attempted_pure_kg"],
        removed_share=removed / totals["precursor_inflow_kg"])


def differences(totals: pd.DataFrame, reference: str, arms: Sequence[str]) -> pd.DataFrame:
    rows = []
    for arm in arms:
        for metric, label, unit, how in HEADLINE:
            base, other = paired_values(totals[metric], reference, arm)
            diff = base - other if how == AVERTED else other - base
            scale = 100.0 if how == POINTS else 1.0
            pct = np.full_like(diff, np.nan) if how == POINTS else 100.0 * diff / np.where(base != 0, base, np.nan)
            rows.append({"arm": arm, "metric": metric, "label": label, "unit": unit,
                         "baseline_p50": scale * np.median(base), "arm_p50": scale * np.median(other),
                         **_quantiles("diff", scale * diff), **_quantiles("pct", pct), "runs": len(diff)})
    return pd.DataFrame(rows)


# Displacement and violence --------------------------------------------------------------------
def place_totals(runs: pd.DataFrame, window: tuple[int, int], table: str, metric: str) -> pd.DataFrame:
    """(arm, run) x place: a metric summed over the window, places in store order."""
    rows = in_window(runs[(runs["table"] == table) & (runs["metric"] == metric)], window)
    places = list(dict.fromkeys(rows["place"]))
    wide = rows.pivot_table(index=["arm", "run"], columns="place", values="value", aggfunc="sum", sort=True)
    return wide[places]


def displacement(runs: pd.DataFrame, window: tuple[int, int], reference: str, arms: Sequence[str]) -> pd.DataFrame:
    rows = []
    for table, metric in SHARES:
        totals = place_totals(runs, window, table, metric)
        shares = totals.div(totals.sum(axis=1).replace(0, np.nan), axis=0)
        for arm in arms:
            for place in shares.columns:
                base, other = paired_values(shares[place], reference, arm)
                rows.append({"arm": arm, "level": table, "place": place, "measure": MEASURE[metric],
                             "baseline_share_pct": 100 * np.nanmedian(base),
                             "arm_share_pct": 100 * np.nanmedian(other),
                             **_quantiles("change_pp", 100 * (other - base))})
    return pd.DataFrame(rows)


def violence(runs: pd.DataFrame, window: tuple[int, int], reference: str, arms: Sequence[str]) -> pd.DataFrame:
    totals = place_totals(runs, window, "mx_state", "homicides")
    rows = []
    for arm in arms:
        for state in totals.columns:
            base, other = paired_values(totals[state], reference, arm)
            rows.append({"arm": arm, "state": state, "baseline_p50": np.median(base),
                         **_quantiles("change", other - base),
                         **_quantiles("pct", 100 * (other - base) / np.where(base > 0, base, np.nan))})
    return pd.DataFrame(rows)


def annual(runs: pd.DataFrame, reference: str, arms: Sequence[str]) -> pd.DataFrame:
    """Paired differences (arm minus reference) of a few national metrics, year by year."""
    national = runs[(runs["table"] == "national") & runs["metric"].isin(ANNUAL_METRICS)]
    wide = national.pivot_table(index=["arm", "run"], columns=["metric", "year"], values="value", sort=True)
    rows = []
    for arm in arms:
        for metric, year in wide.columns:
            base, other = paired_values(wide[(metric, year)], reference, arm)
            rows.append({"arm": arm, "metric": metric, "year": int(year), "baseline_p50": np.median(base),
                         **_quantiles("diff", other - base),
                         **_quantiles("pct", 100 * (other - base) / np.where(base != 0, base, np.nan))})
    return pd.DataFrame(rows)


def annual_values(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One national metric per (arm, run) row and calendar-year column: the material of `annual`."""
    national = runs[(runs["table"] == "national") & (runs["metric"] == metric)]
    return national.pivot_table(index=["arm", "run"], columns="year", values="value", sort=True)


def quantiles(values: np.ndarray) -> tuple[float, float, float]:
    """5%, 50% and 95% quantiles of the finite values (NaN when there are none)."""
    q = _quantiles("q", np.asarray(values, float))
    return q["q_p05"], q["q_p50"], q["q_p95"]


# Pairing and quantiles --------------------------------------------------------------------------------------
def paired_values(series: pd.Series, reference: str, arm: str) -> tuple[np.ndarray, np.ndarray]:
    """The reference's and the arm's values of an (arm, run)-indexed series, matched run by run."""
    base, other = series.xs(reference, level="arm"), series.xs(arm, level="arm")
    runs = base.index.intersection(other.index).sort_values()
    return base.loc[runs].to_numpy(float), other.loc[runs].to_numpy(float)


def _quantiles(prefix: str, values: np.ndarray) -> dict[str, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return {f"{prefix}_p{round(100 * q):02d}": np.nan for q in QUANTILES}
    return {f"{prefix}_p{round(100 * q):02d}": float(v) for q, v in zip(QUANTILES, np.quantile(finite, QUANTILES))}
