"""The `fentflow` command line (Typer + Rich). Exit codes (see boundary.py): 0 success, 2 bad input,
130 interrupted, 1 a bug."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path


def _interrupted_while_starting(signum, frame):
    # Nothing has been done yet; a KeyboardInterrupt here would print an import traceback.
    sys.stderr.write("interrupted; rerun the same command to resume\n")
    os._exit(130)


_STARTING = (threading.current_thread() is threading.main_thread()
             and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
if _STARTING:
    signal.signal(signal.SIGINT, _interrupted_while_starting)

import typer  # noqa: E402  (after the start-up Ctrl-C handler)
from rich.console import Console
from rich.table import Table

from fentflow.calibrate.cli import calibrate_command
from fentflow.calibrate.fitcheck_cli import fit_check_command
from fentflow.calibrate.validate_cli import validate_app
from fentflow.claims.cli import claims_command
from fentflow.boundary import BoundaryGroup
from fentflow.clikit import run_with_progress
from fentflow.staging import staged_output
from fentflow.ensemble.parameters import CALIBRATED, CHOICE_HELP
from fentflow.ensemble.cli import compare_command, query_command, scenarios_command
from fentflow.observed.cli import convert_command, data_app
from fentflow.report.cli import report_command
from fentflow.risk.cli import map_command
from fentflow.world.cli import app as world_app
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START

if _STARTING:
    signal.signal(signal.SIGINT, signal.default_int_handler)   # imports done: Ctrl-C is the boundary's now

app = typer.Typer(help="fentflow: simulate, calibrate and map the illicit fentanyl supply chain feeding the "
                       "U.S. market.", no_args_is_help=True, add_completion=False, cls=BoundaryGroup)
console = Console(highlight=False)

app.add_typer(world_app, name="world", help="Validate and show world directories.")
app.add_typer(data_app, name="data", help="The public series fentflow compares with (with sources).")
app.command("convert")(convert_command)
app.command("claims")(claims_command)
app.command("fit-check")(fit_check_command)
app.command("calibrate")(calibrate_command)
app.add_typer(validate_app, name="validate", help="Validate the calibration: recovery and out-of-sample.")
app.command("map")(map_command)
app.command("report")(report_command)
app.command("compare")(compare_command)
app.command("query")(query_command)
app.command("scenarios")(scenarios_command)


@app.command()
def run(
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    start: str = typer.Option(DEFAULT_START, help="First simulated date (YYYY-MM-DD)."),
    end: str = typer.Option(DEFAULT_END, help="Last simulated date (YYYY-MM-DD)."),
    seed: int = typer.Option(0, min=0, help="Base random seed; same inputs and seed give identical results."),
    out: Path = typer.Option(Path("out"), "--out", help="Output directory for Parquet tables and summary.json."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar and no summary table."),
    profile: bool = typer.Option(False, "--profile", help="Print the time spent in each step of the step order."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", help=CHOICE_HELP),
    replicates: int = typer.Option(1, "--replicates", min=1,
                                   help="Replicates simulated together, each with its own posterior draw; the "
                                        "summary gives medians over replicates."),
) -> None:
    """Run the simulation on a world and write its results (Parquet + summary.json)."""
    from fentflow.ensemble.parameters import parameter_source
    from fentflow.resources import check_memory
    from fentflow.sim.calendar import Calendar, check_span
    from fentflow.sim.engine import Sim
    from fentflow.sim.output import write_outputs
    from fentflow.sim.pars import Pars
    from fentflow.world import World

    check_span(start, end)
    check_memory(replicates, Calendar.between(start, end).n_weeks)
    with staged_output(out) as stage:
        source = parameter_source(parameters)
        runs = range(replicates)
        pars = Pars(source.values(runs, seed), n_reps=replicates)
        sim = Sim(World.load(world), pars, start=start, end=end, seed=seed)
        began = time.perf_counter()
        run_with_progress(sim, console, quiet)
        wall = time.perf_counter() - began
        provenance = {"parameter_choice": parameters, "parameter_source": source.describe(),
                      "draws": [source.draw_of(r, seed) for r in runs]}
        summary = write_outputs(sim, stage, provenance)
    if not quiet:
        _print_summary(summary, out, wall)
    if profile:
        _print_profile(sim.timings, wall)


@app.command()
def params() -> None:
    """List every model parameter: default, unit, prior and source."""
    from fentflow.sim.pars import PARAMETERS

    table = Table(title="fentflow parameters")
    for column in ("name", "default", "unit", "prior", "source"):
        table.add_column(column, overflow="fold")
    for p in PARAMETERS:
        prior = "fixed" if p.prior[0] == "fixed" else f"{p.prior[0]}({p.prior[1]:g}, {p.prior[2]:g})"
        table.add_row(p.name, f"{p.default:g}", p.unit, prior, p.source)
    console.print(table)


@app.command()
def steps() -> None:
    """Print the documented step order of one simulated week."""
    from fentflow.sim.engine import Sim

    for line in Sim.describe_steps():
        console.print(line)


def _print_summary(summary: dict, out: Path, wall: float) -> None:
    table = Table(title=f"fentflow run: world '{summary['world']}', seed {summary['seed']}, weeks from "
                        f"{summary['start']} to {summary['end']}")
    for column in ("year", "deaths", "consumed (pure t)", "border seized (lb)", "seized at border (pure %)",
                   "attempted crossings", "homicides (MX)"):
        table.add_column(column, justify="right")
    shares = summary["seizure_share_at_border"]
    for year, row in summary["calendar_years"].items():
        share = shares.get(year, {}).get("all", {}).get("share_pure")
        table.add_row(year, f"{row['deaths']:,.0f}", f"{row['consumed_pure_kg'] / 1000:.2f}",
                      f"{row['border_seized_gross_kg'] / 0.45359237:,.0f}",
                      "-" if share is None else f"{100 * share:.1f}",
                      f"{row['attempted_crossings']:,.0f}", f"{row['homicides']:,.0f}")
    console.print(table)
    console.print(f"Parameters: {summary['parameter_source']}" + (f"; medians over {summary['replicates']} replicates"
                                                                 if summary["replicates"] > 1 else ""))
    console.print(f"Simulated in {wall:.2f} s. Results written to [bold]{out}/[/] "
                  "(Parquet tables, observables/, summary.json).")


def _print_profile(timings: dict[str, float], wall: float) -> None:
    table = Table(title="Time per step (step order)")
    table.add_column("#", justify="right")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("share", justify="right")
    total = sum(timings.values()) or 1.0
    for i, (name, seconds) in enumerate(timings.items(), 1):
        table.add_row(str(i), name, f"{seconds:.4f}", f"{100 * seconds / total:.1f}%")
    table.add_row("", "total (all steps)", f"{total:.4f}", f"of {wall:.4f} s wall")
    console.print(table)


def main() -> None:
    try:
        app()
    finally:
        # The work is done or reported: a Ctrl-C while Python shuts down must not kill it silently (-2).
        signal.signal(signal.SIGINT, signal.SIG_IGN)

