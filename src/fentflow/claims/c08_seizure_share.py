"""C8: seizures are "maybe 10 percent" of what comes in.

No official estimate of the share exists (ONDCP, DHS and CBP publish none); an unattributed "only 5-10
per cent" circulated in 2022. fentflow's answer is the calibrated one: the share of what
reached the Southwest border in 2022 that was seized, by pure and by gross weight. Two rows,
one per measure; each is consistent if 10% lies inside the 90% interval.

With the shipped calibration (the default) the rows read its posterior-predictive estimates
(`calibrate/data/`) and run no simulation. With other parameters (`--parameters FILE` or
`defaults`) they read the share from the claim context's baseline run with those parameters.
"""
from __future__ import annotations

import math

import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import NOT_CHECKABLE, PRIMARY_NOT_FOUND, ClaimRow
from fentflow.claims.rules import inside, verdict

CLAIM = 'Seizures are "maybe 10 percent" of the fentanyl that comes in (news report, January 2023).'
CLAIMED_SHARE = 0.10
YEAR = 2022                       # the article ran in January 2023: the latest full year
PUBLIC_FIGURE = ('no official estimate (ONDCP/DHS/CBP: none found); an unattributed "only 5-10 per cent" '
                 "(DNA India, 2022); CBP: seizure data reflect only what it discovers")
# The only published figure is unattributed, so it has no primary source.
SOURCE_URL = ("https://www.dnaindia.com/world/report-dea-seizes-over-379-million-deadly-doses-of-fentanyl-enough-"
              "to-kill-every-american-3012034")
MEASURES = {"pure": "pure weight (kg of fentanyl)", "gross": "gross weight (lb of pills and powder, as CBP reports)"}


@register("C8", "seizure share")
def check(context: ClaimContext) -> list[ClaimRow]:
    if getattr(context.parameters, "is_shipped", False):
        shares, origin = _shipped_shares(), "posterior draws"
    else:
        shares, origin = _baseline_shares(context), "runs"
    return [_row(shares, measure, origin) for measure in MEASURES]


def _baseline_shares(context: ClaimContext) -> pd.DataFrame:
    """The seizure share of `YEAR` from the context's baseline, in the layout of the shipped table."""
    table = context.observables["seizure_share"]
    overall = table[(table["year"] == YEAR) & (table["component"] == "all")]
    rows = []
    for measure in MEASURES:
        values = overall[f"share_{measure}"].dropna()
        quantiles = values.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).tolist() if len(values) else [math.nan] * 5
        rows.append({"year": YEAR, "component": "all", "measure": measure, "draws": len(values),
                     **dict(zip(("p05", "p25", "median", "p75", "p95"), quantiles))})
    return pd.DataFrame(rows)


def _shipped_shares() -> pd.DataFrame | None:
    from fentflow.calibrate.shipped import shipped_table

    return shipped_table("seizure_share")


def _row(shares: pd.DataFrame | None, measure: str, origin: str) -> ClaimRow:
    check = f"fentflow calibration ({measure} weight)"
    rule = (f"consistent if {fmt.pct(CLAIMED_SHARE, 0)} lies inside the 90% interval of the posterior-predictive "
            f"share of what reached the Southwest border in {YEAR} that was seized (overall, by {MEASURES[measure]})")
    row = None if shares is None else _overall(shares, measure)
    if row is None:
        return ClaimRow(id="C8", check=check, claim=CLAIM, public_figure=PUBLIC_FIGURE, source_url=SOURCE_URL, primary_url=PRIMARY_NOT_FOUND,
                        fentflow="no shipped calibration (run `fentflow calibrate` and ship its estimates)",
                        verdict=NOT_CHECKABLE, rule=rule, reason="the shipped seizure-share estimates are missing")
    ok = inside(CLAIMED_SHARE, row["p05"], row["p95"])
    return ClaimRow(
        id="C8", check=check, claim=CLAIM, public_figure=PUBLIC_FIGURE, source_url=SOURCE_URL, primary_url=PRIMARY_NOT_FOUND,
        fentflow=(f"{YEAR}: {fmt.pct(row['median'])} seized (50%: {fmt.span(row['p25'], row['p75'], as_pct=True)}; "
                  f"90%: {fmt.span(row['p05'], row['p95'], as_pct=True)}; {int(row['draws'])} {origin})"),
        verdict=verdict(ok), rule=rule, reason=_reason(row, ok, measure),
        numbers={"claimed": CLAIMED_SHARE, "median": row["median"], "p05": row["p05"], "p25": row["p25"],
                 "p75": row["p75"], "p95": row["p95"]},
    )


def _overall(shares: pd.DataFrame, measure: str) -> pd.Series | None:
    chosen = shares[(shares["year"] == YEAR) & (shares["component"] == "all") & (shares["measure"] == measure)]
    if chosen.empty or not all(math.isfinite(chosen.iloc[0][q]) for q in ("p05", "p95")):
        return None
    return chosen.iloc[0]


def _reason(row: pd.Series, ok: bool, measure: str) -> str:
    where = "inside" if ok else ("below" if CLAIMED_SHARE < row["p05"] else "above")
    return (f"10% lies {where} the calibrated 90% interval by {measure} weight. The interval is wide because the "
            "public series pin down what is seized, not what crosses: with detection and DEA's seizure rate halved "
            "and the need per person doubled, twice the supply fits them as well, so the priors on those rates set "
            "the share (`fentflow validate scale`; docs/validation.md, check 5).")
