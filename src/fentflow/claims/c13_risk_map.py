"""C13: a security firm's 2023 Risk Assessment Map shows Mexico in bright red amid cartel violence.

Two checks. The firm's map: it rates whole countries and Mexico's level is not visible in the
archived copy, so that row is not checkable. fentflow's map (`fentflow.risk`, docs/risk.md):
how many of the 32 states the 2023 index puts at High or above, and their drivers, from the
claims' baseline run. "The country in bright red" is read as most of it at high risk.
"""
from __future__ import annotations

from fentflow.claims.context import ClaimContext
from fentflow.claims.figures import figure
from fentflow.claims.registry import register
from fentflow.claims.row import NOT_CHECKABLE, ClaimRow, cited
from fentflow.claims.rules import verdict
from fentflow.risk import LEVELS, ActivityFrames, RiskIndex, annual_activity, raw_indicators

CLAIM = "A security firm's 2023 Risk Assessment Map shows Mexico in bright red amid cartel violence."
YEAR = 2023
HIGH = LEVELS.index("High")          # level number of High; Very high and Extreme are above it
SHOWN = 6                            # states listed with their drivers


@register("C13", "the 2023 risk map")
def check(context: ClaimContext) -> list[ClaimRow]:
    return [_firm_map(), _fentflow_map(context)]


def _firm_map() -> ClaimRow:
    firm = figure("global_guardian_map_2023")
    return ClaimRow(
        id="C13", check="Global Guardian map", claim=CLAIM,
        public_figure=f"{firm.what} ({firm.confidence})",
        **cited(firm),
        fentflow="fentflow rates states, not countries (next row)",
        verdict=NOT_CHECKABLE,
        rule="checkable if the firm's published level for Mexico, and its method, can be read",
        reason=("The firm's map rates countries with no published method and Mexico's level could not be read, so "
                f"the claim's colour cannot be set beside a figure ({figure('border_report_claim_2023').source_url})."),
    )


def _fentflow_map(context: ClaimContext) -> ClaimRow:
    sim = context.baseline
    frames = ActivityFrames.from_results(sim.results)
    index = RiskIndex(raw_indicators(annual_activity(frames, sim.world, YEAR), sim.world, YEAR))
    high = index.level_number[index.level_number >= HIGH].index
    ranked = index.score[high].sort_values(ascending=False)
    n_states = len(index.score)
    listed = "; ".join(f"{state} {index.level[state]} ({index.drivers[state]})" for state in ranked.index[:SHOWN])
    counts = index.level.value_counts().reindex(list(LEVELS), fill_value=0)
    return ClaimRow(
        id="C13", check="fentflow risk map", claim=CLAIM,
        public_figure=("the claim: Mexico in bright red; SESNSP homicide rates by state (the map's observed input) "
                       f"span {index.raw['homicide_rate'].min():.1f}-{index.raw['homicide_rate'].max():.0f} "
                       f"per 100,000 in {YEAR}"),
        **cited(context.observed("sesnsp_homicides").iloc[0]),
        fentflow=(f"{len(high)} of {n_states} states at High or above in {YEAR} ("
                  + ", ".join(f"{n} {level}" for level, n in counts.items()) + f"); highest: {listed}"
                  + (" ..." if len(ranked) > SHOWN else "")),
        verdict=verdict(2 * len(high) >= n_states),
        rule=(f"consistent if at least half of Mexico's {n_states} states are at High or above on fentflow's "
              f"{YEAR} risk map (levels and cut points: docs/risk.md)"),
        reason=("fentflow's map measures where violence and the fentanyl trade coincide; "
                + ("most of the country is at High or above, as the claim's red map suggests."
                   if 2 * len(high) >= n_states else
                   "the risk concentrates in the states of production, precursor entry and transit, not the whole "
                   "country, so a country painted red hides where the risk is.")),
        numbers={"states_high_or_above": float(len(high)), "states": float(n_states),
                 **{f"states_{level.lower().replace(' ', '_')}": float(n) for level, n in counts.items()}},
    )
