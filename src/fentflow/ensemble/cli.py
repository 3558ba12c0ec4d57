"""Command-line functions for scenarios and comparisons (mounted on the `fentflow` Typer app).

    app.command("compare")(compare_command)
    app.command("query")(query_command)
    app.command("scenarios")(scenarios_command)
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table

from fentflow.boundary import err_console
from fentflow.clikit import compile_notice, output_folder, user_errors, warn_intervals
from fentflow.ensemble.execute import check_scheduler
from fentflow.ensemble.lock import store_lock
from fentflow.ensemble.spec import DEFAULT_BLOCK_SIZE, DEFAULT_RUNS
from fentflow.sim.anchor import describe_common
from fentflow.sim.calendar import check_span
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START
from fentflow.sim.sources import CALIBRATED, CHOICE_HELP, parameter_source
from fentflow.tables import Column, print_fitting

console = Console(highlight=False)
DEFAULT_OUT = Path("compare-out")
DEFAULT_WORKERS = os.cpu_count() or 1
SHOWN_METRICS = ("deaths", "consumed_pure_kg", "seized_pure_kg", "border_seized_pure_kg", "border_seizure_share",
                 "removed_share",
                 "homicides_mx", "price_usd_per_pill", "potency_mg_per_unit")


def compare_command(
    scenarios: list[str] = typer.Argument(..., metavar="SCENARIO...",
                                          help="Bundled scenario names or .toml files; the first is the reference arm."),
    runs: int = typer.Option(DEFAULT_RUNS, "--runs", min=1, help="Runs per arm (the same seeds and draws in every arm)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Base seed: run k of every arm draws from (seed, k)."),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", min=0,
                                help="Local Dask worker processes on 127.0.0.1 (0: no Dask, run in this process)."),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Address of a running Dask scheduler (tcp://host:port); --workers is "
                                              "then ignored."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Output folder: store/, tables/, charts/, comparison.json."),
    start: str = typer.Option(DEFAULT_START, "--start", help="First simulated date."),
    end: str = typer.Option(DEFAULT_END, "--end", help="Last simulated date."),
    years: str | None = typer.Option(None, "--years", help="Report window, e.g. 2025-2030 (default: from the "
                                                           "first lever's year to the end)."),
    block_size: int = typer.Option(DEFAULT_BLOCK_SIZE, "--block-size", min=1,
                                   help="Runs simulated together as one vectorised batch (results do not depend on it)."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", "--posterior", help=CHOICE_HELP),
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    charts: bool = typer.Option(True, "--charts/--no-charts", help="Write PNG charts."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar and no tables on screen."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace the runs of a store made with other "
                                                              "settings (seed, block size, parameters, span)."),
) -> None:
    """Compare policy scenarios run by run (common random numbers): paired differences with 90% intervals."""
    from fentflow.ensemble.compare import compare
    from fentflow.ensemble.report import write_report
    from fentflow.ensemble.spec import ComparisonSpec, parse_years
    from fentflow.policy.scenarios import load_scenario

    with user_errors():
        output_folder(out)
        check_span(start, end)
        check_scheduler(scheduler)
        spec = ComparisonSpec(
            arms=tuple(load_scenario(s) for s in scenarios), runs=runs, seed=seed, start=start, end=end,
            block_size=block_size, parameters=parameter_source(parameters),
            world_dir=str(world) if world else None, years=parse_years(years))
        if not quiet:
            compile_notice(console)
        warn_intervals(runs)
        with store_lock(out):
            comparison = _compare_with_progress(compare, spec, out, workers, scheduler, quiet, overwrite)
            written = write_report(comparison, out, charts=charts)
    if not quiet:
        _print_comparison(comparison, out, written)


def query_command(
    sql: str = typer.Argument(..., help="SQL over the views runs, national, cbp_unit, component, mx_state, "
                                        "differences, displacement, violence, annual."),
    store: Path = typer.Option(DEFAULT_OUT, "--store", help="A compare --out folder (or its store/ folder)."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
) -> None:
    """Query a comparison's result store with SQL (DuckDB)."""
    from fentflow.ensemble.query import query

    skipped: list[str] = []
    with user_errors():
        result = query(store, sql, skipped)
    for damaged in skipped:
        err_console().print(f"warning: left out {damaged}; rerun `fentflow compare` with the same arguments to "
                            "repair it", markup=False)
    if csv:
        typer.echo(result.to_csv(index=False), nl=False)
        return
    table = Table(show_lines=False)
    for column in result.columns:
        table.add_column(str(column), justify="right" if pd.api.types.is_numeric_dtype(result[column]) else "left")
    for row in result.itertuples(index=False):
        table.add_row(*(_cell(value) for value in row))
    console.print(table)


