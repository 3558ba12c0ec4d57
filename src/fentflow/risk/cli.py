"""The `fentflow map` command; the main Typer app mounts it:

    app.command("map")(map_command)   # fentflow map [--year Y] [--scenario NAME|FILE] [--out DIR]

Bad input (a year outside the simulated span, an unknown scenario, a world that does not load)
prints one `error: ...` line and exits 2.
"""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from fentflow.clikit import compile_notice, staged_progress, user_errors, warn_intervals
from fentflow.errors import InputError
from fentflow.risk.hotspots import COLD, HOT
from fentflow.risk.inputs import MODEL
from fentflow.risk.levels import score_text
from fentflow.sim.sources import CALIBRATED, CHOICE_HELP, DEFAULT_REPLICATES
from fentflow.staging import staged_output

DEFAULT_OUT = Path("out/map")
GI_SHORT = {HOT: "hot", COLD: "cold"}
SIMULATION_SHARE, SCORING_SHARE = 1.0, 4.0   # relative times, measured: ~6 s per arm, ~25 s scoring (hotspots)


def map_command(
    year: int | None = typer.Option(None, "--year", help="Year to map (2015-2030). Default 2023, the last year "
                                                         "the calibration fits; with --scenario, the year "
                                                         "after the scenario starts."),
    scenario: str | None = typer.Option(None, "--scenario", help="A bundled scenario (fentflow scenarios) or a "
                                                                 "scenario .toml file: map it and the change "
                                                                 "in each state's score against the baseline."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Directory for risk_map.html/.png, risk_scores.geojson/"
                                                        ".csv, risk_sensitivity.csv and risk_summary.json."),
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Base random seed (the scenario arm uses the same seed)."),
    replicates: int = typer.Option(DEFAULT_REPLICATES, "--replicates", min=1,
                                   help="Replicates; the indicators are their medians."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", help=CHOICE_HELP),
) -> None:
    """Map the fentanyl supply-chain risk of Mexico's 32 states: levels, drivers, stability, hotspots."""
    from fentflow.sim.sources import parameter_source
    from fentflow.risk.assess import assess
    from fentflow.risk.writers import write_map_files
    from fentflow.world import World

    console = Console(highlight=False)
    with user_errors(), staged_output(out) as stage:
        compile_notice(console)
        warn_intervals(replicates)
        plan = [("simulating", SIMULATION_SHARE)] * (2 if scenario else 1) + [("scoring", SCORING_SHARE)]
        with staged_progress(console, plan) as progress:
            assessment = assess(World.load(world), year=year, scenario=scenario, seed=seed, replicates=replicates,
                                parameters=parameter_source(parameters), progress=progress)
        try:
            staged = write_map_files(assessment, stage)
        except OSError as exc:
            raise InputError(f"cannot write the map: {exc.strerror}", file=str(out)) from None
    paths = {kind: out / path.relative_to(stage) for kind, path in staged.items()}
    _print_levels(console, assessment)
    console.print(f"Parameters: {assessment.run.get('parameters')}; indicators are medians over "
                  f"{assessment.run.get('replicates')} replicates.")
    if assessment.run.get("homicide_rate_from", "").startswith(MODEL):   # simulated homicides: from where
        console.print(f"Violence: {assessment.run.get('violence')}.")
    console.print(f"Map written: [bold]{paths['html']}[/] (interactive, works offline), {paths['png'].name}, "
                  f"{paths['geojson'].name}, {paths['csv'].name}, {paths['sensitivity'].name}, "
                  f"{paths['summary'].name} in {out}/")


def _print_levels(console: Console, assessment) -> None:
    table = assessment.table().sort_values("score", ascending=False)
    scenario = assessment.arm is not None
    title = (f"Risk by state, {assessment.year}" + (f", scenario '{assessment.arm.scenario.name}'" if scenario else "")
             + f" (homicide rate: {assessment.run.get('homicide_rate_from')})")
    out = Table(title=title)
    columns = ["state", "level", "score", "haz.", "exp.", "main drivers (indicator score)", "stable", "Gi*"]
    columns += ["change"] if scenario else []
    for column in columns:
        out.add_column(column, justify="right" if column in ("score", "haz.", "exp.", "stable", "change")
                       else "left", overflow="fold", no_wrap=column != columns[5])
    for row in table.itertuples(index=False):
        cells = [row.abbr, str(row.level), score_text(row.score), f"{row.hazard:.1f}", f"{row.exposure:.1f}",
                 row.drivers, f"{100 * row.stability:.0f}%", GI_SHORT.get(row.hotspot, "")]
        cells += [f"{row.score_change:+.2f}"] if scenario else []
        out.add_row(*cells)
    console.print(out)
    summary = assessment.sensitivity.summary()
    console.print(f"Sensitivity to weights and cut points ({summary['evaluations']:.0f} variants): a state keeps its "
                  f"level in {100 * summary['mean_stability']:.0f}% of variants on average; "
                  f"{summary['states_stable_90']:.0f} of 32 states in at least 90%.")
