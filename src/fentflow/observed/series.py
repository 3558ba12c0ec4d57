"""Public observed series (CBP, DEA, CDC, SESNSP, SEDENA, prices) as tidy tables with sources.

Each series is one CSV file under `observed/data/`, declared once in `SERIES` below with its
columns and types. Every row carries `confidence` (stated / computed / inference /
unconfirmed), `primary_url` (the figure at its publisher, see `publishers.py`; empty only
where no publisher's page is known), `source_url` (the copy the figure was read from, the
same address when read at the publisher) and a free-text `note`.
The series names and columns are an API: the simulator and calibration read them.

Series imported from the publishers' newer files (`fentflow data import`, see `imports/`)
live in a data folder; `use_data_folder(folder)` makes every later `load_series` read them
over the bundled rows (a row of the folder replaces the bundled row with the same key).

    >>> from fentflow.observed.series import load_series
    >>> load_series("cbp_sw_component").query("component == 'port'")
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError
from fentflow.observed.publishers import publisher_of

logger = logging.getLogger(__name__)

LAST_DATA_YEAR = 2023      # the bundled public series run through 2023; imported ones may go further

CONFIDENCE_MARKS = frozenset({"stated", "computed", "inference", "unconfirmed"})
PROVENANCE_COLUMNS: Mapping[str, str] = {"confidence": "str", "primary_url": "str", "source_url": "str",
                                          "note": "str"}
DATA_FOLDER_ENV = "FENTFLOW_DATA"   # the data folder in use; in the environment so worker processes read it too

CBP_EXTRACT = ("CBP Drug Seizure Statistics, nationwide files FY2019-FY2023 (read from the copy in repo "
               "Howard-Xuan/fentanyl_traffick; `fentflow data import` rebuilds the series from CBP's files)")


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
        "methadone (T40.4, mostly fentanyl). total/synthetic are NCHS final values (imported later "
        "years: VSRR predicted provisional); *_status says final, provisional or unconfirmed per value, "
        "status is the weaker of the two; "
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
        "victims; persons; per 100k", "2015-2024",
        "SESNSP / CONAPO open data (read from the copy in repo isaacarroyov/datos_facil_acceso)",
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


def bundled_series(name: str) -> pd.DataFrame:
    """The bundled rows of series `name` only, whatever data folder is in use (a fresh copy)."""
    return _load_validated(name).copy()


def use_data_folder(folder: Path | str | None) -> None:
    """Read imported series from `folder` over the bundled ones from now on (None: bundled only).
    A folder that does not exist is an InputError (a typo would otherwise fall back silently)."""
    if folder is None:
        os.environ.pop(DATA_FOLDER_ENV, None)
        return
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder of imported series (see `fentflow data import`)", file=str(folder),
                         field="--data")
    os.environ[DATA_FOLDER_ENV] = str(folder.resolve())


def data_folder() -> Path | None:
    """The folder of imported series in use, or None (bundled series only)."""
    folder = os.environ.get(DATA_FOLDER_ENV)
    return Path(folder) if folder else None


def imported_file(name: str) -> Path | None:
    """The imported file of series `name` in the data folder in use, if there is one."""
    folder = data_folder()
    path = folder / series_spec(name).filename if folder else None
    return path if path is not None and path.is_file() else None


def imported_fingerprint() -> str | None:
    """A sha256 of the imported series in use (None when the bundled series only are read): a
    calibration records it, so one stored with other data is not resumed."""
    files = [(spec.name, path) for spec in SERIES if (path := imported_file(spec.name)) is not None]
    if not files:
        return None
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def last_data_year() -> int:
    """The last (calendar or fiscal) year of the public series in use: 2023 for the bundled series,
    later where the data folder in use holds imported rows that reach further."""
    years = [LAST_DATA_YEAR]
    for spec in SERIES:
        if imported_file(spec.name) is not None:
            frame = load_series(spec.name)
            years.append(int(frame["year" if "year" in frame else "fy"].max()))
    return max(years)


def load_series(name: str) -> pd.DataFrame:
    """The rows of series `name` as a DataFrame (a fresh copy, safe to modify): the bundled rows,
    with the rows of the data folder in use (if any) replacing those with the same key."""
    bundled = _load_validated(name)
    path = imported_file(name)
    if path is None:
        return bundled.copy()
    return merge_rows(series_spec(name), bundled, _load_imported(name, str(path), path.stat().st_mtime_ns))


def merge_rows(spec: SeriesSpec, bundled: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    """`bundled` with the rows of `imported` replacing those with the same key, in key order."""
    key = list(spec.key)
    replaced = bundled.set_index(key).index.isin(imported.set_index(key).index)
    merged = pd.concat([bundled[~replaced], imported], ignore_index=True)
    return merged.sort_values(key[0], kind="stable").reset_index(drop=True)


def list_series() -> pd.DataFrame:
    """One row per series: name, description, unit, period, rows, source, imported (file in use)."""
    return pd.DataFrame([
        {"name": spec.name, "description": spec.description, "unit": spec.unit,
         "period": _period(spec), "rows": len(load_series(spec.name)), "source": spec.source,
         "imported": str(imported_file(spec.name) or "")}
        for spec in SERIES
    ])


def primary_url_count() -> tuple[int, int]:
    """(rows whose primary_url is at a publisher's site, all rows) over every series in use."""
    urls = [url for spec in SERIES for url in load_series(spec.name)["primary_url"]]
    return sum(1 for url in urls if url and publisher_of(url)), len(urls)


def _period(spec: SeriesSpec) -> str:
    """The declared period, or the years actually present when imported rows extend it."""
    if imported_file(spec.name) is None:
        return spec.period
    years = load_series(spec.name)[spec.key[0]]
    return f"{spec.key[0]} {years.min()}-{years.max()} (with imported rows)"


def read_series_file(spec: SeriesSpec, path: Traversable | Path, label: str | None = None) -> pd.DataFrame:
    """Read and validate a CSV file for `spec`: declared columns and types, a source URL and a
    known confidence mark on every row, unique keys. Errors name the file (`label`, by default
    the series' file name), line and field."""
    label = label or spec.filename
    frame = _read_csv(spec, path, label)
    _check_rows(spec, frame, label)
    return frame


@functools.cache
def _load_imported(name: str, path: str, mtime_ns: int) -> pd.DataFrame:   # mtime: a new import is re-read
    return read_series_file(series_spec(name), Path(path), label=path)


@functools.cache
def _load_validated(name: str) -> pd.DataFrame:
    spec = series_spec(name)
    frame = read_series_file(spec, resources.files(__package__).joinpath("data", spec.filename))
    logger.debug("loaded series %s: %d rows from %s", name, len(frame), spec.filename)
    return frame


def _read_csv(spec: SeriesSpec, path: Traversable | Path, label: str) -> pd.DataFrame:
    with path.open("r", encoding="utf-8") as handle:
        header = pd.read_csv(handle, nrows=0).columns.tolist()
    _check_header(spec, header, label)
    numeric_blanks = {col: [""] for col, dtype in spec.all_columns.items() if dtype != "str"}
    with path.open("r", encoding="utf-8") as handle:
        try:
            return pd.read_csv(handle, dtype=spec.all_columns, keep_default_na=False,
                               na_values=numeric_blanks)
        except ValueError as exc:   # a value that does not fit its declared type
            raise InputError(f"cannot read values with the declared types: {exc}",
                             file=label) from None


def _check_header(spec: SeriesSpec, header: list[str], label: str) -> None:
    expected = list(spec.all_columns)
    missing = [col for col in expected if col not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=label, field=missing[0])
    extra = [col for col in header if col not in expected]
    if extra:
        raise InputError(f"column(s) {', '.join(extra)} not declared for series {spec.name!r}",
                         file=label, field=extra[0])


def _check_rows(spec: SeriesSpec, frame: pd.DataFrame, label: str) -> None:
    """Every row names its source and a known confidence mark; a primary URL is at a publisher's
    site; keys are unique."""
    for index, row in frame.iterrows():
        line = int(index) + 2   # the line in the CSV file, after the header
        if not str(row["source_url"]).startswith(("http://", "https://")):
            raise InputError("source_url must be an http(s) URL", file=label, row=line,
                             field="source_url")
        if row["primary_url"] and publisher_of(row["primary_url"]) is None:
            raise InputError(f"primary_url {row['primary_url']!r} is not at a known publisher's site "
                             "(observed/publishers.py)", file=label, row=line, field="primary_url")
        if row["confidence"] not in CONFIDENCE_MARKS:
            raise InputError(f"confidence {row['confidence']!r} is not one of "
                             f"{', '.join(sorted(CONFIDENCE_MARKS))}",
                             file=label, row=line, field="confidence")
    duplicated = frame.duplicated(list(spec.key), keep=False)
    if duplicated.any():
        line = int(duplicated.to_numpy().nonzero()[0][0]) + 2
        raise InputError(f"duplicate row for key ({', '.join(spec.key)})", file=label,
                         row=line, field=spec.key[0])
