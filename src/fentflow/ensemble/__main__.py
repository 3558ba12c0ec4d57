"""`python -m fentflow.ensemble compare|query|scenarios ...`: the ensemble commands on their own app
(the same functions `fentflow compare`, `fentflow query` and `fentflow scenarios` mount)."""
from __future__ import annotations

import typer

from fentflow.ensemble.cli import compare_command, query_command, scenarios_command

app = typer.Typer(help="fentflow policy comparisons.", no_args_is_help=True, add_completion=False)
app.command("compare")(compare_command)
app.command("query")(query_command)
app.command("scenarios")(scenarios_command)

if __name__ == "__main__":
    app()