def scenarios_command(
    scenario: str | None = typer.Argument(None, help="A bundled name or a .toml file to show and check "
                                                     "(default: list the bundled scenarios)."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the list (or the scenario's interventions) as CSV."),
) -> None:
    """List the bundled policy scenarios, or show and check one scenario file."""
    from fentflow.policy.scenarios import bundled_names, check_scenario, load_scenario

    with user_errors():
        if scenario is None and as_csv:
            rows = [{"name": name, "title": (s := load_scenario(name)).title,
                     "levers": " ".join(i.kind for i in s.interventions)} for name in bundled_names()]
            typer.echo(pd.DataFrame(rows).to_csv(index=False), nl=False)
            return
        if scenario is None:
            names = bundled_names()
            table = Table(title="Bundled scenarios (fentflow compare NAME ...)")
            table.add_column("name", no_wrap=True, min_width=max(map(len, names)))   # names are copied: never cut
            table.add_column("title", ratio=3)
            table.add_column("levers", ratio=2)
            for name in names:
                s = load_scenario(name)
                table.add_row(name, s.title, ", ".join(i.kind for i in s.interventions) or "-")
            console.print(table)
            return
        loaded = load_scenario(scenario)
        from fentflow.sim.network import build_network
        from fentflow.world import World

        check_scenario(loaded, build_network(World.load()), DEFAULT_START, DEFAULT_END)
    if as_csv:
        rows = [vars(iv) | {"places": " ".join(iv.places), "why": why}
                for iv, why in zip(loaded.interventions, loaded.notes)]
        typer.echo(pd.DataFrame(rows).to_csv(index=False), nl=False)
        return
    _print_scenario(loaded)


# Printing -------------------------------------------------------------------------------------
def _compare_with_progress(compare, spec, out, workers, scheduler, quiet, overwrite):
    if quiet:
        return compare(spec, out, workers=workers, scheduler=scheduler, overwrite=overwrite)
    columns = (TextColumn("simulating runs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("runs", total=None)
        return compare(spec, out, workers=workers, scheduler=scheduler, overwrite=overwrite,
                       progress=lambda done, total: progress.update(task, completed=done, total=total))


def _print_comparison(comparison, out: Path, written: dict) -> None:
    first, last = comparison.window
    window = str(first) if first == last else f"{first}-{last}"
    console.print(f"{len(comparison.arms)} arms x {comparison.description['runs']} runs: computed "
                  f"{comparison.computed}, reused {comparison.reused} from the store"
                  + (f" ({comparison.repaired} corrupt or stale, recomputed)" if comparison.repaired else "") + ".")
    console.print(f"Parameters: {comparison.description['parameters']}.")
    if "violence_anchored_on" in comparison.description:
        console.print(f"Violence: {describe_common(comparison.description['violence_anchored_on'])}.")
    _print_differences(comparison, window)
    _print_displacement(comparison)
    console.print(f"Tables in [bold]{out / 'tables'}/[/], {len(written['charts'])} charts in "
                  f"[bold]{out / 'charts'}/[/], runs in [bold]{out / 'store'}/[/] "
                  f"(query with: fentflow query \"SELECT ...\" --store {out}).")


def _print_differences(comparison, window: str) -> None:
    columns = [Column("outcome", "left")] + [Column(arm) for arm in comparison.compared]
    rows = comparison.differences.set_index(["metric", "arm"])
    cells = []
    for metric in SHOWN_METRICS:
        first = rows.loc[(metric, comparison.compared[0])]
        cells.append([first["label"], *(_difference_cell(rows.loc[(metric, arm)]) for arm in comparison.compared)])
    print_fitting(console, f"Paired differences vs {comparison.reference}, {window}: median [90% interval] over runs",
                  columns, cells, show_lines=True)


def _print_displacement(comparison) -> None:
    columns = [Column("CBP field office / sector", "left"), Column(f"{comparison.reference} share")]
    columns += [Column(arm) for arm in comparison.compared]
    shares = comparison.displacement
    shares = shares[shares["measure"] == "attempted crossings"].set_index(["level", "place", "arm"])
    places = [(level, place) for level, place, _ in shares.index if level in ("cbp_unit", "component")]
    cells = []
    for level, place in dict.fromkeys(places):
        first = shares.loc[(level, place, comparison.compared[0])]
        label = f"all {place} crossings" if level == "component" else place
        cells.append([label, f"{first['baseline_share_pct']:.1f}%",
                      *(_points_cell(shares.loc[(level, place, arm)]) for arm in comparison.compared)])
    print_fitting(console, "Displacement: change in share of attempted crossings (percentage points)", columns,
                  cells, key_columns=2)


def _difference_cell(row: pd.Series) -> str:
    """Median (and relative change) on the first line, the 90% interval on the second."""
    median = _number(row["diff_p50"])
    if row["unit"] != "pp" and pd.notna(row["pct_p50"]):
        median += f" ({row['pct_p50']:+.1f}%)"
    return f"{median}\n[{_number(row['diff_p05'])}, {_number(row['diff_p95'])}]"


def _points_cell(row: pd.Series) -> str:
    return f"{row['change_pp_p50']:+.1f} [{row['change_pp_p05']:+.1f}, {row['change_pp_p95']:+.1f}]"


def _number(value: float) -> str:
    if pd.isna(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:+,.0f}"
    return f"{value:+.3g}" if value != 0 else "0"


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def _print_scenario(scenario) -> None:
    console.print(f"[bold]{scenario.name}[/]: ", end="")
    console.print(scenario.title, markup=False)
    if scenario.description:
        console.print(scenario.description, markup=False)
    table = Table(title="Interventions")
    for column in ("kind", "start", "end", "strength", "places", "why"):
        table.add_column(column)
    for iv, why in zip(scenario.interventions, scenario.notes):
        table.add_row(iv.kind, iv.start, iv.end, f"{iv.strength:g}", ", ".join(iv.places) or "all", why)
    console.print(table)
    for assumption in scenario.assumptions:
        console.print(f"- {assumption}", markup=False)
