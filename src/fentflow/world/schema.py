"""Row models of the world files (docs/world-format.md): one pydantic model per CSV file,
plus the tables of world.toml.

The models check one row at a time: types, ranges, allowed values. Checks that need several
rows or files (unknown ids, shares summing to 1, routes) live in `validate.py`.
`describe_error` turns a pydantic error into the short problem text of an `InputError`.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

Confidence = Literal["stated", "computed", "inference", "unconfirmed", "assumption"]
CONFIDENCES: tuple[str, ...] = get_args(Confidence)

FIELD_OFFICES = ("San Diego Field Office", "Tucson Field Office", "El Paso Field Office",
                 "Laredo Field Office")
SECTORS = ("San Diego Sector", "El Centro Sector", "Yuma Sector", "Tucson Sector",
           "El Paso Sector", "Big Bend Sector", "Del Rio Sector", "Laredo Sector",
           "Rio Grande Valley Sector")
CbpUnit = Literal[FIELD_OFFICES + SECTORS]  # type: ignore[valid-type]

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
TAG_PATTERN = re.compile(r"\[([A-Za-z0-9_-]+)\]")   # a source tag cited in a `source` cell


def _check_id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise ValueError(f"{value!r} is not a valid id (letters, digits, '-', '_', '.'; no spaces)")
    return value


def _check_inegi_code(value: str) -> str:
    if not re.fullmatch(r"\d\d", value) or not 1 <= int(value) <= 32:
        raise ValueError(f"{value!r} is not an INEGI state code ('01' to '32')")
    return value


def _check_usps_code(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(f"{value!r} is not a two-letter USPS code")
    return value


def _check_via(value: str | None) -> str:
    """`via` is a `;`-separated list of state ids, possibly empty; returns it normalised."""
    if value is None:
        return ""
    items = [item.strip() for item in value.split(";")]
    if any(not item for item in items):
        raise ValueError(f"{value!r} has an empty item; write state ids separated by ';'")
    for item in items:
        _check_id(item)
    return ";".join(items)


def _plain_number(value: Any) -> Any:
    """TOML values must be numbers, not text or booleans (pydantic would coerce those)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {value!r}")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, Field(min_length=1)]
Share = Annotated[float, Field(ge=0, le=1)]
MAX_COUNT = 10**12   # far above any real count, far below what a 64-bit column holds
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Population = Annotated[int, Field(gt=0, le=MAX_COUNT)]   # a place without people has no market or state row
NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
InegiCode = Annotated[str, AfterValidator(_check_inegi_code)]
UspsCode = Annotated[str, AfterValidator(_check_usps_code)]
Via = Annotated[str, BeforeValidator(_check_via)]


class Row(BaseModel):
    """Common configuration: no unknown fields, no NaN/inf, surrounding spaces ignored."""
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              str_strip_whitespace=True)


class StateRow(Row):
    abbr: Id
    code: InegiCode
    name: Text
    population: Population
    population_2023: Population
    homicides_2015: Count
    homicides_2022: Count
    homicides_2023: Count
    lat: Latitude
    lon: Longitude
    source: Text
    confidence: Confidence


class OrganisationRow(Row):
    id: Id
    name: Text
    parent: Id | None = None
    source: Text
    confidence: Confidence

    @field_validator("parent")
    @classmethod
    def _not_own_parent(cls, parent: str | None, info: ValidationInfo) -> str | None:
        if parent is not None and parent == info.data.get("id"):
            raise ValueError("an organisation cannot be its own parent")
        return parent


class ControlRow(Row):
    state: Id
    org: Id
    share: Share
    source: Text
    confidence: Confidence


class PlazaRow(Row):
    crossing: Id
    org: Id
    share: Share
    source: Text
    confidence: Confidence


class EntryPointRow(Row):
    id: Id
    name: Text
    state: Id
    kind: Literal["seaport", "airport", "land"]
    precursor_share: Share
    lat: Latitude
    lon: Longitude
    source: Text
    confidence: Confidence


class ProductionRow(Row):
    id: Id
    state: Id
    org: Id
    city: Text
    capacity_share: Share
    lat: Latitude
    lon: Longitude
    source: Text
    confidence: Confidence


class CrossingRow(Row):
    id: Id
    name: Text
    kind: Literal["port", "between"]
    unit: CbpUnit
    us_state: UspsCode
    mx_state: Id
    lat: Latitude
    lon: Longitude
    vehicles: Count
    source: Text
    confidence: Confidence

    @field_validator("unit")
    @classmethod
    def _unit_matches_kind(cls, unit: str, info: ValidationInfo) -> str:
        # Ports report to an OFO field office, the ground between them to a Border Patrol sector.
        kind = info.data.get("kind")
        if kind == "port" and unit not in FIELD_OFFICES:
            raise ValueError(f"a port reports to a field office ('... Field Office'), not {unit!r}")
        if kind == "between" and unit not in SECTORS:
            raise ValueError(f"a 'between' crossing is a Border Patrol sector ('... Sector'), not {unit!r}")
        return unit


class MarketRow(Row):
    id: UspsCode
    name: Text
    region: Literal["Northeast", "Midwest", "South", "West"]
    population: Population
    od_deaths_2022: Count
    synthetic_deaths_2022: Count | None = None
    lat: Latitude
    lon: Longitude
    source: Text
    confidence: Confidence


class RouteRow(Row):
    origin: Id
    destination: Id
    mode: Literal["road", "sea", "air", "bus", "courier"]
    km: Positive
    hours: Positive
    cost_usd_per_kg: NonNegative
    base_risk: Share
    via: Via = ""
    source: Text
    confidence: Confidence


class SourceRow(Row):
    file: Literal["states.csv", "organisations.csv", "control.csv", "plazas.csv", "entry_points.csv",
                  "production.csv", "crossings.csv", "markets.csv", "routes.csv"]
    column: Text
    source: Text
    confidence: Confidence
    note: str | None = None


class WorldMeta(Row):
    """The [world] table of world.toml."""
    name: Text
    description: Text


class NationalFigure(Row):
    """One [national.<key>] table of world.toml: a national figure with its provenance."""
    value: Annotated[float, BeforeValidator(_plain_number), Field(ge=0)]
    unit: Text
    year: Annotated[int, Field(ge=1900, le=2100, strict=True)]
    source: Text
    confidence: Confidence


def describe_error(error: dict[str, Any]) -> str:
    """A short, plain problem text for one pydantic error (never a pydantic dump)."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "is missing"
    if value is None:
        return "is empty; a value is required"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {value!r}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {value!r}"
    if kind == "finite_number":
        return f"expected a finite number, got {value!r}"
    if kind in _BOUNDS:
        symbol, key = _BOUNDS[kind]
        return f"must be {symbol} {ctx[key]:g}, got {value}"
    if kind == "literal_error":
        return f"{value!r} is not allowed; expected {ctx['expected']}"
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_type":
        return f"expected text, got {value!r}"
    if kind == "extra_forbidden":
        return "unknown key"
    return str(error["msg"])


_BOUNDS = {"greater_than_equal": (">=", "ge"), "greater_than": (">", "gt"),
           "less_than_equal": ("<=", "le"), "less_than": ("<", "lt")}
