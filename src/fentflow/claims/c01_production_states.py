"""C1: pills are pressed in industrial facilities in Jalisco, Sinaloa, Michoacán, Guerrero "and other
cartel-controlled states".

Two checks. The lab record: SEDENA's fentanyl labs seized by state (2019 to October 2024) against
the states the claim names. The model: where fentflow's baseline produces, and whether SEDENA's
record is a likely outcome of the model's own raids, which fall on sites in proportion to their
capacity: if Sinaloa holds a share p of the model's raid hazard, 22 or more of 26 raids there has
a binomial probability that the rule reads.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.figures import figure
from fentflow.claims.registry import register
from fentflow.claims.row import NOT_CHECKABLE, ClaimRow, cited
from fentflow.claims.rules import TAIL_ALPHA, Band, at_least_probability, count_plausible, verdict
from fentflow.sim.observables import aggregate

CLAIM = ("Pills are pressed in industrial facilities in warehouse districts of major cities in Jalisco, Sinaloa, "
         "Michoacán, Guerrero and other cartel-controlled states.")
NAMED_STATES = ("JAL", "SIN", "MICH", "GRO")
LAB_RECORD = "fentanyl labs seized (SEDENA)"   # the official series by state (transparency reply)
TOP_STATE = "SIN"
MODEL_YEAR = 2022                              # the last full year before the article (January 2023)
RAID_YEARS = (2019, 2023)                      # the years of the lab record the model simulates
CLAIM_SOURCE = "border_report_claim_2023"      # the news report quoting the analyst (claim_figures.csv)


@register("C1", "where pills are pressed")
def check(context: ClaimContext) -> list[ClaimRow]:
    labs = context.observed("mexico_fentanyl_labs")
    record = labs[(labs["what"] == LAB_RECORD) & (labs["state"] != "ALL")]
    return [_against_lab_record(record), _against_model(context, record)]


def _against_lab_record(record: pd.DataFrame) -> ClaimRow:
    by_state = record.set_index("state")["labs"]
    named = {state: int(by_state.get(state, 0)) for state in NAMED_STATES}
    with_labs = [state for state, labs in named.items() if labs > 0]
    period = record["period"].iloc[0]
    return ClaimRow(
        id="C1", check="SEDENA lab record", claim=CLAIM,
        public_figure=(f"SEDENA fentanyl labs seized, {period}: "
                       + ", ".join(f"{state} {labs}" for state, labs in by_state.items())
                       + f" ({int(by_state.sum())} in all; none in any other state)"),
        **cited(record.iloc[0]),
        fentflow=("labs in the states the claim names: " + ", ".join(f"{s} {n}" for s, n in named.items())
                  + f"; named states with a seized fentanyl lab: {len(with_labs)} of {len(NAMED_STATES)}"),
        verdict=verdict(len(with_labs) == len(NAMED_STATES)),
        rule=(f"consistent if every state the claim names ({', '.join(NAMED_STATES)}) has at least one "
              f"fentanyl lab seized by SEDENA in {period}"),
        reason=(f"The record supports {', '.join(with_labs) or 'none of the named states'} only: "
                f"{fmt.pct(by_state.get(TOP_STATE, 0) / by_state.sum(), 0)} of the labs were in Sinaloa (all in "
                "Culiacán), the rest in Baja California and Chihuahua, which the claim does not name. Seizures show "
                "where the army found labs, so an absence is weak evidence; the claim's source is one private "
                f"analyst (Global Guardian, quoted by Border Report: {figure(CLAIM_SOURCE).source_url})."),
        numbers={**{f"labs_{state}": float(n) for state, n in named.items()}, "labs_total": float(by_state.sum())},
    )


def _against_model(context: ClaimContext, record: pd.DataFrame) -> ClaimRow:
    sim = context.baseline
    state_of = sim.world.production.set_index("id")["state"]
    shares = _production_shares(sim.results, state_of)
    named = Band.of(shares.reindex(columns=list(NAMED_STATES), fill_value=0.0).sum(axis=1))
    top = shares.median().sort_values(ascending=False)
    raid_share = _raid_share(sim, state_of)
    k, n = int(record.set_index("state")["labs"].get(TOP_STATE, 0)), int(record["labs"].sum())
    if not 0 <= raid_share <= 1:                      # no raids in the model at all
        return ClaimRow(id="C1", check="fentflow model", claim=CLAIM, public_figure=f"SEDENA: {k} of {n} labs "
                        "in Sinaloa", **cited(record.iloc[0]), fentflow="the model has no raids",
                        verdict=NOT_CHECKABLE, rule="checkable when the model raids production sites",
                        reason="with no raids the model says nothing about where they would fall")
    chance = at_least_probability(k, n, raid_share)
    return ClaimRow(
        id="C1", check="fentflow model", claim=CLAIM,
        public_figure=f"SEDENA: {k} of {n} fentanyl labs seized in {record['period'].iloc[0]} were in Sinaloa",
        **cited(record.iloc[0]),
        fentflow=(f"baseline production {MODEL_YEAR} by state (share, median): "
                  + ", ".join(f"{state} {fmt.pct(share)}" for state, share in top.head(5).items())
                  + f"; the named states {fmt.band(named, as_pct=True)}. Sinaloa's share of the model's raid "
                    f"hazard {RAID_YEARS[0]}-{RAID_YEARS[1]}: {fmt.pct(raid_share)}; P(>= {k} of {n} raids in "
                    f"Sinaloa) = {chance:.3g}"),
        verdict=verdict(count_plausible(k, n, raid_share)),
        rule=(f"consistent if SEDENA's {k} of {n} labs in Sinaloa is outside the model's upper "
              f"{fmt.pct(TAIL_ALPHA, 0)} tail: P(at least {k} of {n} raids in Sinaloa) >= {TAIL_ALPHA:g}, with "
              f"Sinaloa's share of the model's raid hazard {RAID_YEARS[0]}-{RAID_YEARS[1]} (raids fall on sites in "
              f"proportion to capacity)"),
        reason=(f"fentflow puts {fmt.pct(named.median)} of production in the named states, as the claim does; its "
                f"capacity shares outside Sinaloa are assumptions (world production.csv). "
                + ("With them its raids would find labs outside Sinaloa more often than SEDENA did. "
                   if chance < TAIL_ALPHA else "SEDENA's concentration in Sinaloa is a likely outcome of its raids. ")
                + "Raids in the model follow capacity, not where the army operates, which favours Culiacán."),
        numbers={"named_share": named.median, "sinaloa_share": float(top.get(TOP_STATE, np.nan)),
                 "sinaloa_raid_share": raid_share, "labs_sinaloa": float(k), "labs_total": float(n),
                 "tail_probability": chance},
    )


def _production_shares(results, state_of: pd.Series) -> pd.DataFrame:
    """Share of each state in the year's production, one row per replicate."""
    produced = aggregate(results, "produced_kg", "year")
    produced = produced[produced["year"] == MODEL_YEAR].assign(state=lambda t: t["site"].map(state_of))
    by_state = produced.pivot_table(index="replicate", columns="state", values="produced_kg", aggfunc="sum")
    return by_state.div(by_state.sum(axis=1), axis=0).fillna(0.0)


def _raid_share(sim, state_of: pd.Series) -> float:
    """Sinaloa's share of the model's raid hazard over RAID_YEARS (all replicates): where its raids fall."""
    weeks = (sim.calendar.year >= RAID_YEARS[0]) & (sim.calendar.year <= RAID_YEARS[1])
    hazard = sim.modules["production"].state.raid_chance[weeks].sum(axis=(0, 1))      # (site,)
    in_state = (state_of.reindex(sim.net.sites) == TOP_STATE).to_numpy()
    total = hazard.sum()
    return float(hazard[in_state].sum() / total) if total > 0 else float("nan")
