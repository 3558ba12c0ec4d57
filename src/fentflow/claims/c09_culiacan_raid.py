"""C9: a July 2022 raid in Culiacán found 70 kg of precursors, 500 kg of fentanyl and 500 kg of
methamphetamine; such raids are rare.

Three checks. The SEDENA record: the claimed 500 kg beside what SEDENA announced for the July
2022 Culiacán warehouse. The site stock: whether 500 kg of fentanyl, in pure kg, lies within the
stock the model keeps at its Sinaloa production site (`site_stock_kg`, weekly). The raid rate:
the model's raids on production sites, 2019-2023, beside SEDENA's count of fentanyl labs seized.
The 70 kg of precursors and the methamphetamine have no counterpart (fentflow tracks precursors
only as fentanyl-equivalent kg, and no other drug).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.c01_production_states import LAB_RECORD
from fentflow.claims.context import ClaimContext
from fentflow.claims.figures import figure
from fentflow.claims.registry import register
from fentflow.claims.row import NOT_CHECKABLE, ClaimRow, cited
from fentflow.claims.rules import Band, inside, poisson_range, ranges_overlap, verdict, within_factor
from fentflow.sim.observables import aggregate
from fentflow.sim.pars import PAR_BY_NAME

CLAIM = ("A July 2022 raid in Culiacán found 70 kg of precursors, 500 kg of fentanyl and 500 kg of "
         "methamphetamine; such raids are rare.")
CLAIMED_KG = 500
RAID_YEAR = 2022
RECORD_FACTOR = 1.10          # "500 kg": a rounded figure, within 10% of the announced weight
SITE = "SIN-CDS"              # the model's Sinaloa Cartel production in Culiacán (world production.csv)
RAID_YEARS = tuple(range(2019, 2024))


@register("C9", "the Culiacán raid")
def check(context: ClaimContext) -> list[ClaimRow]:
    return [_against_sedena(), _site_stock(context), _raid_rate(context, context.observed("mexico_fentanyl_labs"))]


def _against_sedena() -> ClaimRow:
    sedena, fgr = figure("culiacan_warehouse_fentanyl_kg"), figure("culiacan_warehouse_fentanyl_powder_kg")
    return ClaimRow(
        id="C9", check="SEDENA record", claim=CLAIM,
        public_figure=f"SEDENA, {sedena.period}: {fmt.count(sedena.value)} kg of {sedena.what}",
        **cited(sedena),
        fentflow=f"claimed / SEDENA: {CLAIMED_KG / sedena.value:.2f}",
        verdict=verdict(within_factor(CLAIMED_KG, sedena.value, RECORD_FACTOR)),
        rule=(f"consistent if the claimed {CLAIMED_KG} kg is within a factor {RECORD_FACTOR:g} of the fentanyl "
              f"SEDENA announced for the July 2022 Culiacán seizure"),
        reason=(f"The claim rounds SEDENA's figure. The place was a warehouse, not a lab, and FGR's preliminary count "
                f"had {fmt.count(fgr.value)} kg of fentanyl powder with about 510,000 tablets ({fgr.source_url}), so "
                f"the weight includes pills and the pure content is unknown."),
        numbers={"claimed_kg": CLAIMED_KG, "sedena_kg": sedena.value, "fgr_powder_kg": fgr.value},
    )


def _site_stock(context: ClaimContext) -> ClaimRow:
    sim = context.baseline
    if SITE not in sim.net.sites:
        why = f"the world has no production site {SITE}"
        return ClaimRow(id="C9", check="site stock", claim=CLAIM, public_figure=f"{CLAIMED_KG} kg of fentanyl",
                        **cited(figure("culiacan_warehouse_fentanyl_kg")), fentflow=why,
                        verdict=NOT_CHECKABLE, rule=f"checkable when the world has the site {SITE}", reason=why)
    weekly = _weekly_stock(sim, RAID_YEAR)                  # (week, rep) pure kg at the Sinaloa site
    low, high = (float(q) for q in np.percentile(weekly, [5, 95]))
    pure = context.convert(f"{CLAIMED_KG} kg powder", RAID_YEAR).pure_kg
    name = sim.world.production.set_index("id").loc[SITE, "city"]
    return ClaimRow(
        id="C9", check="site stock", claim=CLAIM,
        public_figure=(f"{CLAIMED_KG} kg of fentanyl in one Culiacán warehouse (SEDENA: "
                       f"{fmt.count(figure('culiacan_warehouse_fentanyl_kg').value)} kg); as powder at DEA's "
                       f"{RAID_YEAR} purity: {fmt.sig(pure.point)} kg pure ({fmt.span(pure.p05, pure.p95)}, 90%)"),
        **cited(figure("culiacan_warehouse_fentanyl_kg")),
        fentflow=(f"stock at the model's {name} site ({SITE}) in {RAID_YEAR}, weekly: median "
                  f"{fmt.sig(float(np.median(weekly)))} kg pure, 5-95% {fmt.span(low, high)}, largest "
                  f"{fmt.sig(float(weekly.max()))} ({weekly.shape[1]} replicate{'s' if weekly.shape[1] > 1 else ''})"),
        verdict=verdict(ranges_overlap(pure.p05, pure.p95, low, high)),
        rule=(f"consistent if the 90% interval of {CLAIMED_KG} kg of powder in pure kg ({RAID_YEAR} DEA purity) "
              f"overlaps the 5-95% range of the model's weekly stock at its Sinaloa site in {RAID_YEAR}"),
        reason=(f"The model's site stands for all of the Sinaloa Cartel's labs in Culiacán, so its stock bounds a "
                f"single warehouse's from above; {CLAIMED_KG} kg taken as pure would "
                + ("lie within" if CLAIMED_KG <= high else "exceed")
                + " the model's 95th percentile."),
        numbers={"pure_kg_point": pure.point, "pure_kg_p05": pure.p05, "pure_kg_p95": pure.p95,
                 "model_stock_p05": low, "model_stock_p95": high, "model_stock_max": float(weekly.max())},
    )


def _raid_rate(context: ClaimContext, labs: pd.DataFrame) -> ClaimRow:
    yearly = labs[(labs["what"] == LAB_RECORD) & (labs["state"] == "ALL") & (labs["period"].isin(map(str, RAID_YEARS)))]
    recorded = float(yearly["labs"].sum())
    sim = context.baseline
    expected, realised = Band.of(_expected_raids(sim)), Band.of(_raids(sim).sum(axis=1))
    low, high = poisson_range(expected.p05, expected.p95)
    source = PAR_BY_NAME["raids_per_year"].source
    years = f"{RAID_YEARS[0]}-{RAID_YEARS[-1]}"
    return ClaimRow(
        id="C9", check="raid rate", claim=CLAIM,
        public_figure=(f"SEDENA fentanyl labs seized, {years}: "
                       + ", ".join(f"{row.labs} ({row.period})" for row in yearly.itertuples())
                       + f" = {recorded:.0f}"),
        **cited(yearly.iloc[0]),
        fentflow=(f"baseline raids on production sites, {years}: expected {fmt.band(expected)}, 90% range of the "
                  f"count {low}-{high}; this run's raids {fmt.band(realised)} (over {sim.net.n_sites} sites)"),
        verdict=verdict(inside(recorded, low, high)),
        rule=(f"consistent if SEDENA's count for {years} lies inside the central 90% range of a Poisson count "
              f"with the model's expected number of raids over the same years (5-95% over replicates)"),
        reason=(f"SEDENA found {recorded / len(RAID_YEARS):.1f} fentanyl labs a year: rare, as claimed. "
                + (f"The model's raid rate is set from this record (parameter source: '{source}'), so agreement in "
                   f"number is by construction; the model adds what a raid does (stock destroyed, capacity lost)."
                   if "SEDENA" in source else "")),
        numbers={"sedena_labs": recorded, "model_expected_raids": expected.median, "model_raids": realised.median,
                 "count_low": float(low), "count_high": float(high)},
    )


def _expected_raids(sim) -> np.ndarray:
    """The model's expected raids over RAID_YEARS, per replicate: its raid chances summed over weeks and sites."""
    weeks = np.isin(sim.calendar.year, RAID_YEARS)
    return sim.modules["production"].state.raid_chance[weeks].sum(axis=(0, 2))


def _weekly_stock(sim, year: int) -> np.ndarray:
    """Pure kg held at SITE at the end of each week of `year`, (week, replicate)."""
    results = sim.results
    periods = np.unique(results.period_of_week[sim.calendar.year == year])
    site = results.quantities["site_stock_kg"].places.index(SITE)
    return results["site_stock_kg"][periods, :, site]


def _raids(sim) -> pd.DataFrame:
    """Raids in each of RAID_YEARS (columns), all sites, one row per replicate."""
    raids = aggregate(sim.results, "raids", "year", by_place=False)
    return raids[raids["year"].isin(RAID_YEARS)].pivot(index="replicate", columns="year", values="raids")
