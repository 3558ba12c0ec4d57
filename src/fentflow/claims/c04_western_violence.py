"""C4: Sinaloa and CJNG (and factions inside Sinaloa) fight over production and trafficking;
violence is worst in western Mexico.

Two checks of the geography of violence: the homicide rate of the western states, pooled,
against the rest of Mexico. The SESNSP record: is the west's rate higher? The model: the same
ratio from fentflow's simulated homicides beside SESNSP's. The model's homicides are a
baseline proportional to each state's observed 2015 count, raised by fentanyl conflict
(sim/modules/violence.py), so the reason also says where the fentanyl-driven rise falls.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow, cited
from fentflow.claims.rules import MODEL_FACTOR, Band, band_contains, verdict

CLAIM = ("Sinaloa and CJNG (and factions inside Sinaloa) fight over production and trafficking; violence is worst "
         "in western Mexico and reaches civilians and visitors.")
# "Western Mexico" (inference: no official region of that name): the Pacific states from Baja
# California to Guerrero, where the Sinaloa Cartel and CJNG have their bases and the states C1 names.
WEST = ("BC", "BCS", "SON", "SIN", "NAY", "JAL", "COL", "MICH", "GRO")
YEARS = (2022, 2023)           # the last two years of the claims' baseline run, both counted by SESNSP
PER_100K = 100_000


@register("C4", "violence worst in western Mexico")
def check(context: ClaimContext) -> list[ClaimRow]:
    sesnsp = context.observed("sesnsp_homicides")
    return [_against_sesnsp(sesnsp), _against_model(context, sesnsp)]


def west_to_rest(victims: pd.DataFrame, population: pd.Series) -> pd.Series:
    """Pooled homicide rate of WEST over that of the other states, per row of `victims`
    (rows: replicates or one record; columns: state abbreviations)."""
    west = victims.columns.isin(WEST)
    rate = lambda mask: victims.loc[:, mask].sum(axis=1) / population[victims.columns[mask]].sum()  # noqa: E731
    return rate(west) / rate(~west)


def _pooled_rate(table: pd.DataFrame, year: int, west: bool) -> float:
    rows = table[(table["year"] == year) & (table["abbr"].isin(WEST) == west)]
    return float(rows["victims"].sum() / rows["population"].sum() * PER_100K)


def _observed(sesnsp: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.Series]:
    rows = sesnsp[sesnsp["year"] == year].set_index("abbr")
    return rows[["victims"]].T.reset_index(drop=True), rows["population"].astype(float)


def _against_sesnsp(sesnsp: pd.DataFrame) -> ClaimRow:
    rates = {year: (_pooled_rate(sesnsp, year, True), _pooled_rate(sesnsp, year, False)) for year in YEARS}
    latest = sesnsp[sesnsp["year"] == YEARS[-1]].nlargest(5, "rate_per_100k")
    top = ", ".join(f"{row.abbr} {row.rate_per_100k:.0f}" for row in latest.itertuples())
    in_west = int(latest["abbr"].isin(WEST).sum())
    elsewhere = latest.loc[~latest["abbr"].isin(WEST), "state"].tolist()
    return ClaimRow(
        id="C4", check="SESNSP record", claim=CLAIM,
        public_figure=("SESNSP homicide victims per 100,000, western states (" + ", ".join(WEST) + ") vs the rest: "
                       + "; ".join(f"{year} {west:.1f} vs {rest:.1f}" for year, (west, rest) in rates.items())
                       + f". Highest rates {YEARS[-1]}: {top}"),
        **cited(sesnsp.iloc[0]),
        fentflow="west / rest: " + ", ".join(f"{west / rest:.2f} ({year})" for year, (west, rest) in rates.items()),
        verdict=verdict(all(west > rest for west, rest in rates.values())),
        rule=(f"consistent if the western states' pooled homicide rate exceeds the rest's in each of "
              f"{YEARS[0]}-{YEARS[-1]}"),
        reason=(f"{in_west} of the 5 most violent states in {YEARS[-1]} are western"
                + (f"; {', '.join(elsewhere)} show that the west is not the only hot spot" if elsewhere else "")
                + ". Homicide counts do not say who was killed or by whom, so the civilians-and-visitors part is "
                  "not checked."),
        numbers={**{f"west_rate_{y}": w for y, (w, _) in rates.items()},
                 **{f"rest_rate_{y}": r for y, (_, r) in rates.items()}},
    )


def _against_model(context: ClaimContext, sesnsp: pd.DataFrame) -> ClaimRow:
    model = context.observables["sesnsp_homicides"]
    observed, bands = {}, {}
    for year in YEARS:
        victims, population = _observed(sesnsp, year)
        observed[year] = float(west_to_rest(victims, population).iloc[0])
        simulated = model[model["year"] == year].pivot(index="replicate", columns="abbr", values="victims")
        bands[year] = Band.of(west_to_rest(simulated, population))
    fentanyl_west = _fentanyl_driven_west_share(context, model)
    return ClaimRow(
        id="C4", check="fentflow model", claim=CLAIM,
        public_figure="SESNSP pooled homicide rate, western states / the rest: "
                      + ", ".join(f"{observed[y]:.2f} ({y})" for y in YEARS),
        **cited(sesnsp.iloc[0]),
        fentflow=("baseline run's homicide rates, west / rest: "
                  + ", ".join(f"{fmt.band(bands[y])} ({y})" for y in YEARS)
                  + f"; the west's share of the model's fentanyl-driven homicides {YEARS[0]}: "
                    f"{fmt.band(fentanyl_west, as_pct=True)}"),
        verdict=verdict(all(band_contains(bands[y], observed[y], factor=MODEL_FACTOR) for y in YEARS)),
        rule=(f"consistent if SESNSP's west-to-rest ratio of homicide rates lies inside the model's 5-95% band "
              f"widened by a factor {MODEL_FACTOR:g}, in each of {YEARS[0]}-{YEARS[-1]}"),
        reason=("The model's homicides are a baseline proportional to each state's SESNSP count for 2015 (before "
                "fentanyl), raised by fentanyl conflict: flows through states where rival organisations share "
                "control; a state factor holds local violence the model does not explain."),
        numbers={**{f"sesnsp_ratio_{y}": observed[y] for y in YEARS},
                 **{f"model_ratio_{y}": bands[y].median for y in YEARS},
                 "model_fentanyl_driven_west_share": fentanyl_west.median},
    )


def _fentanyl_driven_west_share(context: ClaimContext, model: pd.DataFrame) -> Band:
    """The west's share of the homicides above the model's baseline in YEARS[0], per replicate."""
    sim = context.baseline
    simulated = model[model["year"] == YEARS[0]].pivot(index="replicate", columns="abbr", values="victims")
    violence = sim.modules["violence"].state    # baseline: 2015 share; state factor as at the run's end
    baseline = violence.baseline * np.exp(violence.state_shift)
    excess = (simulated[sim.net.states] - baseline).clip(lower=0.0)
    return Band.of(excess.loc[:, excess.columns.isin(WEST)].sum(axis=1) / excess.sum(axis=1))
