"""`fentflow fit-check`: run the model and put each observable beside its public series."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from fentflow.clikit import data_option, run_with_progress, use_data, user_errors, warn_intervals
from fentflow.sim.calendar import DEFAULT_START
from fentflow.sim.sources import CALIBRATED, CHOICE_HELP, DEFAULT_REPLICATES, REPLICATES_HELP
from fentflow.staging import staged_output

console = Console(highlight=False)


def fit_check_command(
    world: Path | None = typer.Option(None, "--world", help="World directory (default: the bundled world)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Base random seed."),
    replicates: int = typer.Option(DEFAULT_REPLICATES, "--replicates", min=1, help=REPLICATES_HELP),
    start: str = typer.Option(DEFAULT_START, help="First simulated date (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, help="Last simulated date (YYYY-MM-DD; default: the end of the last "
                                              "year of the public series in use, 2023 bundled)."),
    out: Path = typer.Option(Path("out/fit-check"), "--out", help="Directory for the charts (PNG) and errors.csv."),
    parameters: str = typer.Option(CALIBRATED, "--parameters", help=CHOICE_HELP),
    data: Path | None = data_option(),
) -> None:
    """Run the model and put each observable beside its public series: error measures and one chart per series."""
    from fentflow.calibrate.fitcheck import fit_check, write_fit_check
    from fentflow.errors import InputError
    from fentflow.observed.series import last_data_year
    from fentflow.resources import check_memory
    from fentflow.sim.calendar import Calendar, check_span
    from fentflow.sim.engine import Sim
    from fentflow.world import World

    use_data(data)
    end = end or f"{last_data_year()}-12-31"
    check_span(start, end)
    check_memory(replicates, Calendar.between(start, end).n_weeks)
    with user_errors(), staged_output(out) as stage:
        sim = Sim(World.load(world), parameters=parameters, replicates=replicates, start=start, end=end, seed=seed)
        warn_intervals(replicates)
        run_with_progress(sim, console)
        fit = fit_check(sim)
        if fit.points.empty:
            raise InputError(f"{start} to {end} covers no whole year or month of the observed series "
                             f"(they run to {last_data_year()})", field="end")
        try:
            write_fit_check(fit, stage)
        except OSError as exc:
            raise InputError(f"cannot write the fit check: {exc.strerror}", file=str(out)) from None
    console.print(f"Parameters: {sim.parameter_source}")
    _print_fit_errors(fit.errors, seed, replicates)
    _print_new_years(fit.points)
    console.print(f"Charts (one PNG per series), errors.csv and points.csv written to [bold]{out}/[/]")


def _print_fit_errors(errors, seed: int, replicates: int) -> None:
    from fentflow.tables import Column, print_fitting

    columns = [Column("series", "left"), Column("unit", "left"), Column("points"), Column("mean ratio"),
               Column("MALE"), Column("by chance"), Column("RMSE"), Column("NRMSE"), Column("corr"),
               Column("in 5-95%"), Column("bounds met")]
    rows = [[row.series, row.unit, str(row.n), _num(row.mean_ratio), _num(row.male), _num(row.male_chance),
             _num(row.rmse), _num(row.nrmse), _num(row.corr),
             "-" if row.coverage_90 != row.coverage_90 else f"{100 * row.coverage_90:.0f}%",
             "-" if not row.bounds else f"{row.bounds_met}/{row.bounds}"] for row in errors.itertuples(index=False)]
    print_fitting(console, f"Model vs data (seed {seed}, {replicates} replicate{'s' if replicates > 1 else ''}; "
                           "model = median over replicates)", columns, rows)
    console.print("mean ratio = mean of model/observed; MALE = mean |ln(model/observed)| (ln 2 = 0.69 is off by "
                  "a factor 2); by chance = the MALE of each replicate against the others' median, what a right "
                  "model would score (a MALE well above it is misfit); NRMSE = RMSE / mean observed; bounds: "
                  "observed 'less/more than' figures the model respects.")


def _print_new_years(points) -> None:
    """Imported observations after the bundled series' last year, beside the model (national and
    component points; every point is in points.csv)."""
    from fentflow.observed.series import LAST_DATA_YEAR

    years = points["period"].str.extract(r"(\d{4})", expand=False).astype(int)
    new = points[(years > LAST_DATA_YEAR) & points["place"].isin(["all", "port", "between"])]
    if new.empty:
        return
    table = Table(title=f"Imported years after {LAST_DATA_YEAR}: observed beside the model (median, 5-95%)")
    for column in ("series", "period", "place", "observed", "model", "5-95%"):
        table.add_column(column, justify="left" if column in ("series", "period", "place") else "right")
    for row in new.itertuples(index=False):
        table.add_row(row.series, row.period, row.place, _num(row.observed), _num(row.model_median),
                      f"{_num(row.model_p05)}-{_num(row.model_p95)}")
    console.print(table)


def _num(value: float) -> str:
    if value != value:       # NaN: not defined for this series
        return "-"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.3g}M"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
