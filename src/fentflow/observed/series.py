"""Public observed series (CBP, DEA, CDC, SESNSP, SEDENA, prices) as tidy tables with sources.

Each series is one CSV file under `observed/data/`, declared once in `SERIES` below with its
columns and types. Every row carries `confidence` (stated / computed / inference /
unconfirmed, as in reference/public-figures.md), `source_url` and a free-text `note`.
The series names and columns are an API: the simulator and calibration read them.

    >>> from fentflow.observed.series import load_series
    >>> load_series("cbp_sw_component").query("component == 'port'")
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError

logger = logging.getLogger(__name__)

LAST_DATA_YEAR = 2023      # the bundled public series run through 2023 (calibration fits up to it)

CONFIDENCE_MARKS = frozenset({"stated", "computed", "inference", "unconfirmed"})
PROVENANCE_COLUMNS: Mapping[str, str] = {"confidence": "str", "source_url": "str", "note": "str"}

CBP_EXTRACT = ("CBP public drug-seizure data, Southwest-border fentanyl extract "
               "(repo Howard-Xuan/fentanyl_traffick)")


@dataclass(frozen=True)
class SeriesSpec:
    """One observed series: where it lives, what it means and the columns it must have."""

    name: str
    description: str
    unit: str
    period: str
    source: str
    columns: Mapping[str, str]          # column -> pandas dtype, provenance columns excluded
    key: tuple[str, ...]                # columns that identify a row

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def all_columns(self) -> dict[str, str]:
        return {**self.columns, **PROVENANCE_COLUMNS}


SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "cbp_sw_monthly",
        "CBP fentanyl seizures at the Southwest border by month (OFO + USBP)",
        "lb (gross)", "FY2019-FY2023, monthly", CBP_EXTRACT,
        {"fy": "int64", "year": "int64", "month": "int64", "lb": "float64"},
        key=("fy", "month"),
    ),
    SeriesSpec(
        "cbp_sw_component",
        "CBP Southwest-border fentanyl and seizure events by component: port (OFO, ports of "
        "entry) and between (USBP, between ports and at checkpoints); they add to cbp_sw_total",
        "lb (gross); events", "FY2019-FY2023", CBP_EXTRACT,
        {"fy": "int64", "component": "str", "agency": "str", "lb": "float64", "events": "int64"},
        key=("fy", "component"),
    ),
    SeriesSpec(
        "cbp_sw_total",
        "CBP Southwest-border fentanyl by fiscal year, all components, with seizure events",
        "lb (gross); events", "FY2019-FY2023", CBP_EXTRACT,
        {"fy": "int64", "lb": "float64", "events": "int64"},
        key=("fy",),
    ),
    SeriesSpec(
        "cbp_sw_unit",
        "CBP Southwest-border fentanyl by OFO field office (component port) and USBP sector "
        "(component between), CBP's own unit names",
        "lb (gross)", "FY2019-FY2023", CBP_EXTRACT,
        {"fy": "int64", "unit": "str", "component": "str", "lb": "float64"},
        key=("fy", "unit"),
    ),
    SeriesSpec(
        "cbp_nationwide",
        "CBP fentanyl seizures nationwide (all regions); component total / port / between; "
        "lb_alt holds another vintage or rounding of the same figure",
        "lb (gross)", "FY2019-FY2023", "CBP releases via news copies (see rows)",
        {"fy": "int64", "component": "str", "lb": "float64", "lb_alt": "float64"},
        key=("fy", "component"),
    ),
    SeriesSpec(
        "dea_seizures",
        "DEA fentanyl seizures by calendar year: pills, powder and DEA's 'potentially lethal "
        "doses'; bound = exact (the source's rounded headline figure) / upper / lower",
        "pills; lb (gross); doses", "CY2021-CY2023", "DEA year-end releases via news copies",
        {"year": "int64", "pills": "float64", "powder_lb": "float64", "lethal_doses": "float64",
         "bound": "str"},
        key=("year", "bound"),
    ),
    SeriesSpec(
        "dea_surge_2022",
        "DEA 'One Pill Can Kill' enforcement surge, 23 May - 8 Sep 2022",
        "pills; lb (gross); doses; cases", "2022-05-23 to 2022-09-08", "DOJ/DEA release, 27 Sep 2022",
        {"period_start": "str", "period_end": "str", "pills": "float64", "powder_lb": "float64",
         "lethal_doses": "float64", "cases": "int64", "cases_overdose_linked": "int64",
         "cases_sinaloa_or_cjng_linked": "int64", "bound": "str"},
        key=("period_start",),
    ),
    SeriesSpec(
        "dea_share_2mg",
        "Share of DEA-tested counterfeit pills with >= 2 mg fentanyl (a potentially lethal "
        "dose); share_alt = another published value. No 2023 figure in the reference file",
        "fraction of pills", "2017, 2019, 2021, 2022", "DEA alerts and releases via news copies",
        {"year": "int64", "share": "float64", "share_alt": "float64"},
        key=("year",),
    ),
    SeriesSpec(
        "dea_purity",
        "DEA lab figures: mg of fentanyl per counterfeit pill and powder purity "
        "(value = average; low/high = range of tested items where given)",
        "mg per pill; fraction by weight", "c. 2017, 2021, 2022", "DEA NDTA 2024 via news copies",
        {"year": "int64", "measure": "str", "value": "float64", "low": "float64",
         "high": "float64", "unit": "str"},
        key=("year", "measure"),
    ),
    SeriesSpec(
        "cdc_deaths",
        "U.S. drug overdose deaths, all drugs (total) and synthetic opioids other than "
        "methadone (T40.4, mostly fentanyl). total/synthetic are NCHS final values; "
        "*_status says final or unconfirmed per value, status is the weaker of the two; "
        "vsrr_* are CDC VSRR provisional 12-month-ending-December counts (reported / predicted)",
        "deaths", "2013-2023", "NCHS / CDC (see rows)",
        {"year": "int64", "total": "int64", "total_status": "str", "synthetic": "int64",
         "synthetic_status": "str", "status": "str",
         "vsrr_total_reported": "Int64", "vsrr_total_predicted": "Int64",
         "vsrr_synthetic_reported": "Int64", "vsrr_synthetic_predicted": "Int64"},
        key=("year",),
    ),
    SeriesSpec(
        "sesnsp_homicides",
        "Mexico intentional-homicide victims by state (SESNSP, fuero común), CONAPO mid-year "
        "population and rate per 100,000; code = INEGI state code",
        "victims; persons; per 100k", "2022-2023",
        "SESNSP / CONAPO open data (repo isaacarroyov/datos_facil_acceso)",
        {"abbr": "str", "code": "str", "state": "str", "year": "int64", "victims": "int64",
         "population": "int64", "rate_per_100k": "float64"},
        key=("abbr", "year"),
    ),
    SeriesSpec(
        "mexico_fentanyl_labs",
        "Fentanyl labs seized in Mexico by state (ALL = national), under three SEDENA "
        "definitions (column what); the 26-lab series runs to Oct 2024",
        "labs", "2019-2024", "SEDENA transparency replies and statements via news copies",
        {"state": "str", "labs": "int64", "period": "str", "start": "str", "end": "str", "what": "str"},
        key=("state", "start", "end", "what"),
    ),
    SeriesSpec(
        "prices",
        "Fentanyl price points (retail pills, wholesale powder) and comparators; "
        "value = the stated point (or the midpoint of a stated low-high range)",
        "see unit column", "c. 2016-2023", "DOJ, DEA, RAND and news (see rows)",
        {"place": "str", "period": "str", "value": "float64", "low": "float64", "high": "float64",
         "unit": "str", "what": "str"},
        key=("place", "period", "what"),
    ),
)

_SPECS: dict[str, SeriesSpec] = {spec.name: spec for spec in SERIES}


def series_names() -> list[str]:
    return [spec.name for spec in SERIES]


def series_spec(name: str) -> SeriesSpec:
    """The declaration of series `name`; an unknown name is an InputError listing the valid ones."""
    try:
        return _SPECS[name]
    except KeyError:
        raise InputError(f"unknown series {name!r}; valid names: {', '.join(series_names())}",
                         field="name") from None


def load_series(name: str) -> pd.DataFrame:
    """The rows of series `name` as a DataFrame (a fresh copy, safe to modify)."""
    return _load_validated(name).copy()


def list_series() -> pd.DataFrame:
    """One row per series: name, description, unit, period, rows, source."""
    return pd.DataFrame([
        {"name": spec.name, "description": spec.description, "unit": spec.unit,
         "period": spec.period, "rows": len(_load_validated(spec.name)), "source": spec.source}
        for spec in SERIES
    ])


def read_series_file(spec: SeriesSpec, path: Traversable | Path) -> pd.DataFrame:
    """Read and validate a CSV file for `spec`: declared columns and types, a source URL and a
    known confidence mark on every row, unique keys. Errors name the file, line and field."""
    frame = _read_csv(spec, path)
    _check_rows(spec, frame)
    return frame


@functools.cache
def _load_validated(name: str) -> pd.DataFrame:
    spec = series_spec(name)
    frame = read_series_file(spec, resources.files(__package__).joinpath("data", spec.filename))
    logger.debug("loaded series %s: %d rows from %s", name, len(frame), spec.filename)
    return frame


def _read_csv(spec: SeriesSpec, path: Traversable | Path) -> pd.DataFrame:
    with path.open("r", encoding="utf-8") as handle:
        header = pd.read_csv(handle, nrows=0).columns.tolist()
    _check_header(spec, header)
    numeric_blanks = {col: [""] for col, dtype in spec.all_columns.items() if dtype != "str"}
    with path.open("r", encoding="utf-8") as handle:
        try:
            return pd.read_csv(handle, dtype=spec.all_columns, keep_default_na=False,
                               na_values=numeric_blanks)
        except ValueError as exc:   # a value that does not fit its declared type
            raise InputError(f"cannot read values with the declared types: {exc}",
                             file=spec.filename) from None


def _check_header(spec: SeriesSpec, header: list[str]) -> None:
    expected = list(spec.all_columns)
    missing = [col for col in expected if col not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=spec.filename, field=missing[0])
    extra = [col for col in header if col not in expected]
    if extra:
        raise InputError(f"column(s) {', '.join(extra)} not declared for series {spec.name!r}",
                         file=spec.filename, field=extra[0])


def _check_rows(spec: SeriesSpec, frame: pd.DataFrame) -> None:
    """Every row names its source and a known confidence mark; keys are unique."""
    for index, row in frame.iterrows():
        line = int(index) + 2   # the line in the CSV file, after the header
        if not str(row["source_url"]).startswith(("http://", "https://")):
            raise InputError("source_url must be an http(s) URL", file=spec.filename, row=line,
                             field="source_url")
        if row["confidence"] not in CONFIDENCE_MARKS:
            raise InputError(f"confidence {row['confidence']!r} is not one of "
                             f"{', '.join(sorted(CONFIDENCE_MARKS))}",
                             file=spec.filename, row=line, field="confidence")
    duplicated = frame.duplicated(list(spec.key), keep=False)
    if duplicated.any():
        line = int(duplicated.to_numpy().nonzero()[0][0]) + 2
        raise InputError(f"duplicate row for key ({', '.join(spec.key)})", file=spec.filename,
                         row=line, field=spec.key[0])
