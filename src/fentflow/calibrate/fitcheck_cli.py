"""`fentflow fit-check`: run the model and put each observable beside its public series."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from fentflow.clikit import run_with_progress, user_errors
from fentflow.staging import staged_output
from fentflow.ensemble.parameters import CALIBRATED, CHOICE_HELP
from fentflow.sim.calendar import DEFAULT_START

console = Console(highlight=False)
FIT_CHECK_END = "2023-12-31"   # the public series run through 2023


def fit_check_command(
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Base random seed."),
    replicates: int = typer.Option(1, "--replicates", min=1,
                                   help="Replicates (one parameter draw each); more than one gives 5-95% bands."),
    start: str = typer.Option(DEFAULT_START, help="First simulated date (YYYY-MM-DD)."),
    end: str = typer.Option(FIT_CHECK_END, help="Last simulated date (YYYY-MM-DD)."),
    out: Path = typer.Option(Path("out/fit-check"), "--out", help="Directory for the charts (PNG) and errors.csv."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", help=CHOICE_HELP),
) -> None:
    """Run the model and put each observable beside its public series: error measures and one chart per series."""
    from fentflow.calibrate.fitcheck import fit_check, write_fit_check
    from fentflow.ensemble.parameters import parameter_source
    from fentflow.errors import InputError
    from fentflow.resources import check_memory
    from fentflow.sim.calendar import Calendar, check_span
    from fentflow.sim.engine import Sim
    from fentflow.sim.pars import Pars
    from fentflow.world import World

    check_span(start, end)
    check_memory(replicates, Calendar.between(start, end).n_weeks)
    with user_errors(), staged_output(out) as stage:
        source = parameter_source(parameters)
        sim = Sim(World.load(world), Pars(source.values(range(replicates), seed), n_reps=replicates), start=start,
                  end=end, seed=seed)
        run_with_progress(sim, console)
        fit = fit_check(sim)
        if fit.points.empty:
            raise InputError(f"{start} to {end} covers no whole year or month of the observed series "
                             "(they run to 2023)", field="end")
        try:
            write_fit_check(fit, stage)
        except OSError as exc:
            raise InputError(f"cannot write the fit check: {exc.strerror}", file=str(out)) from None
    console.print(f"Parameters: {source.describe()}")
    _print_fit_errors(fit.errors, seed, replicates)
    console.print(f"Charts (one PNG per series), errors.csv and points.csv written to [bold]{out}/[/]")


def _print_fit_errors(errors, seed: int, replicates: int) -> None:
    table = Table(title=f"Model vs data (seed {seed}, {replicates} replicate{'s' if replicates > 1 else ''}; "
                        "model = median over replicates)")
    columns = {"series": "series", "unit": "unit", "n": "points", "mean_ratio": "mean ratio",
               "male": "MALE", "rmse": "RMSE", "nrmse": "NRMSE", "corr": "corr", "coverage_90": "in 5-95%",
               "bounds_met": "bounds met"}
    for key, label in columns.items():
        table.add_column(label, justify="left" if key in ("series", "unit") else "right", no_wrap=key == "series")
    for row in errors.itertuples(index=False):
        table.add_row(row.series, row.unit, str(row.n), _num(row.mean_ratio), _num(row.male), _num(row.rmse),
                      _num(row.nrmse), _num(row.corr),
                      "-" if row.coverage_90 != row.coverage_90 else f"{100 * row.coverage_90:.0f}%",
                      "-" if not row.bounds else f"{row.bounds_met}/{row.bounds}")
    console.print(table)
    console.print("mean ratio = mean of model/observed; MALE = mean |ln(model/observed)| (ln 2 = 0.69 is off by "
                  "a factor 2); NRMSE = RMSE / mean observed; bounds: observed 'less/more than' figures the model "
                  "respects.")


def _num(value: float) -> str:
    if value != value:       # NaN: not defined for this series
        return "-"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.3g}M"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
