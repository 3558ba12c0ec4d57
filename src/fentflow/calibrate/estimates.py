"""The hidden quantities users ask about, from posterior-predictive draws, with 50% and 90% intervals.

- `seizure_share_table`: per year, the share of what reached the border that was seized, at
  ports of entry, between them and overall, by pure and by gross weight.
- `national_table`: per year, attempted crossings, border seizures and U.S. consumption in
  pure tonnes.
- `rand_comparison`: consumption in 2021 beside RAND's upper bound ("unlikely ... more than
  single-digit pure metric tons", Kilmer et al. 2022; https://www.rand.org/pubs/external_publications/EP68975.html).

Intervals are quantiles over the draws (parameter uncertainty and simulation noise together).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

QUANTILES = {"p05": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}
RAND_YEAR = 2021
RAND_BOUND_T = 10.0        # "single-digit pure metric tons": below 10 t
RAND_SOURCE = "https://www.rand.org/pubs/external_publications/EP68975.html"
KG_PER_TONNE = 1000.0
NATIONAL_TONNES = {"attempted_pure_kg": "attempted_pure_t", "border_seized_pure_kg": "border_seized_pure_t",
                   "consumed_pure_kg": "consumed_pure_t", "produced_kg": "produced_pure_t"}


def _quantiles(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    grouped = frame.groupby(keys)[value]
    out = pd.concat({name: grouped.quantile(q) for name, q in QUANTILES.items()}, axis=1)
    out["draws"] = grouped.count()
    return out.reset_index()


def seizure_share_table(seizure_share: pd.DataFrame, first_year: int = 2019) -> pd.DataFrame:
    """Rows: year, component (port / between / all), measure (pure / gross), quantiles of the share."""
    long = seizure_share[seizure_share["year"] >= first_year].melt(
        id_vars=["replicate", "year", "component"], value_vars=["share_pure", "share_gross"],
        var_name="measure", value_name="share")
    long["measure"] = long["measure"].str.removeprefix("share_")
    return _quantiles(long.dropna(subset=["share"]), ["year", "component", "measure"], "share")


def national_table(national_annual: pd.DataFrame) -> pd.DataFrame:
    """Rows: year, quantity (pure tonnes), quantiles; plus attempted crossings (loads)."""
    tonnes = national_annual[["replicate", "year"]].copy()
    for column, label in NATIONAL_TONNES.items():
        tonnes[label] = national_annual[column] / KG_PER_TONNE
    tonnes["attempted_crossings_loads"] = national_annual["attempted_crossings"]
    long = tonnes.melt(id_vars=["replicate", "year"], var_name="quantity", value_name="value")
    return _quantiles(long, ["year", "quantity"], "value")


def rand_comparison(national_annual: pd.DataFrame) -> dict[str, float]:
    """U.S. consumption in RAND_YEAR (pure tonnes) beside RAND's bound: quantiles and P(below the bound)."""
    consumed = national_annual.loc[national_annual["year"] == RAND_YEAR, "consumed_pure_kg"].to_numpy() / KG_PER_TONNE
    if consumed.size == 0:
        return {"year": RAND_YEAR, "bound_t": RAND_BOUND_T, "draws": 0}
    p05, p25, p50, p75, p95 = np.quantile(consumed, list(QUANTILES.values()))
    return {"year": RAND_YEAR, "bound_t": RAND_BOUND_T, "draws": int(consumed.size), "p05": p05, "p25": p25,
            "median": p50, "p75": p75, "p95": p95, "share_below_bound": float((consumed < RAND_BOUND_T).mean())}
