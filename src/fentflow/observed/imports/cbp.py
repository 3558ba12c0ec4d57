"""CBP's nationwide drug-seizure file -> the Southwest-border fentanyl series.

CBP publishes one CSV for every drug, region and month (Drug Seizure Statistics,
https://www.cbp.gov/newsroom/stats/drug-seizure-statistics), one row per fiscal year, month,
component, region, land filter, area of responsibility and drug, with `Count of Event` and
`Sum Qty (lbs)`. The year of the fiscal year in progress reads like `2025 (FYTD)`.

From the rows with Region "Southwest Border" and Drug Type "Fentanyl" this builds:
- cbp_sw_monthly: lb by month (calendar year = FY - 1 for Oct-Dec), rounded to whole lb;
- cbp_sw_component, cbp_sw_total: lb (whole lb) and seizure events by FY, port (OFO) and
  between (USBP), for complete fiscal years only;
- cbp_sw_unit: lb (to 0.1) by FY and OFO field office / USBP sector, every Southwest unit that
  appears in the file for any drug (0 where it seized no fentanyl), complete fiscal years only.
The roundings are those of the bundled series, so the bundled CBP series are this importer's
output on CBP's files (tests/data/cbp/).
"""
from __future__ import annotations

import re

import pandas as pd

from fentflow.observed.imports.reading import Row, SourceFile

COLUMNS = ("FY", "Month (abbv)", "Component", "Region", "Land Filter", "Area of Responsibility", "Drug Type",
           "Count of Event", "Sum Qty (lbs)")
PUBLISHER_URL = "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"
REGION, DRUG = "Southwest Border", "Fentanyl"
COMPONENTS = {"Office of Field Operations": ("port", "OFO"), "U.S. Border Patrol": ("between", "USBP")}
MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")   # fiscal order
UNIT_KINDS = {"FIELD OFFICE": "port", "SECTOR": "between"}
FY_PATTERN = re.compile(r"^(\d{4})(\s*\(FYTD\))?$")
SERIES = ("cbp_sw_monthly", "cbp_sw_component", "cbp_sw_total", "cbp_sw_unit")


def build(sources: list[SourceFile]) -> dict[str, pd.DataFrame]:
    """The four Southwest-border series from one or more CBP files. Where files overlap, the
    one reaching the latest fiscal year (the newer release) gives that year's rows."""
    for source in sources:
        source.require(COLUMNS)
    records, units, partial, origin = [], set(), set(), {}
    for source in sorted(sources, key=_last_fy):
        file_records, file_units, file_partial = _read(source)
        years = {record["fy"] for record in file_records} | file_partial
        records = [record for record in records if record["fy"] not in years] + file_records
        partial = (partial - years) | file_partial
        units |= file_units
        origin.update({year: source for year in years})
    if not records:
        names = ", ".join(source.name for source in sources)
        raise sources[0].error(f"no rows with Region {REGION!r} and Drug Type {DRUG!r} in {names}",
                               column="Region")
    frame = pd.DataFrame(records)
    full = frame[~frame["fy"].isin(partial)]
    series = {"cbp_sw_monthly": _monthly(frame, origin)}
    if not full.empty:       # a file of the year in progress only has no complete fiscal year
        series |= {"cbp_sw_component": _component(full, origin), "cbp_sw_total": _total(full, origin),
                   "cbp_sw_unit": _unit(full, units, origin)}
    return series


def _last_fy(source: SourceFile) -> int:
    years = [_fiscal_year(source, row)[0] for row in source.rows]
    return max(years)


def _read(source: SourceFile) -> tuple[list[dict], set[str], set[int]]:
    records, units, partial = [], set(), set()
    seen: dict[tuple, int] = {}
    for row in source.rows:
        fy, in_progress = _fiscal_year(source, row)
        month = _month(source, row)
        key = tuple(row.cells[column].strip() for column in COLUMNS[:7])
        if key in seen:
            raise source.error(f"duplicate of row {seen[key]} (same year, month, component, region, land "
                               "filter, area and drug)", row, "Area of Responsibility")
        seen[key] = row.line
        if in_progress:
            partial.add(fy)
        if row.cells["Region"].strip() != REGION:
            continue
        unit, component = _unit_name(source, row)
        units.add(unit)
        if row.cells["Drug Type"].strip() != DRUG:
            continue
        _check_component(source, row, component)
        records.append({"fy": fy, "month": month, "component": component, "unit": unit,
                        "lb": source.number(row, "Sum Qty (lbs)"), "events": source.count(row, "Count of Event")})
    return records, units, partial


