"""`fentflow calibrate`: ABC-SMC on the public series, with progress, resume and every output.

Mount it in the main app with `app.command("calibrate")(calibrate_command)`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fentflow.calibrate.budget import BUDGETS
from fentflow.clikit import compile_notice, output_folder, user_errors
from fentflow.ensemble.execute import check_scheduler
from fentflow.errors import InputError
from fentflow.observed.series import LAST_DATA_YEAR

if TYPE_CHECKING:
    from fentflow.calibrate.sampler import Progress as GenerationProgress

console = Console(highlight=False)


def calibrate_command(
    budget: str = typer.Option("default", "--budget",
                               help=f"Simulation budget: {', '.join(BUDGETS)} (small: a few minutes; default: "
                                    "at most 30 minutes on 2 cores)."),
    workers: int = typer.Option(2, "--workers", min=0,
                                help="Local Dask workers on 127.0.0.1 (0: run in this process)."),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Address of an existing Dask scheduler (tcp://host:port) instead "
                                              "of a local cluster."),
    out: Path = typer.Option(Path("out/calibration"), "--out",
                             help="Directory for the history (history.db), posterior.parquet and outputs."),
    seed: int = typer.Option(0, "--seed", min=0, help="Master seed: every random choice of the calibration derives from it."),
    resume: bool = typer.Option(True, "--resume/--fresh",
                                help="Continue the calibration stored in --out (default), or discard it."),
    data_through: int = typer.Option(LAST_DATA_YEAR, "--data-through", min=2016, max=LAST_DATA_YEAR,
                                     help="Last year of data fitted (2021: fit through 2021, predict 2022-2023)."),
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    draws: int | None = typer.Option(None, "--draws", min=1,
                                     help="Posterior-predictive simulations (default: set by the budget)."),
    start: str = typer.Option("2015-01-01", "--start", hidden=True, help="First simulated date (tests)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
) -> None:
    """Calibrate the model to the public series (ABC-SMC) and estimate the seizure share with uncertainty."""
    from fentflow.calibrate.run import calibrate_and_report   # imports pyABC: seconds, so only when used

    with user_errors():
        if budget not in BUDGETS:
            raise InputError(f"unknown budget {budget!r}; choose one of {', '.join(BUDGETS)}", field="budget")
        output_folder(out)
        check_scheduler(scheduler)
        if not quiet:
            compile_notice(console)
        with _progress_display(quiet) as on_progress:
            report = calibrate_and_report(budget, out, workers=workers, scheduler=scheduler, seed=seed,
                                          resume=resume, data_through=data_through, start=start,
                                          world=str(world) if world else None, draws=draws, progress=on_progress)
    _print_report(report, out)


class _progress_display:
    """A rich progress bar per generation: accepted particles out of the population."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("accepted of {task.fields[evaluated]} simulated"), TimeElapsedColumn(),
                            console=console, transient=False)
        self.tasks: dict[int, int] = {}

    def __enter__(self):
        logging.getLogger("ABC").setLevel(logging.WARNING)     # pyABC's own log lines: the bar says the same
        if self.quiet:
            return None
        self.bar.start()
        return self.update

    def __exit__(self, *exc_info) -> None:
        if not self.quiet:
            self.bar.stop()

    def update(self, event: GenerationProgress) -> None:
        if event.t not in self.tasks:
            eps = "prior" if event.epsilon == float("inf") else f"eps {event.epsilon:.3g}"
            self.tasks[event.t] = self.bar.add_task(f"generation {event.t} ({eps})", total=event.needed, evaluated=0)
        self.bar.update(self.tasks[event.t], completed=event.accepted, evaluated=event.evaluated)


def _print_report(report, out: Path) -> None:
    result = report.result
    console.print(f"{len(result.generations)} generations, {result.simulations:,} simulations "
                  f"({result.wall_s:.0f} s this run); last epsilon {result.generations['epsilon'].iloc[-1]:.3g}")
    table = Table(title="Seizure share at the Southwest border (overall): median [50%] [90%]")
    for column in ("year", "by pure weight", "by gross weight"):
        table.add_column(column, justify="right")
    shares = _read_csv(report.paths["seizure_share"])
    overall = shares[shares["component"] == "all"]
    for year, rows in overall.groupby("year"):
        cells = [_interval(rows[rows["measure"] == measure].iloc[0]) for measure in ("pure", "gross")]
        table.add_row(str(year), *cells)
    console.print(table)
    import json
    summary = json.loads(report.paths["summary"].read_text())
    rand = summary["rand_2021"]
    if rand.get("draws"):
        console.print(f"U.S. consumption {rand['year']}: {rand['median']:.1f} pure t (90%: {rand['p05']:.1f}-"
                      f"{rand['p95']:.1f}); RAND's bound: below {rand['bound_t']:.0f} t in "
                      f"{100 * rand['share_below_bound']:.0f}% of draws")
    console.print(f"Posterior, charts and tables written to [bold]{out}/[/] (posterior.parquet, "
                  "posterior_summary.csv, marginals.png, predictive/, seizure_share.csv/.png, national.csv)")


def _interval(row) -> str:
    return (f"{100 * row['median']:.1f}% [{100 * row['p25']:.1f}-{100 * row['p75']:.1f}] "
            f"[{100 * row['p05']:.1f}-{100 * row['p95']:.1f}]")


def _read_csv(path: Path):
    import pandas as pd
    return pd.read_csv(path)
