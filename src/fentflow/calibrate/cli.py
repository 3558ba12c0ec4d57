"""`fentflow calibrate`: ABC-SMC on the public series, with progress, resume and every output.

Mount it in the main app with `app.command("calibrate")(calibrate_command)`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table

from fentflow.calibrate.budget import BUDGETS, Budget, get_budget
from fentflow.clikit import compile_notice, data_option, output_folder, use_data, user_errors
from fentflow.ensemble.execute import check_scheduler
from fentflow.errors import InputError
from fentflow.observed.series import LAST_DATA_YEAR, last_data_year

if TYPE_CHECKING:
    from fentflow.calibrate.sampler import Progress as GenerationProgress

console = Console(highlight=False)


def calibrate_command(
    budget: str = typer.Option("default", "--budget",
                               help=f"Simulation budget: {', '.join(BUDGETS)} (small: about 10 minutes on 2 cores; default: "
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
    data_through: int | None = typer.Option(None, "--data-through", min=2016,
                                            help="Last year of data fitted (default: the last year of the series "
                                                 f"in use, {LAST_DATA_YEAR} bundled; 2021: fit through 2021, "
                                                 "predict the years after, with supply held level from the last "
                                                 "growth knot inside the data)."),
    data: Path | None = data_option(),
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    draws: int | None = typer.Option(None, "--draws", min=1,
                                     help="Posterior-predictive simulations (default: set by the budget)."),
    max_simulations: int | None = typer.Option(None, "--max-simulations", min=1,
                                               help="Stop after the generation that reaches this many simulations "
                                                    "(default: the budget's; 20,000 for default). A higher cap on a "
                                                    "calibration stored in --out goes on from its last generation."),
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
        use_data(data)          # before the workers start: they read the same folder
        data_through = _data_through(data_through, data)
        if not quiet:
            compile_notice(console)
        with CalibrationProgress(quiet, get_budget(budget, max_simulations)) as on_progress:
            report = calibrate_and_report(budget, out, workers=workers, scheduler=scheduler, seed=seed,
                                          resume=resume, data_through=data_through, start=start,
                                          world=str(world) if world else None, draws=draws,
                                          max_simulations=max_simulations, progress=on_progress)
    _print_report(report, out)


def _data_through(year: int | None, data: Path | None) -> int:
    """The last year fitted: as asked, at most the last year of the public series in use."""
    last = last_data_year()
    if year is None:
        return last
    if year > last:
        where = f"the series in {data}" if data else "the bundled series"
        raise InputError(f"--data-through {year}: {where} end in {last}; import newer files with "
                         "`fentflow data import` and pass their folder with --data", field="--data-through")
    return year


class CalibrationProgress:
    """Rich bars: one over the whole calibration, with the time left (simulations out of the budget's
    most, an upper bound: a calibration may stop sooner), and one per generation (accepted particles)."""

    def __init__(self, quiet: bool, budget: Budget, label: str = "calibration"):
        self.quiet = quiet
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[what]}"), TimeElapsedColumn(), TextColumn("{task.fields[left]}"),
                            TimeRemainingColumn(), console=console, transient=False)
        self.budget, self.label = budget, label
        self.tasks: dict[int, int] = {}
        self.evaluated: dict[int, int] = {}

    def __enter__(self):
        logging.getLogger("ABC").setLevel(logging.WARNING)     # pyABC's own log lines: the bar says the same
        if self.quiet:
            return None
        self.overall = self.bar.add_task(f"{self.label} (at most)", total=self.budget.max_simulations,
                                         what="simulations", left="left at most")
        self.bar.start()
        return self.update

    def __exit__(self, *exc_info) -> None:
        if not self.quiet:
            self.bar.stop()

    def update(self, event: GenerationProgress) -> None:
        if event.t not in self.tasks:
            eps = "prior" if event.epsilon == float("inf") else f"eps {event.epsilon:.3g}"
            self.tasks[event.t] = self.bar.add_task(f"generation {event.t} ({eps})", total=event.needed,
                                                    what="accepted", left="", visible=True)
        self.evaluated[event.t] = event.evaluated
        self.bar.update(self.tasks[event.t], completed=event.accepted,
                        what=f"accepted of {event.evaluated} simulated")
        done = event.earlier + sum(self.evaluated.values())
        self.bar.update(self.overall, completed=min(done, self.budget.max_simulations))


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
    print_learning(console, summary["learning"])
    console.print(f"Posterior, charts and tables written to [bold]{out}/[/] (posterior.parquet, "
                  "posterior_summary.csv, learning.csv, marginals.png, predictive/, seizure_share.csv/.png, "
                  "national.csv)")


def print_learning(console: Console, learning: dict) -> None:
    """One line on how far the data narrowed the priors (calibrate/learning.py)."""
    verdict = "meets" if learning["meets_targets"] else "misses"
    console.print(f"Learnt: posterior/prior 90% width, median {learning['median_ratio']:.2f} (target "
                  f"<= {learning['median_target']}); widest seizure-share parameter "
                  f"{learning['share_setters_widest']} {learning['share_setters_max_ratio']:.2f} (target "
                  f"<= {learning['share_setter_target']}): {verdict} the targets")


def _interval(row) -> str:
    return (f"{100 * row['median']:.1f}% [{100 * row['p25']:.1f}-{100 * row['p75']:.1f}] "
            f"[{100 * row['p05']:.1f}-{100 * row['p95']:.1f}]")


def _read_csv(path: Path):
    import pandas as pd
    return pd.read_csv(path)
