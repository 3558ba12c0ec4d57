"""C3: pills travel by land to the border and are smuggled past U.S. ports of entry.

Two checks of where fentanyl is caught at the Southwest border: at ports of entry (CBP's Office
of Field Operations) or between them (Border Patrol). The CBP record: the ports' share of the
pounds seized in each fiscal year. The model: the same share in the baseline beside CBP's, and,
what no public series shows, the share of what tries to cross that goes through the ports.
fentflow's routes are all by land, so "by land" holds in the model by construction.
"""
from __future__ import annotations

import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow, cited
from fentflow.claims.rules import Band, band_contains, verdict
from fentflow.sim.observables import aggregate

CLAIM = "Pills travel by land to the border and are smuggled past U.S. ports of entry."
FISCAL_YEARS = (2019, 2020, 2021, 2022, 2023)
# CBP's own port share moves by 0.05-0.09 from one fiscal year to the next (0.915 -> 0.827 ->
# 0.905 -> 0.844 -> 0.896): a model share within 0.10 of CBP's in a year counts as agreeing.
SHARE_TOLERANCE = 0.10
ATTEMPT_YEAR = 2022


@register("C3", "smuggled through ports of entry")
def check(context: ClaimContext) -> list[ClaimRow]:
    component = context.observed("cbp_sw_component")
    observed = port_share(component[component["fy"].isin(FISCAL_YEARS)].assign(replicate=0)).iloc[0]
    return [_against_cbp_record(component, observed), _against_model(context, component, observed)]


def port_share(table: pd.DataFrame) -> pd.DataFrame:
    """Share of the pounds seized at ports of entry, by fiscal year (columns), one row per replicate."""
    pounds = table.pivot_table(index="replicate", columns=["fy", "component"], values="lb", aggfunc="sum")
    port, between = pounds.xs("port", axis=1, level="component"), pounds.xs("between", axis=1, level="component")
    return port / (port + between)


def _years(shares: pd.Series) -> str:
    return ", ".join(f"FY{fy} {fmt.pct(share)}" for fy, share in shares.items())


def _against_cbp_record(component: pd.DataFrame, observed: pd.Series) -> ClaimRow:
    return ClaimRow(
        id="C3", check="CBP record", claim=CLAIM,
        public_figure="CBP Southwest-border fentanyl seized at ports of entry (OFO), share of all pounds: "
                      + _years(observed),
        **cited(component.iloc[0]),
        fentflow=f"ports of entry take the majority in {int((observed > 0.5).sum())} of {len(observed)} fiscal years",
        verdict=verdict(bool((observed > 0.5).all())),
        rule=(f"consistent if ports of entry account for more than half of the Southwest-border fentanyl CBP seized, "
              f"by weight, in every fiscal year {FISCAL_YEARS[0]}-{FISCAL_YEARS[-1]}"),
        reason=("Most fentanyl is caught at the ports, not between them: 'past the ports of entry' holds read as "
                "'through them', not as 'around them'. Seizures show where fentanyl is found, which also depends on "
                "where officers look."),
        numbers={f"cbp_port_share_{fy}": share for fy, share in observed.items()},
    )


def _against_model(context: ClaimContext, component: pd.DataFrame, observed: pd.Series) -> ClaimRow:
    model = port_share(context.observables["cbp_sw_component"])
    bands = {fy: Band.of(model[fy]) for fy in FISCAL_YEARS}
    attempted = _attempted_port_share(context)
    agreeing = [fy for fy in FISCAL_YEARS if band_contains(bands[fy], observed[fy], plus_minus=SHARE_TOLERANCE)]
    return ClaimRow(
        id="C3", check="fentflow model", claim=CLAIM,
        public_figure="CBP, share of Southwest-border fentanyl seized at ports of entry: " + _years(observed),
        **cited(component.iloc[0]),
        fentflow=("baseline share seized at ports of entry: "
                  + ", ".join(f"FY{fy} {fmt.band(band, as_pct=True)}" for fy, band in bands.items())
                  + f"; share of what tries to cross that goes through ports of entry, {ATTEMPT_YEAR}: "
                    f"{fmt.band(attempted, as_pct=True)} (pure weight)"),
        verdict=verdict(len(agreeing) == len(FISCAL_YEARS)),
        rule=(f"consistent if CBP's port share lies inside the model's 5-95% band widened by +/-{SHARE_TOLERANCE:g} "
              f"in every fiscal year {FISCAL_YEARS[0]}-{FISCAL_YEARS[-1]}"),
        reason=(f"Agreeing fiscal years: {len(agreeing)} of {len(FISCAL_YEARS)}. In the model, as CBP's seizures "
                f"suggest, most fentanyl goes through the ports of entry rather than between them; the attempted "
                f"share is hidden from the public data."),
        numbers={**{f"model_port_share_{fy}": band.median for fy, band in bands.items()},
                 **{f"cbp_port_share_{fy}": share for fy, share in observed.items()},
                 "model_attempted_port_share": attempted.median},
    )


def _attempted_port_share(context: ClaimContext) -> Band:
    """Share of the pure kg attempting to cross in ATTEMPT_YEAR that went through ports of entry, per replicate."""
    sim = context.baseline
    attempted = aggregate(sim.results, "attempted_pure_kg", "year")
    attempted = attempted[attempted["year"] == ATTEMPT_YEAR]
    is_port = dict(zip(sim.net.crossings, map(bool, sim.net.crossing_is_port)))
    at_ports = attempted[attempted["crossing"].map(is_port)].groupby("replicate")["attempted_pure_kg"].sum()
    return Band.of(at_ports / attempted.groupby("replicate")["attempted_pure_kg"].sum())
