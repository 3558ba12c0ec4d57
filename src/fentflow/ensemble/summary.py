"""What one run keeps: small annual tables, not weekly per-market arrays.

A run's result is one long table (`COLUMNS`), one row per (table, place, year, metric):

| table | places | metrics |
|---|---|---|
| national | US | deaths, pure kg consumed / produced / seized (Mexico, border, domestic) / destroyed, precursor inflow and seizures, attempted crossings, Mexican homicides, people in and out of treatment (year end), consumption-weighted price per pill and potency |
| component | port, between | attempts, attempted / seized pure kg, seizure events |
| cbp_unit | CBP field offices and Border Patrol sectors | the same |
| mx_state | 32 Mexican states | homicides, fentanyl flow (pure kg entering, produced in or passing through) |

`METRICS` says how each national metric adds up over several years: `sum` (flows), `last`
(stocks at year end) or `weighted` (a mean weighted by kg consumed).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.sim import yearly
from fentflow.sim.results import Results

COLUMNS = ("table", "place", "year", "metric", "value")
NATIONAL_PLACE = "US"
COMPONENT_OF = {True: "port", False: "between"}

# national metric -> (result it comes from, how years combine)
METRICS: dict[str, tuple[str, str]] = {
    "deaths": ("deaths", "sum"),
    "consumed_pure_kg": ("consumed_pure_kg", "sum"),
    "produced_kg": ("produced_kg", "sum"),
    "precursor_inflow_kg": ("precursor_inflow_kg", "sum"),
    "precursor_seized_kg": ("precursor_seized_kg", "sum"),
    "destroyed_pure_kg": ("destroyed_kg", "sum"),
    "mexico_seized_pure_kg": ("mexico_seized_kg", "sum"),
    "attempted_pure_kg": ("attempted_pure_kg", "sum"),
    "border_seized_pure_kg": ("seized_pure_kg", "sum"),
    "domestic_seized_pure_kg": ("domestic_seized_pure_kg", "sum"),
    "attempted_crossings": ("attempts", "sum"),
    "homicides_mx": ("homicides", "sum"),
    "people_in_treatment": ("people_in_treatment", "last"),
    "people_active_use": ("people_active_use", "last"),
    "price_usd_per_pill": ("price_usd_per_pill", "weighted"),
    "potency_mg_per_unit": ("potency_mg_per_unit", "weighted"),
}
CROSSING_METRICS = {"attempts": "attempts", "attempted_pure_kg": "attempted_pure_kg",
                    "seized_pure_kg": "seized_pure_kg", "seizure_events": "seizure_events"}
STATE_METRICS = {"homicides": "homicides", "fentanyl_flow_kg": "fentanyl_flow_kg"}


def summarize(results: Results, net) -> pd.DataFrame:
    """The long table of every replicate of a finished simulation, with a `replicate` column."""
    years = yearly.period_years(results)
    parts = [_national(results, years), _crossings(results, net, years), _states(results, net, years)]
    return pd.concat(parts, ignore_index=True)


# Building blocks: (year, rep, place) annual arrays --------------------------------------------
def _rows(table: str, annual: np.ndarray, years: np.ndarray, places, metric: str) -> pd.DataFrame:
    """(year, rep, place) -> long rows."""
    unique = np.unique(years)
    n_years, n_reps, n_places = annual.shape
    return pd.DataFrame({
        "replicate": np.tile(np.repeat(np.arange(n_reps), n_places), n_years),
        "table": table,
        "place": np.tile(np.asarray(places, dtype=object), n_years * n_reps),
        "year": np.repeat(unique, n_reps * n_places),
        "metric": metric,
        "value": annual.reshape(-1),
    })


# The tables ---------------------------------------------------------------------------------
def _national(results: Results, years: np.ndarray) -> pd.DataFrame:
    consumed = results["consumed_pure_kg"]
    frames = []
    for metric, (name, how) in METRICS.items():
        values = results[name]
        if how == "sum":
            annual = yearly.sums(values.sum(axis=2, keepdims=True), years)
        elif how == "last":
            annual = yearly.last(values.sum(axis=2, keepdims=True), years)
        else:
            annual = yearly.weighted_means(values, consumed, years)
        frames.append(_rows("national", annual, years, [NATIONAL_PLACE], metric))
    return pd.concat(frames, ignore_index=True)


def _crossings(results: Results, net, years: np.ndarray) -> pd.DataFrame:
    units = list(dict.fromkeys(net.crossing_unit))                        # world order
    unit_index = np.array([units.index(u) for u in net.crossing_unit])
    components = [COMPONENT_OF[True], COMPONENT_OF[False]]
    component_index = np.where(net.crossing_is_port, 0, 1)
    frames = []
    for metric, name in CROSSING_METRICS.items():
        annual = yearly.sums(results[name], years)                       # (year, rep, crossing)
        frames.append(_rows("cbp_unit", _group(annual, unit_index, len(units)), years, units, metric))
        frames.append(_rows("component", _group(annual, component_index, 2), years, components, metric))
    return pd.concat(frames, ignore_index=True)


def _states(results: Results, net, years: np.ndarray) -> pd.DataFrame:
    frames = [_rows("mx_state", yearly.sums(results[name], years), years, net.states, metric)
              for metric, name in STATE_METRICS.items()]
    return pd.concat(frames, ignore_index=True)


def _group(annual: np.ndarray, index: np.ndarray, n_groups: int) -> np.ndarray:
    out = np.zeros(annual.shape[:2] + (n_groups,))
    for group in range(n_groups):
        out[:, :, group] = annual[:, :, index == group].sum(axis=2)
    return out
