"""Checks across rows and files of a world: ids that must exist, shares that must sum to 1,
routes that must connect, numbers that must have provenance.

`validate_world` runs them in a fixed order (references first, then sums, then routes, then
provenance) and raises `InputError` for the first problem, naming the file, the spreadsheet
row (header = row 1) and the field.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from fentflow.errors import InputError
from fentflow.world.schema import TAG_PATTERN

SHARE_TOLERANCE = 1e-6
NODE_TABLES = ("entry_points", "production", "crossings")


@dataclass(frozen=True)
class Table:
    """One parsed CSV file: its frame and, for messages, the spreadsheet row of each record."""
    name: str
    file: str
    frame: pd.DataFrame
    row_numbers: list[int]
    numeric_columns: tuple[str, ...]

    def rows(self, column: str) -> Iterator[tuple[int, object]]:
        """(spreadsheet row number, value) for each record, in file order."""
        return zip(self.row_numbers, self.frame[column].tolist())

    def error(self, problem: str, row: int | None = None, column: str | None = None) -> InputError:
        return InputError(problem, file=self.file, row=row, field=column)


Tables = dict[str, Table]


def validate_world(tables: Tables, references: dict[str, str]) -> None:
    """Run every cross-file check; raise InputError for the first problem found."""
    for check in CHECKS:
        check(tables)
    check_source_tags(tables, references)


# --- ids ----------------------------------------------------------------------------------

def check_not_empty(tables: Tables) -> None:
    for table in tables.values():
        if table.frame.empty:
            raise table.error("has no data rows")


def check_organisation_parents(tables: Tables) -> None:
    orgs = tables["organisations"]
    parent_of = dict(zip(orgs.frame["id"], orgs.frame["parent"]))
    for row, parent in orgs.rows("parent"):
        if parent and parent not in parent_of:
            raise orgs.error(f"unknown organisation {parent!r} (not in organisations.csv)", row, "parent")
        if parent and parent_of[parent]:
            raise orgs.error(f"parent {parent!r} is itself a faction; factions have a top-level parent",
                             row, "parent")


def check_state_references(tables: Tables) -> None:
    states = set(tables["states"].frame["abbr"])
    for name, column in (("control", "state"), ("entry_points", "state"),
                         ("production", "state"), ("crossings", "mx_state")):
        table = tables[name]
        for row, state in table.rows(column):
            if state not in states:
                raise table.error(f"unknown state {state!r} (not in states.csv)", row, column)
    routes = tables["routes"]
    for row, via in routes.rows("via"):
        for state in filter(None, via.split(";")):
            if state not in states:
                raise routes.error(f"unknown state {state!r} in via (not in states.csv)", row, "via")


def check_organisation_references(tables: Tables) -> None:
    orgs = tables["organisations"].frame
    parent_of = dict(zip(orgs["id"], orgs["parent"]))
    for name in ("control", "plazas", "production"):
        table = tables[name]
        for row, org in table.rows("org"):
            if org not in parent_of:
                raise table.error(f"unknown organisation {org!r} (not in organisations.csv)", row, "org")
    for name in ("control", "plazas"):
        table = tables[name]
        for row, org in table.rows("org"):
            # Control shares are between top-level organisations, so factions cannot double-count.
            if parent_of[org]:
                raise table.error(f"{org!r} is a faction of {parent_of[org]!r}; {table.file} lists "
                                  "top-level organisations only", row, "org")


def check_plaza_crossings(tables: Tables) -> None:
    crossings = set(tables["crossings"].frame["id"])
    plazas = tables["plazas"]
    for row, crossing in plazas.rows("crossing"):
        if crossing not in crossings:
            raise plazas.error(f"unknown crossing {crossing!r} (not in crossings.csv)", row, "crossing")


def check_us_states(tables: Tables) -> None:
    markets = set(tables["markets"].frame["id"])
    crossings = tables["crossings"]
    for row, state in crossings.rows("us_state"):
        if state not in markets:
            raise crossings.error(f"unknown U.S. state {state!r} (not a market id in markets.csv)",
                                  row, "us_state")


def check_node_ids_unique(tables: Tables) -> None:
    """Routes name nodes by id alone, so an id may stand in one node table only."""
    owner: dict[str, str] = {}
    for name in NODE_TABLES:
        table = tables[name]
        for row, node in table.rows("id"):
            if node in owner:
                raise table.error(f"id {node!r} is also used in {owner[node]}; ids must be unique "
                                  "across entry_points.csv, production.csv and crossings.csv", row, "id")
            owner[node] = table.file


def check_source_columns(tables: Tables) -> None:
    sources = tables["sources"]
    for row, file, column in zip(sources.row_numbers, sources.frame["file"], sources.frame["column"]):
        documented = tables[file.removesuffix(".csv")]
        if column not in documented.frame.columns:
            raise sources.error(f"{file} has no column {column!r}", row, "column")


# --- shares -------------------------------------------------------------------------------

def check_control_shares(tables: Tables) -> None:
    control = tables["control"]
    frame = control.frame.assign(row=control.row_numbers)
    totals = frame.groupby("state", sort=False).agg(total=("share", "sum"), row=("row", "first"))
    for state in tables["states"].frame["abbr"]:
        if state not in totals.index:
            raise control.error(f"no rows for state {state!r}; every state needs control shares "
                                "summing to 1 (use OTHER for local groups)", column="state")
        total, row = totals.loc[state, "total"], int(totals.loc[state, "row"])
        if abs(total - 1) > SHARE_TOLERANCE:
            raise control.error(f"shares of state {state!r} sum to {total:.6g}, not 1 "
                                f"(tolerance {SHARE_TOLERANCE:g})", row, "share")


def check_plaza_shares(tables: Tables) -> None:
    """A crossing listed in plazas.csv needs shares summing to 1; unlisted ones use state control."""
    plazas = tables["plazas"]
    frame = plazas.frame.assign(row=plazas.row_numbers)
    totals = frame.groupby("crossing", sort=False).agg(total=("share", "sum"), row=("row", "first"))
    for crossing, (total, row) in totals.iterrows():
        if abs(total - 1) > SHARE_TOLERANCE:
            raise plazas.error(f"shares of crossing {crossing!r} sum to {total:.6g}, not 1 "
                               f"(tolerance {SHARE_TOLERANCE:g})", int(row), "share")


def check_column_sums_to_one(tables: Tables) -> None:
    for name, column in (("entry_points", "precursor_share"), ("production", "capacity_share")):
        table = tables[name]
        total = float(table.frame[column].sum())
        if abs(total - 1) > SHARE_TOLERANCE:
            raise table.error(f"shares sum to {total:.6g}, not 1 (tolerance {SHARE_TOLERANCE:g})",
                              column=column)


# --- routes -------------------------------------------------------------------------------

def check_route_legs(tables: Tables) -> None:
    """Legs run entry point -> production site (precursors) or site -> crossing (product)."""
    entries = set(tables["entry_points"].frame["id"])
    sites = set(tables["production"].frame["id"])
    crossings = set(tables["crossings"].frame["id"])
    routes = tables["routes"]
    for row, origin, destination in zip(routes.row_numbers, routes.frame["origin"],
                                        routes.frame["destination"]):
        if origin not in entries | sites | crossings:
            raise routes.error(f"unknown node {origin!r} (not an entry point or production site)",
                               row, "origin")
        if destination not in entries | sites | crossings:
            raise routes.error(f"unknown node {destination!r} (not a production site or crossing)",
                               row, "destination")
        if origin in crossings:
            raise routes.error(f"{origin!r} is a crossing, where legs end; a leg starts at an "
                               "entry point or a production site", row, "origin")
        start, end, wanted = (("entry point", "production site", sites) if origin in entries
                              else ("production site", "crossing", crossings))
        if destination not in wanted:
            raise routes.error(f"a leg from {start} {origin!r} must end at a {end}; "
                               f"{destination!r} is not one", row, "destination")


def check_route_coverage(tables: Tables) -> None:
    routes = tables["routes"].frame
    origins, destinations = set(routes["origin"]), set(routes["destination"])
    sites = tables["production"]
    for row, site in sites.rows("id"):
        if site not in origins:
            raise sites.error(f"production site {site!r} has no route to any crossing (so none to "
                              "any market); add legs to routes.csv", row, "id")
        if site not in destinations:
            raise sites.error(f"production site {site!r} has no route from any entry point, so it "
                              "receives no precursors; add legs to routes.csv", row, "id")
    entries = tables["entry_points"]
    for row, entry in entries.rows("id"):
        if entry not in origins:
            raise entries.error(f"entry point {entry!r} has no route to any production site; add "
                                "legs to routes.csv", row, "id")


# --- provenance ---------------------------------------------------------------------------

def check_provenance(tables: Tables) -> None:
    sources = tables["sources"].frame
    documented = set(zip(sources["file"], sources["column"]))
    for table in tables.values():
        for column in table.numeric_columns:
            if (table.file, column) not in documented:
                raise table.error("numeric column has no provenance: add a row for it to sources.csv "
                                  "(file, column, source, confidence, note)", column=column)


def check_source_tags(tables: Tables, references: dict[str, str]) -> None:
    """Every [TAG] cited in a `source` cell must be listed in world.toml's references table."""
    for table in tables.values():
        for row, text in table.rows("source"):
            for tag in TAG_PATTERN.findall(text):
                if tag not in references:
                    raise table.error(f"unknown source tag {tag!r}; list it in the references "
                                      "table of world.toml", row, "source")


CHECKS: tuple[Callable[[Tables], None], ...] = (
    check_not_empty,
    check_organisation_parents,
    check_state_references,
    check_organisation_references,
    check_plaza_crossings,
    check_us_states,
    check_node_ids_unique,
    check_source_columns,
    check_control_shares,
    check_plaza_shares,
    check_column_sums_to_one,
    check_route_legs,
    check_route_coverage,
    check_provenance,
)
