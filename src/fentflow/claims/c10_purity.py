"""C10: "Powder is cut to 10-15% purity and pressed in high volume."

Two checks of the purity range. DEA lab: the average purity of seized powder in the years
around the claim. The model: fentflow's retail purity, border purity (the production
module's trajectory, anchored on DEA) times the retail dilution parameter.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow, cited
from fentflow.claims.rules import Band, ranges_overlap, verdict
from fentflow.sim.pars import PAR_BY_NAME

CLAIM = "Powder is cut to 10-15% purity and pressed in high volume."
CLAIMED_RANGE = (0.10, 0.15)
YEARS = (2021, 2022)            # the article ran in January 2023


@register("C10", "powder purity")
def check(context: ClaimContext) -> list[ClaimRow]:
    return [_against_dea(context), _against_model(context)]


def _dea_purity(context: ClaimContext) -> pd.DataFrame:
    """DEA's average powder purity in YEARS, indexed by year."""
    purity = context.observed("dea_purity").query("measure == 'powder_purity'").set_index("year")
    return purity.loc[list(YEARS)]


def _against_dea(context: ClaimContext) -> ClaimRow:
    purity = _dea_purity(context)
    low, high = float(purity["value"].min()), float(purity["value"].max())
    described = ", ".join(f"{fmt.pct(row.value)} ({year}, {row.confidence})" for year, row in purity.iterrows())
    return ClaimRow(
        id="C10", check="DEA lab", claim=CLAIM,
        public_figure=f"DEA average purity of seized fentanyl powder: {described}",
        **cited(purity.loc[max(YEARS)]),
        fentflow=f"DEA's annual averages span {fmt.span(low, high, as_pct=True)} over {YEARS[0]}-{YEARS[-1]}",
        verdict=verdict(ranges_overlap(*CLAIMED_RANGE, low, high)),
        rule=(f"consistent if the claimed {fmt.span(*CLAIMED_RANGE, as_pct=True)} overlaps the range of DEA's "
              f"annual average powder purity over {YEARS[0]}-{YEARS[-1]}"),
        reason=("DEA averages all seized powder, wholesale lots not yet cut included, so retail purity at or below "
                "DEA's average is what cutting implies; the 2021 figure is inferred from 2022's '+33%'."),
        numbers={"dea_low": low, "dea_high": high},
    )


def _against_model(context: ClaimContext) -> ClaimRow:
    sim, dea = context.baseline, _dea_purity(context)
    dilution = sim.pars["retail_dilution"]
    border = {year: _border_purity(sim, year) for year in YEARS}
    retail = {year: Band.of(border[year] * dilution) for year in YEARS}
    low, high = min(band.p05 for band in retail.values()), max(band.p95 for band in retail.values())
    source = PAR_BY_NAME["retail_dilution"].source
    circular = "C10" in source
    return ClaimRow(
        id="C10", check="fentflow model", claim=CLAIM,
        public_figure=(f"the claimed {fmt.span(*CLAIMED_RANGE, as_pct=True)}; fentflow's border purity is set from "
                       f"DEA's average powder purity ({fmt.pct(dea.loc[max(YEARS), 'value'])} in {max(YEARS)})"),
        **cited(dea.loc[max(YEARS)]),
        fentflow=("retail purity = border purity x retail dilution "
                  f"{fmt.band(Band.of(dilution))}: "
                  + "; ".join(f"{fmt.band(Band.of(border[y]), as_pct=True)} -> {fmt.band(retail[y], as_pct=True)} ({y})"
                              for y in YEARS)),
        verdict=verdict(ranges_overlap(*CLAIMED_RANGE, low, high)),
        rule=(f"consistent if the claimed {fmt.span(*CLAIMED_RANGE, as_pct=True)} overlaps fentflow's mean retail "
              f"purity over {YEARS[0]}-{YEARS[-1]} (5-95% over replicates)"),
        reason=(f"fentflow's retail purity spans {fmt.span(low, high, as_pct=True)}. "
                + (f"Its retail dilution is set from this very claim (parameter source: '{source}'), so agreement "
                   f"is by construction: only the border purity is evidence." if circular else
                   "Retail dilution and border purity are set independently of the claim.")),
        numbers={"model_low": low, "model_high": high,
                 **{f"model_retail_{y}": retail[y].median for y in YEARS}},
    )


def _border_purity(sim, year: int) -> np.ndarray:
    """Mean purity of powder leaving production in `year`, per replicate (the model's trajectory)."""
    weeks = np.flatnonzero(sim.calendar.year == year)
    production = sim.modules["production"]
    return np.mean([production.potency(week)["purity"] for week in weeks], axis=0)
