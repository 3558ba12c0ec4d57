"""The `fentflow report` command; the main Typer app mounts it:

    app.command("report")(report_command)   # fentflow report [--out DIR]

Bad input (a broken run directory, a year the run does not cover, a world that does not load)
prints one `error: ...` line and exits 2.
"""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from fentflow.clikit import data_option, staged_progress, use_data, user_errors
from fentflow.errors import InputError


def report_command(
    out: Path = typer.Option(Path("out"), "--out", help="A `fentflow run --out` directory (the baseline is run "
                                                        "into it first if it holds none); report.html goes here."),
    world: Path | None = typer.Option(None, "--world", help="World directory the run used (default: bundled)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed for the baseline, if it has to be run."),
    year: int | None = typer.Option(None, "--year", help="Year of the risk map and the mass balance (default 2023, "
                                                         "the last year the calibration fits)."),
    claims: bool = typer.Option(True, "--claims/--no-claims", help="Include the claims check (runs 2015-2023)."),
    calibration: Path | None = typer.Option(None, "--calibration", help="Calibration results folder "
                                                                        "(default: OUT/calibration, else the "
                                                                        "calibration shipped with fentflow)."),
    compare: Path | None = typer.Option(None, "--compare", help="`fentflow compare` output folder "
                                                                "(default: OUT/compare)."),
    data: Path | None = data_option(),
) -> None:
    """Write one self-contained HTML report of a run (opens from disk, no network): run, fit to data,
    calibration, scenarios, risk map, claims, assumptions and sources."""
    from fentflow.report.build import STAGES, build_report
    from fentflow.report.context import read_summary
    from fentflow.world import World

    console = Console(highlight=False)
    with user_errors():
        use_data(data)
        with staged_progress(console, STAGES) as progress:
            try:
                path = build_report(out, world=World.load(world), seed=seed, risk_year=year, claims=claims,
                                    calibration_dir=calibration, compare_dir=compare, progress=progress)
            except OSError as exc:
                raise InputError(f"cannot write the report: {exc.strerror}", file=str(out)) from None
    console.print(f"Report written: [bold]{path}[/] (self-contained; open it in a browser, no network needed)")
    summary = read_summary(out)
    console.print(f"Parameters: {summary.get('parameter_source', 'not recorded')}; "
                  f"{summary.get('replicates')} replicates.", markup=False)
