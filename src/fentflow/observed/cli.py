"""Command-line pieces for observed series and conversions; the main Typer app mounts them:

    app.add_typer(data_app, name="data")        # fentflow data list | show NAME [--csv] | import FILE...
    app.command("convert")(convert_command)     # fentflow convert "13000 lb pills" [--year 2022]

Bad input (unknown series, unreadable expression) prints one `error: ...` line and exits 2.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fentflow.clikit import data_option, use_data, user_errors
from fentflow.observed.conversions import DEFAULT_DRAWS, DEFAULT_SEED, Conversion, Estimate, convert
from fentflow.observed.publishers import publisher_of
from fentflow.observed.series import imported_file, list_series, load_series, primary_url_count

data_app = typer.Typer(
    help="Public observed series (CBP, DEA, CDC, SESNSP, SEDENA, prices), each row with its source.",
    no_args_is_help=True,
)

QUANTITY_LABELS = {
    "gross_lb": "Gross weight (lb)",
    "gross_kg": "Gross weight (kg)",
    "pills": "Pills",
    "pure_kg": "Pure fentanyl (kg)",
    "doses": "Potentially lethal doses (2 mg)",
}


def _console() -> Console:
    # Made per call so that output goes to the current stdout (and to CliRunner in tests).
    return Console(highlight=False)


@data_app.command("list")
def list_command(data: Path | None = data_option()) -> None:
    """List the observed series: name, period, unit, rows, description and source."""
    with user_errors():
        use_data(data)
        catalog = list_series()
        columns = ["name", "period", "unit", "rows", "description", "source"]
        if data is not None:
            columns.append("imported")
        table = Table(title="Observed series" + (f" (with the series imported in {data})" if data else ""),
                      show_lines=True)
        for column in columns:
            table.add_column(column, overflow="fold")
        for record in catalog.itertuples(index=False):
            table.add_row(*(Text(str(getattr(record, column))) for column in columns))
        at_publisher, rows = primary_url_count()
        console = _console()
        console.print(table)
        console.print(f"Rows with the figure's page at its publisher (primary_url): {at_publisher} of {rows} "
                      f"({100 * at_publisher / rows:.1f}%); `data show NAME` lists each row's sources.")


@data_app.command("show")
def show_command(
    name: str = typer.Argument(..., help="Series name, see `data list`."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the series as CSV to stdout."),
    data: Path | None = data_option(),
) -> None:
    """Show one observed series, with a numbered list of its sources (publisher's page, copy read)."""
    with user_errors():
        use_data(data)
        frame = load_series(name)
        if as_csv:
            typer.echo(frame.to_csv(index=False), nl=False)
            return
        _print_series(name, frame)
        _print_import(name)


@data_app.command("import")
def import_command(
    files: list[Path] = typer.Argument(..., help="Publishers' files: CBP nationwide drug seizures, CDC VSRR "
                                                 "provisional overdose deaths, SESNSP victims by state (CSV)."),
    into: Path | None = typer.Option(None, "--into", help="Folder to write the series into (default: the "
                                                          "user's data folder)."),
) -> None:
    """Build the public series from the publishers' own files (recognised by their header)."""
    from fentflow.observed.imports import default_folder, import_files

    with user_errors():
        folder = into or default_folder()
        imported = import_files(files, folder)
    table = Table(title=f"Imported into {folder}")
    for column in ("series", "rows", "years", "from"):
        table.add_column(column, overflow="fold")
    for item in imported:
        table.add_row(item.series, str(item.rows), f"{item.first}-{item.last}", Text(", ".join(item.files)))
    console = _console()
    console.print(table)
    console.print(Text(f"Provenance (file, sha256, rows read, date): {folder / 'provenance.json'}. "
                       f"Use the series with --data {folder}"), soft_wrap=True)


def convert_command(
    expression: str = typer.Argument(
        ..., help="An amount: '13000 lb pills', '10.2 million pills', '980 lb powder', "
                  "'2 kg pure', '36 million doses'."),
    year: int | None = typer.Option(
        None, "--year", help="Year of the DEA potency and purity figures (default 2022)."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the Monte Carlo draws."),
    draws: int = typer.Option(DEFAULT_DRAWS, "--draws", help="Number of Monte Carlo draws."),
) -> None:
    """Convert an amount of fentanyl between gross weight, pills, pure kg and lethal doses,
    with 90% intervals and the assumptions used."""
    with user_errors():
        _print_conversion(convert(expression, year=year, seed=seed, draws=draws))


def _print_series(name: str, frame: pd.DataFrame) -> None:
    """The rows, then each source numbered: the publisher's page, and the copy read when different."""
    pairs = list(zip(frame["primary_url"], frame["source_url"]))
    sources = list(dict.fromkeys(pairs))
    columns = [column for column in frame.columns if column not in ("primary_url", "source_url")]
    table = Table(title=f"{name} ({len(frame)} rows)", show_lines=False)
    for column in [*columns, "src"]:
        table.add_column(column, overflow="fold")
    for (_, row), pair in zip(frame.iterrows(), pairs):
        cells = [Text(_cell(row[column])) for column in columns]
        table.add_row(*cells, Text(f"[{sources.index(pair) + 1}]"))
    console = _console()
    console.print(table)
    for number, (primary, copy) in enumerate(sources, start=1):
        for line in _source_lines(number, primary, copy):
            console.print(Text(line), soft_wrap=True)   # URLs stay copyable


def _print_import(name: str) -> None:
    """Where the imported rows in use came from (file, sha256, rows read, date)."""
    from fentflow.observed.imports import imports_of
    path = imported_file(name)
    if path is None:
        return
    console = _console()
    console.print(Text(f"Rows imported into {path.parent} replace the bundled rows with the same key; from:"),
                  soft_wrap=True)
    for entry in imports_of(path.parent).get(name, {}).get("files", []):
        console.print(Text(f"  {entry['file']} (sha256 {entry['sha256']}, {entry['rows_read']:,} rows read, "
                           f"{entry['read_on']})"), soft_wrap=True)


def _source_lines(number: int, primary: str, copy: str) -> list[str]:
    if not primary:
        return [f"[{number}] read from: {copy} (no page at the publisher known)"]
    publisher = publisher_of(primary)
    lines = [f"[{number}] {publisher}: {primary}"]
    if copy != primary:
        lines.append(f"{' ' * (len(str(number)) + 3)}read from: {copy}")
    return lines


def _print_conversion(result: Conversion) -> None:
    table = Table(title=f"{result.amount} - year {result.year}, {result.draws:,} draws, "
                        f"seed {result.seed}")
    for column in ("Quantity", "Point", "Median", "90% interval"):
        table.add_column(column, justify="left" if column == "Quantity" else "right")
    for key, estimate in result.quantities().items():
        table.add_row(QUANTITY_LABELS[key], *_estimate_cells(estimate))
    console = _console()
    console.print(table)
    console.print("Point: arithmetic with the distributions' means. Median and 90% interval "
                  "(5%-95%): Monte Carlo draws.", markup=False)
    console.print("Assumptions:", markup=False)
    for line in result.assumptions:
        console.print(Text(f"  - {line}"), soft_wrap=True)


def _estimate_cells(estimate: Estimate | None) -> tuple[str, str, str]:
    if estimate is None:
        return "-", "", "not determined by the input"
    if estimate.is_exact:
        return _exact(estimate.point), "", "exact"
    return (_significant(estimate.point), _significant(estimate.p50),
            f"{_significant(estimate.p05)} - {_significant(estimate.p95)}")


def _exact(value: float, digits: int = 6) -> str:
    """An exact value, to `digits` significant figures without trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    decimals = max(digits - 1 - math.floor(math.log10(abs(value))), 0)
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def _significant(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant figures, in millions or billions when large."""
    for size, word in ((1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            return _significant(value / size, digits) + word
    if value == 0:
        return "0"
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    return f"{round(value, decimals):,.{max(decimals, 0)}f}"


def _cell(value: object) -> str:
    if pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
