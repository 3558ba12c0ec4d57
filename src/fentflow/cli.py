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

from fentflow.boundary import BoundaryGroup, interrupted
from fentflow.calibrate.cli import calibrate_command
from fentflow.calibrate.fitcheck_cli import fit_check_command
from fentflow.calibrate.validate_cli import validate_app
from fentflow.claims.cli import claims_command
from fentflow.clikit import run_with_progress, user_errors, warn_intervals
from fentflow.ensemble.cli import compare_command, query_command, scenarios_command
from fentflow.observed.cli import convert_command, data_app
from fentflow.report.cli import report_command
from fentflow.risk.cli import map_command
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START
from fentflow.sim.sources import CALIBRATED, CHOICE_HELP, DEFAULT_REPLICATES, REPLICATES_HELP
from fentflow.staging import staged_output
from fentflow.units import KG_PER_LB
from fentflow.world.cli import app as world_app

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
app.add_typer(validate_app, name="validate")   # its help is its own (validate_cli.py)
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
    out: Path = typer.Option(Path("out"), "--out", help="Output directory for Parquet tables, annual.csv and "
                                                         "summary.json."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar and no summary table."),
    profile: bool = typer.Option(False, "--profile", help="Print the time spent in each step of the step order."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", help=CHOICE_HELP),
    replicates: int = typer.Option(DEFAULT_REPLICATES, "--replicates", min=1, help=REPLICATES_HELP),
    scenario: str | None = typer.Option(None, "--scenario", help="A scenario to run: a bundled name (see "
                                        "`fentflow scenarios`) or a TOML file. Default: no interventions."),
    csv: bool = typer.Option(False, "--csv", help="Also write every Parquet table as CSV beside it."),
) -> None:
    """Run the simulation on a world and write its results (Parquet, annual.csv, summary.json)."""
    from fentflow.policy.scenarios import check_scenario, load_scenario
    from fentflow.resources import check_memory
    from fentflow.sim.calendar import Calendar, check_span
    from fentflow.sim.engine import Sim
    from fentflow.sim.network import network_of
    from fentflow.sim.output import write_outputs
    from fentflow.world import World

    check_span(start, end)
    check_memory(replicates, Calendar.between(start, end).n_weeks)
    with user_errors(), staged_output(out) as stage:
        the_world = World.load(world)
        chosen = load_scenario(scenario) if scenario else None
        if chosen:
            check_scenario(chosen, network_of(the_world), start, end)
        sim = Sim(the_world, parameters=parameters, replicates=replicates, start=start, end=end, seed=seed,
                  interventions=chosen.interventions if chosen else ())
        warn_intervals(replicates)
        began = time.perf_counter()
        run_with_progress(sim, console, quiet)
        wall = time.perf_counter() - began
        provenance = {"scenario": chosen.name if chosen else None}
        summary = write_outputs(sim, stage, provenance, csv=csv)
    if not quiet:
        _print_summary(summary, out, wall)
    if profile:
        _print_profile(sim.timings, wall)


@app.command()
def params(
    as_csv: bool = typer.Option(False, "--csv", help="Print the table as CSV to stdout."),
) -> None:
    """List every model parameter: default, unit, prior, source and the source's page at its publisher."""
    from fentflow.sim.pars import PARAMETERS
    from fentflow.tables import print_stacked

    rows = [{"name": p.name, "default": f"{p.default:g}", "unit": p.unit, "prior": _prior_text(p.prior),
             "source": p.source, "primary_url": p.primary_url} for p in PARAMETERS]
    if as_csv:
        import pandas as pd
        typer.echo(pd.DataFrame(rows).to_csv(index=False), nl=False)
        return
    fields = ("default", "unit", "prior", "source", "primary_url")
    print_stacked(console, f"fentflow parameters ({len(rows)}; fentflow params --csv for a table)",
                  [(row["name"], [(key, row[key]) for key in fields if row[key]]) for row in rows])


def _prior_text(prior: tuple) -> str:
    return "fixed" if prior[0] == "fixed" else f"{prior[0]}({prior[1]:g}, {prior[2]:g})"


@app.command()
def steps() -> None:
    """Print the documented step order of one simulated week."""
    from fentflow.sim.engine import Sim

    for line in Sim.describe_steps():
        console.print(line)


def _print_summary(summary: dict, out: Path, wall: float) -> None:
    scenario = f", scenario '{summary['scenario']}'" if summary.get("scenario") else ""
    table = Table(title=f"fentflow run: world '{summary['world']}'{scenario}, seed {summary['seed']}, weeks from "
                        f"{summary['start']} to {summary['end']}")
    for column in ("year", "deaths", "consumed (pure t)", "border seized (lb)", "seized at border (pure %)",
                   "attempted crossings", "homicides (MX)"):
        table.add_column(column, justify="right")
    shares = summary["seizure_share_at_border"]
    partial = set(summary.get("partial_years", []))
    for year, row in summary["calendar_years"].items():
        share = shares.get(year, {}).get("all", {}).get("share_pure")
        table.add_row(year + ("*" if int(year) in partial else ""), f"{row['deaths']:,.0f}",
                      f"{row['consumed_pure_kg'] / 1000:.2f}", f"{row['border_seized_gross_kg'] / KG_PER_LB:,.0f}",
                      "-" if share is None else f"{100 * share:.1f}",
                      f"{row['attempted_crossings']:,.0f}", f"{row['homicides']:,.0f}")
    console.print(table)
    if partial & {int(year) for year in summary["calendar_years"]}:
        console.print("* partial year: the run covers only part of it (flagged `partial` in every table).")
    console.print(f"Parameters: {summary['parameter_source']}; medians over {summary['replicates']} "
                  f"replicate{'s' if summary['replicates'] != 1 else ''}.")
    console.print(f"Violence: {summary['violence_anchor']}.")
    console.print(f"Simulated in {wall:.2f} s. Results written to [bold]{out}/[/] "
                  "(annual.csv, Parquet tables, observables/, summary.json).")


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
    except KeyboardInterrupt:   # outside any command's boundary: Typer building the commands
        sys.exit(interrupted().exit_code)
    finally:
        # The work is done or reported: a Ctrl-C while Python shuts down must not kill it silently (-2).
        signal.signal(signal.SIGINT, signal.SIG_IGN)