def _fiscal_year(source: SourceFile, row: Row) -> tuple[int, bool]:
    match = FY_PATTERN.match(row.cells["FY"].strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise source.error(f"{row.cells['FY']!r} is not a fiscal year (like 2023 or 2025 (FYTD))", row, "FY")
    return int(match.group(1)), bool(match.group(2))


def _month(source: SourceFile, row: Row) -> int:
    text = row.cells["Month (abbv)"].strip().upper()
    if text not in MONTHS:
        raise source.error(f"{row.cells['Month (abbv)']!r} is not a month abbreviation ({', '.join(MONTHS)})",
                           row, "Month (abbv)")
    return (MONTHS.index(text) + 9) % 12 + 1


def _unit_name(source: SourceFile, row: Row) -> tuple[str, str]:
    name = " ".join(row.cells["Area of Responsibility"].split()).upper()
    for suffix, component in UNIT_KINDS.items():
        if name.endswith(suffix):
            return name.title(), component
    raise source.error(f"{row.cells['Area of Responsibility']!r} is neither a field office nor a sector",
                       row, "Area of Responsibility")


def _check_component(source: SourceFile, row: Row, unit_component: str) -> None:
    name = row.cells["Component"].strip()
    if name not in COMPONENTS:
        raise source.error(f"{name!r} is not a CBP component ({', '.join(COMPONENTS)})", row, "Component")
    if COMPONENTS[name][0] != unit_component:
        raise source.error(f"component {name!r} does not match the area {row.cells['Area of Responsibility']!r}",
                           row, "Component")


def _provenance(years, origin) -> dict[str, str]:
    sources = list(dict.fromkeys(origin[year] for year in years))
    note = "; ".join(f"sum of {source.name} (sha256 {source.sha256[:12]})" for source in sources)
    return {"confidence": "computed", "primary_url": PUBLISHER_URL, "source_url": PUBLISHER_URL, "note": note}


def _with_provenance(frame: pd.DataFrame, origin) -> pd.DataFrame:
    notes = [_provenance([year], origin) for year in frame["fy"]]
    return pd.concat([frame.reset_index(drop=True), pd.DataFrame(notes)], axis=1)


def _monthly(frame: pd.DataFrame, origin) -> pd.DataFrame:
    sums = frame.groupby(["fy", "month"], as_index=False)["lb"].sum()
    sums["year"] = sums["fy"] - (sums["month"] >= 10)
    sums["lb"] = sums["lb"].round(0)
    sums = sums.sort_values(["fy", "year", "month"])[["fy", "year", "month", "lb"]]
    return _with_provenance(sums, origin)


def _component(frame: pd.DataFrame, origin) -> pd.DataFrame:
    sums = frame.groupby(["fy", "component"], as_index=False)[["lb", "events"]].sum()
    sums["agency"] = sums["component"].map({kind: agency for kind, agency in COMPONENTS.values()})
    sums["lb"] = sums["lb"].round(0)
    sums = sums.sort_values(["fy", "component"], ascending=[True, False])
    return _with_provenance(sums[["fy", "component", "agency", "lb", "events"]], origin)


def _total(frame: pd.DataFrame, origin) -> pd.DataFrame:
    sums = frame.groupby("fy", as_index=False)[["lb", "events"]].sum()
    sums["lb"] = sums["lb"].round(0)
    return _with_provenance(sums[["fy", "lb", "events"]], origin)


def _unit(frame: pd.DataFrame, units: set[str], origin) -> pd.DataFrame:
    sums = frame.groupby(["fy", "unit"])["lb"].sum().round(1)
    rows = [{"fy": fy, "unit": unit, "component": _kind(unit), "lb": float(sums.get((fy, unit), 0.0))}
            for fy in sorted(frame["fy"].unique()) for unit in sorted(units)]
    return _with_provenance(pd.DataFrame(rows), origin)


def _kind(unit: str) -> str:
    return next(kind for suffix, kind in UNIT_KINDS.items() if unit.upper().endswith(suffix))
