"""The annual table analysts open first: national figures per calendar year and replicate,
then per year their median and 90% bounds over replicates (`statistic` says which row is which).

    year, partial, statistic, replicate, deaths, consumed_pure_kg, ..., seizure_share_pure, seizure_share_gross

`statistic` is "run" for one replicate's row (its number in `replicate`), "median", "p05" or
"p95" for the summaries (`replicate` empty). `partial` is true for a year the run covers only
in part (`fentflow.sim.periods`).
"""
from __future__ import annotations

import pandas as pd

from fentflow.sim.periods import Span

BOUNDS = {"median": 0.5, "p05": 0.05, "p95": 0.95}


def annual_table(observables: dict[str, pd.DataFrame], span: Span) -> pd.DataFrame:
    """One row per year and replicate, then the median, p05 and p95 rows of each year."""
    runs = observables["national_annual"].merge(_overall_shares(observables["seizure_share"]),
                                                on=["replicate", "year"], how="left")
    runs = runs.assign(statistic="run")
    figures = [c for c in runs.columns if c not in ("replicate", "year", "statistic")]
    summaries = [runs.groupby("year", as_index=False)[figures].quantile(q).assign(statistic=name)
                 for name, q in BOUNDS.items()]
    table = pd.concat([runs, *summaries], ignore_index=True)
    table["replicate"] = table["replicate"].astype("Int64")
    table = span.flag(table)
    order = ["year", "partial", "statistic", "replicate", *figures]
    rank = table["statistic"].map({"run": 0, **{name: i + 1 for i, name in enumerate(BOUNDS)}})
    return table.assign(_rank=rank).sort_values(["year", "_rank", "replicate"])[order].reset_index(drop=True)


def _overall_shares(shares: pd.DataFrame) -> pd.DataFrame:
    overall = shares[shares["component"] == "all"]
    return overall.rename(columns={"share_pure": "seizure_share_pure", "share_gross": "seizure_share_gross"})[
        ["replicate", "year", "seizure_share_pure", "seizure_share_gross"]]
