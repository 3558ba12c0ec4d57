"""Tables that fit the terminal (80 columns and up) without cutting a name.

- `print_fitting`: a table printed whole when it fits, else in parts of whole columns, each
  part repeating the key column (a series, an outcome): every cell stays readable and copyable.
- `print_stacked`: one block per item, its name on a line of its own and its fields beneath,
  for tables whose text columns (sources, descriptions) cannot share a line at any width.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


UNLIMITED = 100_000


@dataclass(frozen=True)
class Column:
    header: str
    justify: str = "right"
    options: dict = field(default_factory=dict)     # more rich `add_column` options


def print_fitting(console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence],
                  key_columns: int = 1, **table_options) -> None:
    """Print `rows` whole if the table fits `console.width`, else in parts that do (keys repeated)."""
    keys, rest = list(range(key_columns)), list(range(key_columns, len(columns)))
    parts: list[list[int]] = []
    for index in rest:
        if parts and _fits(console, title, columns, rows, keys + parts[-1] + [index], table_options):
            parts[-1].append(index)
        else:
            parts.append([index])
    for number, part in enumerate(parts, 1):
        suffix = f" ({number}/{len(parts)})" if len(parts) > 1 else ""
        console.print(_table(title + suffix, columns, rows, keys + part, table_options))


def print_stacked(console: Console, title: str, items: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> None:
    """One block per item: its name in bold on a line of its own (whole), then `label  value` lines that wrap."""
    console.print(Text(title, style="bold"))
    label_width = max((len(label) for _, fields in items for label, _ in fields), default=0)
    for name, fields in items:
        console.print(Text(name, style="bold"), soft_wrap=True)        # soft wrap: never cut, even when long
        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(style="dim", no_wrap=True, min_width=label_width + 2, justify="right")
        grid.add_column(overflow="fold")
        for label, value in fields:
            grid.add_row(label, Text(value))
        console.print(grid)


def _fits(console: Console, title, columns, rows, indices, table_options) -> bool:
    unlimited = console.options.update_width(UNLIMITED)      # the natural width, not one clamped to the console
    measured = Measurement.get(console, unlimited, _table("", columns, rows, indices, table_options))
    return measured.maximum <= console.width


def _table(title: str, columns: Sequence[Column], rows: Sequence[Sequence], indices: list[int],
           table_options: dict) -> Table:
    table = Table(title=title, **table_options)
    for i in indices:
        column = columns[i]
        table.add_column(column.header, justify=column.justify, no_wrap=True, **column.options)
    for row in rows:
        table.add_row(*(row[i] for i in indices))
    return table
