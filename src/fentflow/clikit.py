"""Shared CLI plumbing: the error boundary, output folders, the compile notice and the progress bar."""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fentflow.boundary import EXIT_BAD_INPUT, error_boundary
from fentflow.staging import check_output_folder

__all__ = ["EXIT_BAD_INPUT", "user_errors", "output_folder", "compile_notice", "run_with_progress"]

# Every command already runs inside the app's boundary; `with user_errors():` also keeps a
# command's own errors at one line when it is mounted on another Typer app.
user_errors = error_boundary


def output_folder(path: Path, option: str = "--out") -> Path:
    """`path` if it is, or can become, a writable folder; checked before any work so a typo costs nothing."""
    check_output_folder(path.absolute(), option)
    return path


def compile_notice(console: Console) -> None:
    """Say so when the simulation kernels are about to be compiled (once per machine, a minute or two)."""
    from fentflow.sim.compile_cache import kernels_cached
    if not kernels_cached():
        console.print("[dim]First run on this machine: compiling the simulation kernels (about a minute, "
                      "once; later runs start at once).[/dim]")


def run_with_progress(sim, console: Console, quiet: bool = False) -> None:
    """Run a simulation under a Rich progress bar over its weeks (none when quiet)."""
    if quiet:
        sim.run()
        return
    compile_notice(console)
    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TextColumn("weeks"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("run", total=sim.calendar.n_weeks)
        sim.run(progress=lambda week: progress.update(task, completed=week + 1))
