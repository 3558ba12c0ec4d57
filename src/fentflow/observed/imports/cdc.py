"""CDC's VSRR provisional drug overdose death counts -> annual U.S. overdose deaths (cdc_deaths).

NCHS publishes 12-month-ending counts by jurisdiction and drug each month (VSRR,
https://www.cdc.gov/nchs/nvss/vsrr/drug-overdose-data.htm): columns State, Year, Month, Period,
Indicator, Data Value (reported), Percent Complete, ..., Predicted Value (adjusted for reporting
delays). The count for the 12 months ending in December of a year is that year's count.

Rows built, one per year with a U.S. December count of both all drug overdose deaths and
synthetic opioids other than methadone (T40.4): the vsrr_* columns from the file. Where the
bundled series has NCHS final counts for the year they are kept as `total`/`synthetic`;
otherwise those are the predicted provisional counts (the reported ones when no prediction
is given), marked `provisional`.
"""
from __future__ import annotations

import pandas as pd

from fentflow.observed.imports.reading import Row, SourceFile

COLUMNS = ("State", "Year", "Month", "Period", "Indicator", "Data Value", "Percent Complete", "Predicted Value")
PUBLISHER_URL = "https://www.cdc.gov/nchs/nvss/vsrr/drug-overdose-data.htm"
NATION = "US"
TOTAL = "Number of Drug Overdose Deaths"
SYNTHETIC = "Synthetic opioids, excl. methadone (T40.4)"
INDICATORS = {TOTAL: "total", SYNTHETIC: "synthetic"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SERIES = ("cdc_deaths",)


def build(sources: list[SourceFile], bundled: pd.DataFrame) -> dict[str, pd.DataFrame]:
    counts: dict[int, dict[str, object]] = {}
    for source in sources:           # a later file's counts replace an earlier one's
        source.require(COLUMNS)
        for year, values in _december_counts(source).items():
            counts.setdefault(year, {}).update(values)
    complete = {year: values for year, values in counts.items() if {"total", "synthetic"} <= values.keys()}
    if not complete:
        names = ", ".join(source.name for source in sources)
        raise sources[0].error(f"no December 12-month-ending counts for State {NATION!r} with both "
                               f"{TOTAL!r} and {SYNTHETIC!r} in {names}", column="Indicator")
    final = bundled.set_index("year")
    return {"cdc_deaths": pd.DataFrame([_row(year, values, final) for year, values in sorted(complete.items())])}


def _december_counts(source: SourceFile) -> dict[int, dict[str, object]]:
    found: dict[int, dict[str, object]] = {}
    for row in source.rows:
        year = source.year(row, "Year")
        _check_month(source, row)
        if row.cells["State"].strip() != NATION or row.cells["Month"].strip() != "December":
            continue
        measure = INDICATORS.get(row.cells["Indicator"].strip())
        if measure is None or "12 month" not in row.cells["Period"].lower():
            continue
        reported = source.count(row, "Data Value", blank_ok=True)
        predicted = source.count(row, "Predicted Value", blank_ok=True)
        if reported is None and predicted is None:
            continue
        found.setdefault(year, {})[measure] = (reported, predicted, source)
    return found


def _check_month(source: SourceFile, row: Row) -> None:
    if row.cells["Month"].strip() not in MONTHS:
        raise source.error(f"{row.cells['Month']!r} is not a month name (January ... December)", row, "Month")


def _row(year: int, values: dict[str, object], final: pd.DataFrame) -> dict[str, object]:
    (total_reported, total_predicted, source), (synthetic_reported, synthetic_predicted, _) = (
        values["total"], values["synthetic"])
    row = {"year": year, "vsrr_total_reported": total_reported, "vsrr_total_predicted": total_predicted,
           "vsrr_synthetic_reported": synthetic_reported, "vsrr_synthetic_predicted": synthetic_predicted}
    kept = year in final.index and final.loc[year, "total_status"] == "final" and \
        final.loc[year, "synthetic_status"] == "final"
    if kept:
        bundled = final.loc[year]
        row |= {column: bundled[column] for column in ("total", "total_status", "synthetic", "synthetic_status",
                                                       "status", "confidence", "primary_url")}
        row |= {"source_url": bundled["source_url"],
                "note": f"total/synthetic: NCHS final (bundled); vsrr_*: {source.name} "
                        f"(sha256 {source.sha256[:12]})"}
        return row
    row |= {"total": _best(total_predicted, total_reported), "total_status": "provisional",
            "synthetic": _best(synthetic_predicted, synthetic_reported), "synthetic_status": "provisional",
            "status": "provisional", "confidence": "stated", "primary_url": PUBLISHER_URL, "source_url": PUBLISHER_URL,
            "note": f"VSRR 12 months ending December, predicted (reported where no prediction): {source.name} "
                    f"(sha256 {source.sha256[:12]})"}
    return row


def _best(predicted: int | None, reported: int | None) -> int:
    return predicted if predicted is not None else reported
