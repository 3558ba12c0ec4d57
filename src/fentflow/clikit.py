"""Shared CLI plumbing: the error boundary, output folders, the compile notice and the progress bar."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

from fentflow.boundary import EXIT_BAD_INPUT, err_console, error_boundary
from fentflow.staging import check_output_folder

__all__ = ["EXIT_BAD_INPUT", "user_errors", "output_folder", "compile_notice", "run_with_progress", "data_option",
           "use_data", "warn_intervals", "eta_columns", "staged_progress"]
DATA_HELP = ("Folder of public series imported with `fentflow data import`: their rows are read over the "
             "bundled ones (default: the bundled series only).")

# Every command already runs inside the app's boundary; `with user_errors():` also keeps a
# command's own errors at one line when it is mounted on another Typer app.
user_errors = error_boundary


def data_option():
    """The `--data FOLDER` option of every command that reads the public series."""
    return typer.Option(None, "--data", help=DATA_HELP)


def use_data(folder: Path | None) -> None:
    """Read the public series from `folder` (imported) over the bundled ones, or the bundled only."""
    from fentflow.observed.series import use_data_folder
    use_data_folder(folder)


def output_folder(path: Path, option: str = "--out") -> Path:
    """`path` if it is, or can become, a writable folder; checked before any work so a typo costs nothing."""
    check_output_folder(path.absolute(), option)
    return path


def warn_intervals(runs: int) -> None:
    """Print a warning on stderr when `runs` are too few to back the 90% intervals a command shows."""
    from fentflow.sim.sources import interval_warning
    warning = interval_warning(runs)
    if warning:
        err_console().print(Text.assemble(("warning:", "bold yellow"), " ", warning))


def compile_notice(console: Console) -> None:
    """Say so when the simulation kernels are about to be compiled (once per machine: `sim/warmup.py`)."""
    from fentflow.sim.compile_cache import kernels_cached
    if not kernels_cached():
        console.print("[dim]First run on this machine: compiling the simulation kernels (about 20 s on "
                      "2 cores, once; later runs start at once).[/dim]")


def run_with_progress(sim, console: Console, quiet: bool = False) -> None:
    """Run a simulation under a Rich progress bar over its weeks (none when quiet)."""
    if quiet:
        sim.run()
        return
    compile_notice(console)
    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TextColumn("weeks"), TimeElapsedColumn(),
               TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("run", total=sim.calendar.n_weeks)
        sim.run(progress=lambda week: progress.update(task, completed=week + 1))


def eta_columns(label: str = "{task.description}") -> tuple:
    """Columns of every long command's bar: what it is doing, the bar, %, time so far and time left."""
    return (TextColumn(label), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(), TextColumn("left"),
            TimeRemainingColumn())


@contextlib.contextmanager
def staged_progress(console: Console, plan: Sequence[tuple[str, float]], quiet: bool = False
                    ) -> Iterator[Callable[[str, float], None]]:
    """One bar with an ETA over a command's stages, for library code that reports `(stage, fraction)`.

    `plan` lists the expected stages in order as (name prefix, weight): a weight is the stage's
    expected share of the time, so the bar (and the time left) moves evenly across stages.
    A reported stage takes the next planned entry its name starts with."""
    if quiet:
        yield lambda stage, fraction: None
        return
    weights = [weight for _, weight in plan]
    state = {"entry": -1, "stage": None}

    def report(stage: str, fraction: float) -> None:
        if stage != state["stage"]:
            later = [i for i in range(state["entry"] + 1, len(plan)) if stage.startswith(plan[i][0])]
            state["entry"], state["stage"] = (later[0] if later else state["entry"]), stage
        entry = state["entry"]
        done = sum(weights[:entry]) + (weights[entry] * min(max(fraction, 0.0), 1.0) if entry >= 0 else 0.0)
        progress.update(task, description=stage, completed=done)

    with Progress(*eta_columns(), console=console, transient=True) as progress:
        task = progress.add_task("starting", total=sum(weights))
        yield report
