"""Load a world directory (docs/world-format.md) into a validated, immutable `World`.

Every problem is raised as `InputError(problem, file=, row=, field=)`. Row numbers are
spreadsheet row numbers: the header is row 1, so the first data row is row 2 (the same
number as the line in the file when no cell spans several lines). Blank rows are skipped but
still counted, so the numbers stay those a spreadsheet or editor shows.

Columns not in the format are rejected, so a misspelt optional column cannot vanish silently.
"""
from __future__ import annotations

import csv
import io
import logging
import math
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pandas as pd
from pydantic import BaseModel, ValidationError

from fentflow.errors import InputError
from fentflow.world import schema
from fentflow.world.validate import Table, validate_world

log = logging.getLogger(__name__)

WORLD_TOML = "world.toml"


@dataclass(frozen=True)
class TableSpec:
    """How one CSV file of a world maps onto a row model."""
    name: str
    model: type[BaseModel]
    key: tuple[str, ...]                       # columns that must be unique together
    optional_columns: frozenset[str] = frozenset()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.optional_columns)

    @property
    def numeric_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if _numeric_type(self.model, c) is not None)


SPECS: tuple[TableSpec, ...] = (
    TableSpec("states", schema.StateRow, ("abbr",)),
    TableSpec("organisations", schema.OrganisationRow, ("id",), frozenset({"parent"})),
    TableSpec("control", schema.ControlRow, ("state", "org")),
    TableSpec("plazas", schema.PlazaRow, ("crossing", "org")),
    TableSpec("entry_points", schema.EntryPointRow, ("id",)),
    TableSpec("production", schema.ProductionRow, ("id",)),
    TableSpec("crossings", schema.CrossingRow, ("id",)),
    TableSpec("markets", schema.MarketRow, ("id",), frozenset({"synthetic_deaths_2022"})),
    TableSpec("routes", schema.RouteRow, ("origin", "destination", "mode")),
    TableSpec("sources", schema.SourceRow, ("file", "column")),
)
TABLE_NAMES: tuple[str, ...] = tuple(spec.name for spec in SPECS)


def default_world_path() -> Path:
    """The directory of the bundled default world."""
    return Path(__file__).resolve().parent / "data" / "default"


@dataclass(frozen=True, eq=False)
class World:
    """The static system fentflow simulates, loaded from a world directory and validated.

    Each table is a DataFrame in file order with a RangeIndex and the columns of
    docs/world-format.md in that order. Optional text cells (`parent`, `via`, `note`) are ""
    when empty; optional numbers (`synthetic_deaths_2022`) are NaN.
    `national` maps each [national.<key>] of world.toml to {"value", "unit", "year",
    "source", "confidence"}; `references` maps the source tags cited as [TAG] to their source.

    Example::

        world = ff.World.load()                   # the bundled world; or ff.World.load("my_world/")
        world.crossings[["id", "name", "unit"]]   # ports of entry and Border Patrol sectors
        world.table("states")                     # the 32 Mexican states
        sim = ff.Sim(world)

    A world that does not validate raises `ff.InputError` naming file, row and field
    (`fentflow world validate DIR` says the same on the command line).
    """
    name: str
    description: str
    path: Path
    states: pd.DataFrame
    organisations: pd.DataFrame
    control: pd.DataFrame
    plazas: pd.DataFrame
    entry_points: pd.DataFrame
    production: pd.DataFrame
    crossings: pd.DataFrame
    markets: pd.DataFrame
    routes: pd.DataFrame
    sources: pd.DataFrame
    national: dict[str, dict] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> World:
        """Load and validate the world in `path` (None: the bundled default world).

        Raises `InputError` naming file, row (spreadsheet numbering: header = row 1) and
        field of the first problem found.
        """
        root = Path(path) if path is not None else default_world_path()
        _check_directory(root)
        meta, national, references = read_world_toml(root / WORLD_TOML)
        tables = {spec.name: read_table(root / spec.file, spec) for spec in SPECS}
        validate_world(tables, references)
        log.info("loaded world %r from %s: %s", meta.name, root,
                 ", ".join(f"{len(t.frame)} {name}" for name, t in tables.items()))
        return cls(name=meta.name, description=meta.description, path=root,
                   national=national, references=references,
                   **{name: table.frame for name, table in tables.items()})

    def table(self, name: str) -> pd.DataFrame:
        """One table by name, with or without '.csv' (e.g. 'routes' or 'routes.csv')."""
        key = name.removesuffix(".csv")
        if key not in TABLE_NAMES:
            raise InputError(f"unknown table {name!r}; tables: {', '.join(TABLE_NAMES)}")
        return getattr(self, key)


def _check_directory(root: Path) -> None:
    if not root.exists():
        raise InputError("world directory not found", file=str(root))
    if not root.is_dir():
        raise InputError("is not a directory; a world is a directory of files", file=str(root))
    for name in (WORLD_TOML, *(spec.file for spec in SPECS)):
        path = root / name
        if path.is_file():
            continue
        if path.is_symlink():
            raise InputError("is a broken link or a link loop, not a file", file=str(path))
        if path.exists():
            raise InputError("is a folder (or other non-file), expected a file", file=str(path))
        raise InputError(f"missing file (expected in {root})", file=name)


# --- world.toml -------------------------------------------------------------------------

