"""Validation commands: `recovery` (synthetic-data recovery) and `out-of-sample` (fit through 2021).

Run them as `python -m fentflow.calibrate recovery ...` or mount `validate_app` in the main CLI.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import typer
from rich.console import Console

from fentflow.calibrate.budget import get_budget
from fentflow.calibrate.executor import open_executor
from fentflow.clikit import user_errors
from fentflow.ensemble.execute import check_scheduler
from fentflow.errors import InputError
from fentflow.observed.series import LAST_DATA_YEAR

console = Console(highlight=False)
validate_app = typer.Typer(help="Validate the calibration: synthetic-data recovery and out-of-sample prediction.",
                           no_args_is_help=True)


@validate_app.command("recovery")
def recovery_command(
    trials: int = typer.Option(20, "--trials", min=1, help="Synthetic data sets (each a full calibration)."),
    budget: str = typer.Option("recovery", "--budget", help="Calibration budget of each trial."),
    workers: int = typer.Option(2, "--workers", min=0, help="Local Dask workers (0: this process)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Existing Dask scheduler address."),
    seed: int = typer.Option(0, "--seed", min=0, help="Master seed of the suite."),
    out: Path = typer.Option(Path("out/validation/recovery"), "--out", help="Directory (one folder per trial)."),
) -> None:
    """Calibrate on synthetic data from known parameters; report how often the intervals cover the true share."""
    from fentflow.calibrate.validation import recovery   # imports pyABC: seconds, so only when used

    logging.getLogger("ABC").setLevel(logging.WARNING)
    with user_errors():
        chosen = get_budget(budget)           # checked before any Dask worker starts
        check_scheduler(scheduler)
        with open_executor(workers, scheduler) as executor:
            rows, summary = recovery(trials, chosen, seed, out, executor)
    pooled = summary[summary["year"] == "all"]
    console.print(pooled.to_string(index=False))
    console.print(f"{rows['trial'].nunique()} trials; tables in [bold]{out}/[/]")


@validate_app.command("out-of-sample")
def out_of_sample_command(
    budget: str = typer.Option("default", "--budget", help="Calibration budget."),
    workers: int = typer.Option(2, "--workers", min=0, help="Local Dask workers (0: this process)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Existing Dask scheduler address."),
    seed: int = typer.Option(0, "--seed", min=0, help="Master seed."),
    fit_through: int = typer.Option(2021, "--fit-through", help="Last year of data fitted."),
    out: Path = typer.Option(Path("out/validation/out-of-sample"), "--out", help="Output directory."),
) -> None:
    """Fit on data through 2021, predict 2022-2023: coverage of the 90% intervals and errors."""
    from fentflow.calibrate.validation import out_of_sample, pooled_coverage

    logging.getLogger("ABC").setLevel(logging.WARNING)
    with user_errors():
        chosen = get_budget(budget)           # checked before any Dask worker starts
        check_scheduler(scheduler)
        if not 2016 <= fit_through < LAST_DATA_YEAR:
            raise InputError(f"--fit-through {fit_through} leaves no year to predict: use 2016-{LAST_DATA_YEAR - 1} "
                             f"(the data end in {LAST_DATA_YEAR})", field="--fit-through")
        with open_executor(workers, scheduler) as executor:
            tables = out_of_sample(chosen, seed, out, executor, fit_through=fit_through)
    errors = tables["errors"]
    console.print(errors[["series", "n", "coverage_90", "male", "mean_ratio"]].to_string(index=False))
    summary = {"held_out_coverage_90": pooled_coverage(errors),
               "in_sample_coverage_90": pooled_coverage(tables["errors_in_sample"])}
    (out / "out_of_sample_summary.json").write_text(json.dumps(summary, indent=1))
    console.print(f"pooled 90% coverage, held out: {summary['held_out_coverage_90']:.2f}; "
                  f"fitted years: {summary['in_sample_coverage_90']:.2f}; tables in [bold]{out}/[/]")
