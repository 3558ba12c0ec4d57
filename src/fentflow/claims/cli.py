"""The `fentflow claims` command; the main Typer app mounts it:

    app.command("claims")(claims_command)   # fentflow claims [--seed S] [--world DIR] [--csv | --json]

Bad input (a world that does not load, an unknown claim id) prints one `error: ...` line and exits 2.
"""
from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import claim_rows
from fentflow.claims.row import CONSISTENT, INCONSISTENT, PRIMARY_NOT_FOUND, VERDICTS, ClaimRow, rows_frame
from fentflow.clikit import data_option, use_data, user_errors, warn_intervals
from fentflow.errors import InputError
from fentflow.sim.sources import CALIBRATED, CHOICE_HELP, DEFAULT_REPLICATES, REPLICATES_HELP

VERDICT_STYLE = {CONSISTENT: "bold green", INCONSISTENT: "bold red"}   # not checkable: yellow


def claims_command(
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the baseline run (2015-2023)."),
    replicates: int = typer.Option(DEFAULT_REPLICATES, "--replicates", min=1, help=REPLICATES_HELP),
    claim: list[str] | None = typer.Option(None, "--claim", help="Check only this claim (e.g. C5); repeatable."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the table as CSV to stdout."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON, with the numbers behind each verdict."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", help=CHOICE_HELP),
    data: Path | None = data_option(),
) -> None:
    """Check the news report's 13 claims (C1-C13) against public data and the model."""
    from fentflow.sim.sources import parameter_source
    from fentflow.world import World

    with user_errors():
        if as_csv and as_json:
            raise InputError("--csv and --json both given: choose one", field="--csv")
        use_data(data)
        context = ClaimContext(World.load(world), seed=seed, replicates=replicates,
                               parameters=parameter_source(parameters))
        warn_intervals(replicates)
        if as_csv or as_json:
            rows = claim_rows(context, claim or None)
        else:
            with _console().status(f"checking claims (the baseline run of {replicates} replicates takes a few "
                                   "seconds; the policy comparison behind C11-C12 longer on first use)"):
                rows = claim_rows(context, claim or None)
    if as_json:
        typer.echo(json.dumps([row.as_dict() for row in rows], indent=2))
    elif as_csv:
        typer.echo(_csv(rows), nl=False)
    else:
        _print_rows(rows, seed, replicates)
        _console().print(Text(f"Parameters: {context.parameters.describe()}."))


def _print_rows(rows: list[ClaimRow], seed: int, replicates: int) -> None:
    """One section per check: a header with the verdict, then claim, public figure, fentflow, why, rule."""
    sources = list(dict.fromkeys(_sources(row) for row in rows))
    table = Table(title=f"Claims check (baseline 2015-2023, seed {seed}, {replicates} replicate"
                        f"{'s' if replicates > 1 else ''})", show_header=False, box=box.SIMPLE_HEAD)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("", overflow="fold")
    previous_id = None
    for row in rows:
        table.add_row(Text(f"{row.id} {row.check}"), Text(row.verdict, style=VERDICT_STYLE.get(row.verdict,
                                                                                           "bold yellow")))
        if row.id != previous_id:
            table.add_row("claim", Text(row.claim))
        previous_id = row.id
        table.add_row("public", Text(f"{row.public_figure} [{sources.index(_sources(row)) + 1}]"))
        table.add_row("fentflow", Text(row.fentflow))
        table.add_row("why", Text(row.reason))
        table.add_row("rule", Text(row.rule, style="dim"), end_section=True)
    console = _console()
    console.print(table)
    console.print(_summary(rows))
    for number, (primary, copy) in enumerate(sources, start=1):
        console.print(Text(f"[{number}] {_source_note(primary, copy)}"), soft_wrap=True)   # URLs stay whole


def _sources(row: ClaimRow) -> tuple[str, str]:
    return row.primary_url, row.source_url


def _source_note(primary: str, copy: str) -> str:
    """The publisher's page first, then the copy the figure was read from when it is another page."""
    if primary == PRIMARY_NOT_FOUND:
        return f"{copy} (the publisher's own page: {PRIMARY_NOT_FOUND})"
    return primary if primary == copy else f"{primary} (read from {copy})"


def _summary(rows: list[ClaimRow]) -> Text:
    counts = {verdict: sum(row.verdict == verdict for row in rows) for verdict in VERDICTS}
    return Text(f"{len(rows)} checks: " + ", ".join(f"{n} {verdict}" for verdict, n in counts.items()))


def _csv(rows: list[ClaimRow]) -> str:
    return rows_frame(rows).to_csv(index=False)


def _console() -> Console:
    # Made per call so that output goes to the current stdout (and to CliRunner in tests).
    return Console(highlight=False)
