"""CBP's nationwide drug-seizure file -> the Southwest-border fentanyl series.

CBP publishes one CSV for every drug, region and month (Drug Seizure Statistics,
https://www.cbp.gov/newsroom/stats/drug-seizure-statistics), one row per fiscal year, month,
component, region, land filter, area of responsibility and drug, with `Count of Event` and
`Sum Qty (lbs)`. The year of the fiscal year in progress reads like `2025 (FYTD)`.

From the rows with Drug Type "Fentanyl" and Region "Southwest Border" this builds:
- cbp_sw_monthly: lb by month (calendar year = FY - 1 for Oct-Dec), rounded to whole lb;
- cbp_sw_component, cbp_sw_total: lb (whole lb) and seizure events by FY, port (OFO) and
  between (USBP), for complete fiscal years only;
- cbp_sw_unit: lb (to 0.1) by FY and OFO field office / USBP sector, every Southwest unit that
  appears in the file for any drug (0 where it seized no fentanyl), complete fiscal years only;
and from the Fentanyl rows of every region, cbp_nationwide: lb (to 0.1) by FY, total, port (OFO)
and between (USBP), complete fiscal years only (replacing the press figures bundled for it).
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
SERIES = ("cbp_sw_monthly", "cbp_sw_component", "cbp_sw_total", "cbp_sw_unit", "cbp_nationwide")
SOUTHWEST_SERIES = SERIES[:4]      # the bundled CBP series this importer rebuilds exactly


def build(sources: list[SourceFile]) -> dict[str, pd.DataFrame]:
    """The Southwest-border and nationwide series from one or more CBP files. Where files overlap,
    the one reaching the latest fiscal year (the newer release) gives that year's rows."""
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
    frame = pd.DataFrame(records, columns=["fy", "month", "southwest", "component", "unit", "lb", "events"])
    southwest = frame[frame["southwest"]]
    if southwest.empty:
        names = ", ".join(source.name for source in sources)
        raise sources[0].error(f"no rows with Region {REGION!r} and Drug Type {DRUG!r} in {names}",
                               column="Region")
    complete = ~frame["fy"].isin(partial)
    full = southwest[complete[frame["southwest"]]]
    series = {"cbp_sw_monthly": _monthly(southwest, origin)}
    if not full.empty:       # a file of the year in progress only has no complete fiscal year
        series |= {"cbp_sw_component": _component(full, origin), "cbp_sw_total": _total(full, origin),
                   "cbp_sw_unit": _unit(full, units, origin), "cbp_nationwide": _nationwide(frame[complete], origin)}
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
        southwest = row.cells["Region"].strip() == REGION
        unit, unit_kind = _unit_name(source, row) if southwest else ("", None)
        if southwest:
            units.add(unit)
        if row.cells["Drug Type"].strip() != DRUG:
            continue
        records.append({"fy": fy, "month": month, "southwest": southwest,
                        "component": _component_of(source, row, unit_kind), "unit": unit,
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


def _component_of(source: SourceFile, row: Row, unit_kind: str | None) -> str:
    """port or between, checked against the kind of Southwest unit (field office or sector)."""
    name = row.cells["Component"].strip()
    if name not in COMPONENTS:
        raise source.error(f"{name!r} is not a CBP component ({', '.join(COMPONENTS)})", row, "Component")
    kind = COMPONENTS[name][0]
    if unit_kind is not None and kind != unit_kind:
        raise source.error(f"component {name!r} does not match the area {row.cells['Area of Responsibility']!r}",
                           row, "Component")
    return kind


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


def _nationwide(frame: pd.DataFrame, origin) -> pd.DataFrame:
    by_component = frame.groupby(["fy", "component"], as_index=False)["lb"].sum()
    total = frame.groupby("fy", as_index=False)["lb"].sum().assign(component="total")
    sums = pd.concat([total, by_component], ignore_index=True)
    sums["lb"] = sums["lb"].round(1)
    sums["lb_alt"] = float("nan")
    order = {"total": 0, "port": 1, "between": 2}
    sums = sums.sort_values(["fy", "component"], key=lambda c: c.map(order) if c.name == "component" else c)
    frame = _with_provenance(sums[["fy", "component", "lb", "lb_alt"]], origin)
    frame["note"] = "Fentanyl, all regions: " + frame["note"]
    return frame


def _kind(unit: str) -> str:
    return next(kind for suffix, kind in UNIT_KINDS.items() if unit.upper().endswith(suffix))