def read_world_toml(path: Path) -> tuple[schema.WorldMeta, dict[str, dict], dict[str, str]]:
    """Parse world.toml into its [world] table, [national.*] figures and [references]."""
    data = _parse_toml(path)
    for key in data:
        if key not in ("world", "national", "references"):
            raise InputError("unknown table; allowed tables: world, national.<key>, references",
                             file=WORLD_TOML, field=key)
    meta = _validate_toml_table(schema.WorldMeta, _toml_table(data, "world", required=True), "world")
    figures = _toml_table(data, "national")
    national = {}
    for key in figures:
        figure = _toml_table(figures, key, prefix="national.", required=True)
        national[key] = _validate_toml_table(schema.NationalFigure, figure, f"national.{key}").model_dump()
    return meta, national, _references(_toml_table(data, "references"))


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML: {exc}", file=WORLD_TOML) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", file=WORLD_TOML) from None


def _toml_table(data: dict[str, Any], key: str, prefix: str = "", required: bool = False) -> dict:
    value = data.get(key, None)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        problem = "missing table" if value is None else "expected a table"
        raise InputError(problem, file=WORLD_TOML, field=f"{prefix}{key}")
    return value


def _validate_toml_table(model: type[BaseModel], values: dict, where: str) -> Any:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field_name = ".".join([where, *map(str, error["loc"])])
        raise InputError(schema.describe_error(error), file=WORLD_TOML, field=field_name) from None


def _references(values: dict) -> dict[str, str]:
    for tag, text in values.items():
        if not schema.TAG_PATTERN.fullmatch(f"[{tag}]"):
            raise InputError("not a valid source tag (letters, digits, '-', '_')",
                             file=WORLD_TOML, field=f"references.{tag}")
        if not isinstance(text, str) or not text.strip():
            raise InputError("expected the non-empty text of the source",
                             file=WORLD_TOML, field=f"references.{tag}")
    return dict(values)


# --- CSV tables ---------------------------------------------------------------------------

def read_table(path: Path, spec: TableSpec) -> Table:
    """Read, type-check and de-duplicate one CSV file; cross-file checks come later."""
    records = _csv_records(path, spec.file)
    header = _check_header(next(records, None), spec)
    models, row_numbers, first_seen = [], [], {}
    for row_number, cells in records:
        if len(cells) != len(header):
            raise InputError(f"malformed CSV: {len(cells)} fields, but the header has {len(header)}",
                             file=spec.file, row=row_number)
        model = _validate_row(spec, dict(zip(header, cells)), row_number)
        _check_unique(spec, model, row_number, first_seen)
        models.append(model)
        row_numbers.append(row_number)
    return Table(spec.name, spec.file, _frame(spec, models), row_numbers, spec.numeric_columns)


def _csv_records(path: Path, file: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, stripped cells) for each non-blank record; header first."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (bad byte at offset {exc.start})", file=file) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row_number = 0
    while True:
        row_number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", file=file, row=row_number) from None
        cells = [cell.strip() for cell in cells]
        if any(cells):
            yield row_number, cells


def _check_header(first: tuple[int, list[str]] | None, spec: TableSpec) -> list[str]:
    if first is None:
        raise InputError("is empty; expected a header row", file=spec.file)
    row_number, header = first
    if row_number != 1:
        raise InputError("the header must be the first row", file=spec.file, row=row_number)
    for position, column in enumerate(header):
        if column in header[:position]:
            raise InputError("column appears twice in the header", file=spec.file, field=column)
        if column not in spec.columns:
            raise InputError(f"unknown column; allowed columns: {', '.join(spec.columns)}",
                             file=spec.file, field=column or f"(column {position + 1} has no name)")
    for column in spec.required_columns:
        if column not in header:
            raise InputError("missing column", file=spec.file, field=column)
    return header


def _validate_row(spec: TableSpec, cells: dict[str, str], row_number: int) -> BaseModel:
    values = {column: (cell if cell != "" else None) for column, cell in cells.items()}
    try:
        return spec.model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        column = str(error["loc"][0]) if error["loc"] else None
        raise InputError(schema.describe_error(error), file=spec.file, row=row_number,
                         field=column) from None


def _check_unique(spec: TableSpec, model: BaseModel, row_number: int, first_seen: dict) -> None:
    key = tuple(getattr(model, column) for column in spec.key)
    if key in first_seen:
        shown = key[0] if len(key) == 1 else key
        raise InputError(f"duplicate {'/'.join(spec.key)} {shown!r} (first at row {first_seen[key]})",
                         file=spec.file, row=row_number, field=spec.key[-1])
    first_seen[key] = row_number


def _frame(spec: TableSpec, models: list[BaseModel]) -> pd.DataFrame:
    """A DataFrame with the format's columns in order and plain dtypes."""
    columns = {}
    for column in spec.columns:
        values = [getattr(model, column) for model in models]
        kind = _numeric_type(spec.model, column)
        if kind is None:
            columns[column] = pd.Series(["" if v is None else v for v in values], dtype=str)
        elif kind is int and column not in spec.optional_columns:
            columns[column] = pd.Series(values, dtype="int64")
        else:
            columns[column] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    return pd.DataFrame(columns)


def _numeric_type(model: type[BaseModel], column: str) -> type | None:
    """int or float when the column holds numbers (possibly optional), else None."""
    annotation = model.model_fields[column].annotation
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is Annotated:    # e.g. `Count | None` keeps its Annotated
            candidate = get_args(candidate)[0]
        if candidate in (int, float):
            return candidate
    return None
