"""C7: "CBP seized nearly 13,000 lb of the pills in the fiscal year so far" (news report, January 2023).

Two checks. The CBP record: which published fiscal-year-to-date figure the claim matches. The
model: the baseline's Southwest-border seizures over the same months beside CBP's Southwest
series (fentflow models the Southwest border only). 13,000 lb of pills is also put in pure kg
and lethal doses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow, cited
from fentflow.claims.rules import MODEL_FACTOR, band_contains, verdict, within_factor

CLAIM = "CBP seized nearly 13,000 lb of fentanyl pills in the fiscal year so far (news report, January 2023)."
CLAIMED_LB = 13_000
FISCAL_YEAR = 2023                   # the article ran in January 2023: FY2023 began 1 October 2022
MONTHS_TO_DATE = ((2022, 10), (2022, 11), (2022, 12), (2023, 1))
MATCH_FACTOR = 1.10                  # "nearly": within 10% of a published figure
CONVERSION_YEAR = 2022               # the latest DEA potency figures when the article ran


@dataclass(frozen=True)
class ToDate:
    """A published fiscal-year-to-date seizure figure."""

    what: str
    lb: float
    source_url: str          # where it was read
    primary_url: str         # CBP's own page, or PRIMARY_NOT_FOUND


# CBP's Drug Seizures Report (January 2023) as reported by Foreign Desk News; CBP publishes these
# figures, by month and component, on its drug seizure statistics page. Not in the observed
# series, which hold whole fiscal years only.
NATIONWIDE_OFO_TO_JANUARY = ToDate(
    "nationwide ports of entry (OFO), Oct 2022-Jan 2023", 12_017,
    "https://foreigndesknews.com/us/cbp-seizes-6-tons-of-fentanyl-in-2023-nearly-matches-2022-total",
    "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics")


@register("C7", "CBP fiscal-year-to-date seizures")
def check(context: ClaimContext) -> list[ClaimRow]:
    monthly = context.observed("cbp_sw_monthly")
    return [_against_cbp_record(context, monthly), _against_model(context, monthly)]


def southwest_to_date(monthly: pd.DataFrame) -> list[ToDate]:
    """CBP's Southwest-border total from October to each month of MONTHS_TO_DATE (observed cbp_sw_monthly)."""
    rows = monthly[monthly["fy"] == FISCAL_YEAR].set_index(["year", "month"])
    figures, total = [], 0.0
    for year, month in MONTHS_TO_DATE:
        total += float(rows.loc[(year, month), "lb"])
        figures.append(ToDate(f"Southwest border, {_months(MONTHS_TO_DATE[0], (year, month))}", total,
                              **cited(rows.loc[(year, month)])))
    return figures


def _against_cbp_record(context: ClaimContext, monthly: pd.DataFrame) -> ClaimRow:
    candidates = [*southwest_to_date(monthly), NATIONWIDE_OFO_TO_JANUARY]
    best = min(candidates, key=lambda figure: abs(math.log(CLAIMED_LB / figure.lb)))
    pills = context.convert(f"{CLAIMED_LB} lb pills", CONVERSION_YEAR)
    pure, doses = pills.pure_kg, pills.doses
    return ClaimRow(
        id="C7", check="CBP record", claim=CLAIM,
        public_figure=f"CBP, FY{FISCAL_YEAR} to date: " + "; ".join(
            f"{figure.what} {fmt.count(figure.lb)} lb" for figure in candidates),
        **cited(best),
        fentflow=(f"closest: CBP {best.what}, {fmt.count(best.lb)} lb (claimed / CBP {CLAIMED_LB / best.lb:.2f}). "
                  f"13,000 lb of pills = {fmt.sig(pills.pills.point)} pills, {fmt.sig(pure.point)} kg pure "
                  f"({fmt.span(pure.p05, pure.p95)}), {fmt.sig(doses.point)} doses "
                  f"({fmt.span(doses.p05, doses.p95)}; 90%, {CONVERSION_YEAR} DEA figures)"),
        verdict=verdict(within_factor(CLAIMED_LB, best.lb, MATCH_FACTOR)),
        rule=(f"consistent if a CBP fiscal-year-{FISCAL_YEAR}-to-date figure as of January 2023 is within a "
              f"factor {MATCH_FACTOR:g} of the claimed {fmt.count(CLAIMED_LB)} lb"),
        reason=("The claim matches CBP's nationwide port-of-entry total for October-January, not the "
                "Southwest-border extract; CBP's pounds are all fentanyl, powder included, so 'of the pills' "
                "overstates what was in pill form." if best is NATIONWIDE_OFO_TO_JANUARY else
                f"The closest published figure is CBP's {best.what}."),
        numbers={"claimed_lb": CLAIMED_LB, "best_match_lb": best.lb, "pure_kg_point": pure.point,
                 "doses_point": doses.point},
    )


def _against_model(context: ClaimContext, monthly: pd.DataFrame) -> ClaimRow:
    observed = southwest_to_date(monthly)[-1]
    months = pd.MultiIndex.from_tuples(MONTHS_TO_DATE)
    band = context.model_band("cbp_sw_monthly", "lb",
                              lambda t: pd.MultiIndex.from_frame(t[["year", "month"]]).isin(months))
    return ClaimRow(
        id="C7", check="fentflow model", claim=CLAIM,
        public_figure=f"CBP {observed.what}: {fmt.count(observed.lb)} lb",
        **cited(observed),
        fentflow=(f"baseline Southwest-border seizures, {_months(MONTHS_TO_DATE[0], MONTHS_TO_DATE[-1])}: "
                  f"{fmt.band(band, whole=True)} lb"),
        verdict=verdict(band_contains(band, observed.lb, factor=MODEL_FACTOR)),
        rule=(f"consistent if CBP's Southwest-border figure lies inside the model's 5-95% band over replicates "
              f"widened by a factor {MODEL_FACTOR:g}"),
        reason=(f"model / CBP = {band.median / observed.lb:.2f} for the same four months; fentflow represents "
                f"the Southwest border only, so the nationwide figure the claim matches is out of its reach."),
        numbers={"cbp_southwest_lb": observed.lb, "model_lb": band.median},
    )


def _months(first: tuple[int, int], last: tuple[int, int]) -> str:
    """"Oct 2022" or "Oct 2022-Jan 2023"."""
    def name(year_month: tuple[int, int]) -> str:
        return pd.Timestamp(year=year_month[0], month=year_month[1], day=1).strftime("%b %Y")
    return name(first) if first == last else f"{name(first)}-{name(last)}"
