"""C5: "More than 107,000 Americans died of overdoses in the last year" (CDC).

Two checks. The CDC record: the claim rounds CDC's count for 2021. The model: fentflow models
deaths involving synthetic opioids other than methadone (ICD-10 T40.4, mainly fentanyl), about
two thirds of all overdose deaths, so its counterpart is CDC's T40.4 series, not the total.
"""
from __future__ import annotations

import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow, cited
from fentflow.claims.rules import MODEL_FACTOR, band_contains, verdict, within_factor

CLAIM = "More than 107,000 Americans died of drug overdoses in the last year (CDC)."
CLAIMED_DEATHS = 107_000
RECORD_YEAR = 2021            # CDC's "more than 107,000" (release of May 2022) is calendar 2021
RECORD_FACTOR = 1.05          # a rounded headline: within 5% of a CDC count
MODEL_YEARS = (2021, 2022)
RECORD_COUNTS = {"final": "total", "provisional reported": "vsrr_total_reported",
                 "provisional predicted": "vsrr_total_predicted"}


@register("C5", "overdose deaths")
def check(context: ClaimContext) -> list[ClaimRow]:
    cdc = context.observed("cdc_deaths").set_index("year")
    return [_against_cdc_record(cdc), _against_model(context, cdc)]


def _against_cdc_record(cdc: pd.DataFrame) -> ClaimRow:
    row = cdc.loc[RECORD_YEAR]
    counts = {label: float(row[column]) for label, column in RECORD_COUNTS.items()}
    ratios = {label: CLAIMED_DEATHS / value for label, value in counts.items()}
    above = [f"{label} {fmt.count(value)}" for label, value in counts.items() if value >= CLAIMED_DEATHS]
    below = [f"{label} {fmt.count(value)}" for label, value in counts.items() if value < CLAIMED_DEATHS]
    return ClaimRow(
        id="C5", check="CDC record", claim=CLAIM,
        public_figure=(f"CDC, all drug overdose deaths in {RECORD_YEAR}: {fmt.count(counts['final'])} final "
                       f"(U.S. residents); {fmt.count(counts['provisional reported'])} reported / "
                       f"{fmt.count(counts['provisional predicted'])} predicted provisional (12 months to December)"),
        **cited(row),
        fentflow="claimed / CDC: " + ", ".join(f"{ratio:.3f} ({label})" for label, ratio in ratios.items()),
        verdict=verdict(all(within_factor(CLAIMED_DEATHS, value, RECORD_FACTOR) for value in counts.values())),
        rule=f"consistent if the claimed {fmt.count(CLAIMED_DEATHS)} is within a factor {RECORD_FACTOR:g} "
             f"(5%) of each CDC count for {RECORD_YEAR}",
        reason=(f"At or above {fmt.count(CLAIMED_DEATHS)}: {', '.join(above) or 'none'}; below: "
                f"{', '.join(below) or 'none'}. The claim rounds CDC's provisional count; the final count "
                f"covers U.S. residents only."),
        numbers={"claimed": CLAIMED_DEATHS,
                 **{f"cdc_{column}": counts[label] for label, column in RECORD_COUNTS.items()}},
    )


def _against_model(context: ClaimContext, cdc: pd.DataFrame) -> ClaimRow:
    bands = {year: context.model_band("cdc_deaths", "synthetic", lambda t, y=year: t["year"] == y)
             for year in MODEL_YEARS}
    observed = {year: float(cdc.loc[year, "synthetic"]) for year in MODEL_YEARS}
    t404_share = observed[RECORD_YEAR] / float(cdc.loc[RECORD_YEAR, "total"])
    all_drugs = bands[RECORD_YEAR].median / t404_share
    ratios = ", ".join(f"{bands[y].median / observed[y]:.2f} ({y})" for y in MODEL_YEARS)
    return ClaimRow(
        id="C5", check="fentflow model", claim=CLAIM,
        public_figure=("CDC synthetic-opioid (T40.4) deaths: "
                       + ", ".join(f"{fmt.count(observed[y])} ({y})" for y in MODEL_YEARS)
                       + f"; {fmt.pct(t404_share, 0)} of all overdose deaths in {RECORD_YEAR}"),
        **cited(cdc.loc[RECORD_YEAR]),
        fentflow=("baseline T40.4 deaths: "
                  + ", ".join(f"{fmt.band(bands[y], whole=True)} ({y})" for y in MODEL_YEARS)
                  + f"; = about {fmt.sig(all_drugs)} overdose deaths of all drugs in {RECORD_YEAR} "
                    f"at CDC's T40.4 share"),
        verdict=verdict(all(band_contains(bands[y], observed[y], factor=MODEL_FACTOR) for y in MODEL_YEARS)),
        rule=(f"consistent if CDC's T40.4 count for each of {', '.join(map(str, MODEL_YEARS))} lies inside the "
              f"model's 5-95% band over replicates widened by a factor {MODEL_FACTOR:g}"),
        reason=(f"fentflow models T40.4 deaths (mainly fentanyl), about two thirds of all overdose deaths, so it "
                f"is compared with CDC's synthetic series: model / CDC = {ratios}."),
        numbers={**{f"model_{y}": bands[y].median for y in MODEL_YEARS},
                 **{f"cdc_synthetic_{y}": observed[y] for y in MODEL_YEARS},
                 "model_all_drugs_equivalent": all_drugs},
    )
