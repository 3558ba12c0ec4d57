"""C6: DEA's 2022 surge (10.2 million pills, ~980 lb powder), "2 mg can be fatal", 4 in 10 pills >= 2 mg.

Three checks: DEA's "more than 36 million lethal doses" against fentflow's conversion of the
surge's pills and powder; DEA's 2021 share of pills with >= 2 mg against the baseline run;
and the 2 mg convention itself, which fentflow adopts and cannot test.
"""
from __future__ import annotations

import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import NOT_CHECKABLE, ClaimRow, cited
from fentflow.claims.rules import SHARE_TOLERANCE, band_contains, inside, verdict
from fentflow.observed.conversions import Conversion, Estimate
from fentflow.units import DOSES_PER_PURE_KG, LETHAL_DOSE_MG

CLAIM = ("DEA seized 10.2 million fentanyl pills and 980 lb of powder from May to September 2022; "
         "2 mg can be fatal; about 4 in 10 pills carried that much (DEA, 2021).")
SURGE_YEAR = 2022          # DEA's mg-per-pill and purity figures of the surge's year
DOSES_BOUND = "lower"      # DEA: "more than 36 million" lethal doses
SHARE_YEAR = 2021
# DEA's dose convention, "2 mg = potentially lethal dose" (1 kg = 500,000 doses is its arithmetic): DEA's
# "One Pill Can Kill" page states it; NBC News, one of its many copies, is where it was read.
DOSE_CONVENTION_URL = ("https://www.nbcnews.com/politics/immigration/"
                       "fentanyl-seizures-u-s-southern-border-rise-dramatically-n1272676")
DOSE_CONVENTION_PRIMARY_URL = "https://www.dea.gov/onepill"


@register("C6", "DEA surge, lethal doses and pill potency")
def check(context: ClaimContext) -> list[ClaimRow]:
    surge = context.observed("dea_surge_2022").iloc[0]
    return [_lethal_doses(context, surge), _share_2mg(context), _dose_convention()]


def _lethal_doses(context: ClaimContext, surge: pd.Series) -> ClaimRow:
    pills = context.convert(f"{surge['pills']:.0f} pills", SURGE_YEAR)
    powder = context.convert(f"{surge['powder_lb']:g} lb powder", SURGE_YEAR)
    pure_kg, doses = _sum(pills.pure_kg, powder.pure_kg), _sum(pills.doses, powder.doses)
    dea_doses = float(surge["lethal_doses"])
    where = "inside" if inside(dea_doses, doses.p05, doses.p95) else (
        "below" if dea_doses < doses.p05 else "above")
    return ClaimRow(
        id="C6", check="lethal doses", claim=CLAIM,
        public_figure=(f"DEA surge {surge['period_start']} to {surge['period_end']}: {fmt.sig(surge['pills'])} "
                       f"pills, {fmt.count(surge['powder_lb'])} lb powder, more than {fmt.sig(dea_doses)} "
                       f"lethal doses"),
        **cited(surge),
        fentflow=(f"{_describe(pills, 'pills')}; {_describe(powder, 'powder')}; together "
                  f"{fmt.sig(pure_kg.point)} kg pure ({fmt.span(pure_kg.p05, pure_kg.p95)}) = "
                  f"{fmt.sig(doses.point)} doses ({fmt.span(doses.p05, doses.p95)}), {SURGE_YEAR} DEA figures"),
        verdict=verdict(inside(dea_doses, doses.p05, doses.p95, bound=DOSES_BOUND)),
        rule=("DEA's 'more than 36 million' is a lower bound: consistent if it does not exceed the top of "
              "fentflow's 90% interval for the surge's doses (the interval adds the pills' and the powder's "
              "bounds, as if fully dependent: wider than independent draws)"),
        reason=(f"DEA's figure is {where} fentflow's 90% interval; {fmt.sig(dea_doses)} doses are "
                f"{fmt.sig(dea_doses / DOSES_PER_PURE_KG)} kg pure at {LETHAL_DOSE_MG:g} mg a dose. The powder "
                f"carries {powder.doses.point / doses.point:.0%} of fentflow's doses, so its purity decides."),
        numbers={"dea_doses": dea_doses, "doses_point": doses.point, "doses_p05": doses.p05,
                 "doses_p95": doses.p95, "pure_kg_point": pure_kg.point},
    )


def _share_2mg(context: ClaimContext) -> ClaimRow:
    dea = context.observed("dea_share_2mg").set_index("year").loc[SHARE_YEAR]
    band = context.model_band("dea_share_2mg", "share", lambda t: t["year"] == SHARE_YEAR)
    alternative = "" if pd.isna(dea["share_alt"]) else f" ({fmt.pct(dea['share_alt'], 0)} in another report)"
    return ClaimRow(
        id="C6", check="pills >= 2 mg", claim=CLAIM,
        public_figure=f"DEA: {fmt.pct(dea['share'], 0)} of tested pills carried >= 2 mg in {SHARE_YEAR}{alternative}",
        **cited(dea),
        fentflow=f"baseline share of domestically seized pills >= 2 mg in {SHARE_YEAR}: {fmt.band(band, as_pct=True)}",
        verdict=verdict(band_contains(band, float(dea["share"]), plus_minus=SHARE_TOLERANCE)),
        rule=(f"consistent if DEA's share lies inside the model's 5-95% band over replicates widened by "
              f"+/-{SHARE_TOLERANCE:g}"),
        reason=(f"model - DEA = {100 * (band.median - dea['share']):+.1f} percentage points; the model's pill "
                f"potency is set from DEA's shares (pill_mg_median_*), so this checks that the run reproduces them."),
        numbers={"dea_share": float(dea["share"]), "model_share": band.median},
    )


def _dose_convention() -> ClaimRow:
    return ClaimRow(
        id="C6", check="2 mg can be fatal", claim=CLAIM,
        public_figure=f"DEA convention: {LETHAL_DOSE_MG:g} mg is a potentially lethal dose; 1 kg = "
                      f"{fmt.count(DOSES_PER_PURE_KG)} doses",
        source_url=DOSE_CONVENTION_URL, primary_url=DOSE_CONVENTION_PRIMARY_URL,
        fentflow=f"adopted as a unit (fentflow.units.LETHAL_DOSE_MG = {LETHAL_DOSE_MG:g} mg); the mortality model "
                 f"uses it as DEA does, through the share of pills carrying at least {LETHAL_DOSE_MG:g} mg, whose "
                 f"weight in the overdose hazard (lethal_pill_hazard) is fitted to CDC's deaths",
        verdict=NOT_CHECKABLE,
        rule="not checkable when the claim is a convention fentflow adopts rather than a figure it computes",
        reason="A toxicological threshold is outside fentflow's scope; fentflow counts doses with DEA's "
               "convention so that its figures compare with DEA's, and fits how much the share of pills above it "
               "adds to the hazard rather than assuming a dose kills.",
    )


def _sum(first: Estimate, second: Estimate) -> Estimate:
    """Two estimates added quantile by quantile: exact for the point, conservative for the interval."""
    return Estimate(first.point + second.point, first.p05 + second.p05, first.p50 + second.p50,
                    first.p95 + second.p95)


def _describe(conversion: Conversion, what: str) -> str:
    pure = conversion.pure_kg
    return f"{what} {fmt.sig(pure.point)} kg pure ({fmt.span(pure.p05, pure.p95)})"
