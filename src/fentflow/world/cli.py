"""`fentflow world ...`: check and inspect world directories (mounted by the main CLI)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fentflow.clikit import user_errors
from fentflow.world.loader import TABLE_NAMES, World

app = typer.Typer(help="Check and inspect world directories (format: docs/world-format.md).",
                  no_args_is_help=True)

DESCRIPTIONS = {
    "states": "Mexican states: population, homicides",
    "organisations": "organisations and factions",
    "control": "territorial control shares per state",
    "plazas": "control of the border city facing each crossing",
    "entry_points": "precursor entry points",
    "production": "production sites (state x organisation)",
    "crossings": "U.S. land ports of entry and Border Patrol sectors",
    "markets": "U.S. markets (states + DC)",
    "routes": "route legs: entry -> site, site -> crossing",
    "sources": "provenance of each numeric column",
}
WRAPPING_COLUMNS = {"name", "description", "city", "source", "note", "via"}


@app.command()
def validate(directory: Annotated[Path, typer.Argument(help="World directory to check.")]) -> None:
    """Check a world directory: print a summary, or the first problem and exit with code 2."""
    with user_errors():
        world = World.load(directory)
    counts = ", ".join(f"{len(world.table(name))} {name}" for name in TABLE_NAMES)
    console = Console(highlight=False)
    console.print(f"[bold green]OK[/]: world '{escape(world.name)}' in {escape(str(world.path))}")
    console.print(f"{counts}, {len(world.national)} national figures")


@app.command()
def show(
    table: Annotated[str | None, typer.Argument(
        help=f"Table to print in full: {', '.join(TABLE_NAMES)}. Omit for a summary.")] = None,
    world: Annotated[Path | None, typer.Option(
        "--world", help="World directory (default: the bundled default world).")] = None,
) -> None:
    """Print a world: a summary of every table, or one table in full."""
    with user_errors():
        loaded = World.load(world)
        frame = loaded.table(table) if table else None
    console = Console()
    if frame is None:
        console.print(summary_table(loaded))
        console.print(national_table(loaded))
    else:
        title = escape(f"{table.removesuffix('.csv')} ({len(frame)} rows)")
        console.print(frame_table(frame, title, console.width))


def summary_table(world: World) -> Table:
    summary = Table(title=escape(f"world '{world.name}': {world.description}"), title_justify="left")
    for heading in ("table", "rows", "contents", "columns"):
        summary.add_column(heading, justify="right" if heading == "rows" else "left")
    for name in TABLE_NAMES:
        frame = world.table(name)
        summary.add_row(name, str(len(frame)), DESCRIPTIONS[name], ", ".join(frame.columns))
    return summary


def national_table(world: World) -> Table:
    national = Table(title="national figures", title_justify="left")
    for heading in ("key", "value", "unit", "year", "confidence", "source"):
        national.add_column(heading, justify="right" if heading == "value" else "left",
                            overflow="fold" if heading == "source" else "ellipsis")  # whole URLs
    for key, figure in world.national.items():
        value = figure["value"]
        shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"
        national.add_row(*map(escape, (key, shown, figure["unit"], str(figure["year"]),
                                       figure["confidence"], figure["source"])))
    return national


def frame_table(frame: pd.DataFrame, title: str, width: int = 80) -> Table:
    """All rows and columns; ids, codes and numbers keep their width when the console allows,
    free text wraps."""
    min_widths = {column: min(24, max([len(column), *(len(_cell(v)) for v in frame[column])]))
                  for column in frame.columns if column not in WRAPPING_COLUMNS}
    wrapping = len(frame.columns) - len(min_widths)
    needed = sum(min_widths.values()) + 3 * len(frame.columns) + 20 * wrapping
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(column, justify="right" if numeric else "left",
                         min_width=min_widths.get(column) if needed <= width else None,
                         overflow="fold" if column in WRAPPING_COLUMNS else "ellipsis")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(value) for value in row))
    return table


def _cell(value: object) -> str:
    """Cell text; data may hold brackets, so it is escaped rather than read as Rich markup."""
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:g}"
    return escape(str(value))
