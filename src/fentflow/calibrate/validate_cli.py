"""Validation commands: `recovery` (synthetic-data recovery and rank checks), `out-of-sample` (fit
through 2021), `seeds` (the same calibration under several seeds), `learning` (how far a
posterior narrowed its priors) and `scale` (whether the data can tell the size of the flow).

Run them as `python -m fentflow.calibrate recovery ...` or mount `validate_app` in the main CLI.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress
from rich.table import Table

from fentflow.calibrate.budget import Budget, get_budget
from fentflow.calibrate.cli import CalibrationProgress
from fentflow.calibrate.executor import open_executor
from fentflow.clikit import data_option, eta_columns, use_data, user_errors
from fentflow.ensemble.execute import check_scheduler
from fentflow.errors import InputError
from fentflow.observed.series import last_data_year
from fentflow.staging import staged_output

console = Console(highlight=False)
validate_app = typer.Typer(
    help="Validate the calibration: synthetic-data recovery, out-of-sample prediction, seed to seed, learning, "
         "the flow's scale.",
    no_args_is_help=True)


def workers_option() -> int:
    """`--workers`, as every validation command declares it."""
    return typer.Option(2, "--workers", min=0, help="Local Dask workers (0: this process).")


def scheduler_option() -> str | None:
    """`--scheduler`, as every validation command declares it."""
    return typer.Option(None, "--scheduler", help="Existing Dask scheduler address.")


def posterior_option() -> Path | None:
    """`--posterior`, as every validation command that reads a posterior declares it."""
    return typer.Option(None, "--posterior", help="Posterior file (default: the calibration shipped with fentflow).")


def _checked(budget: str, scheduler: str | None, data: Path | None) -> Budget:
    """The budget, the scheduler's address and the data folder, checked before any Dask worker starts
    (the workers then read the same data folder)."""
    chosen = get_budget(budget)
    check_scheduler(scheduler)
    use_data(data)
    return chosen


@validate_app.command("recovery")
def recovery_command(
    trials: int = typer.Option(20, "--trials", min=1, help="Synthetic data sets (each a full calibration)."),
    budget: str = typer.Option("recovery", "--budget", help="Calibration budget of each trial."),
    workers: int = workers_option(),
    scheduler: str | None = scheduler_option(),
    seed: int = typer.Option(0, "--seed", min=0, help="Master seed of the suite."),
    out: Path = typer.Option(Path("out/validation/recovery"), "--out", help="Directory (one folder per trial)."),
    data: Path | None = data_option(),
) -> None:
    """Calibrate on synthetic data from known parameters; report how often the intervals cover the true share."""
    from fentflow.calibrate.validation import recovery   # imports pyABC: seconds, so only when used

    logging.getLogger("ABC").setLevel(logging.WARNING)
    with user_errors():
        chosen = _checked(budget, scheduler, data)
        with open_executor(workers, scheduler) as executor, \
                Progress(*eta_columns("recovery trials"), MofNCompleteColumn(), console=console) as bar:
            task = bar.add_task("trials", total=trials)
            rows, summary = recovery(trials, chosen, seed, out, executor,
                                     progress=lambda done, total: bar.update(task, completed=done))
    pooled = summary[summary["year"] == "all"]
    console.print(pooled.to_string(index=False))
    sbc = pd.read_csv(out / "recovery_sbc.csv")
    console.print("Rank uniformity (simulation-based calibration), per parameter:")
    console.print(sbc.to_string(index=False))
    console.print(f"{rows['trial'].nunique()} trials; {int(sbc['uniform'].sum())} of {len(sbc)} parameters with "
                  f"uniform ranks; tables in [bold]{out}/[/]")


@validate_app.command("out-of-sample")
def out_of_sample_command(
    budget: str = typer.Option("default", "--budget", help="Calibration budget."),
    workers: int = workers_option(),
    scheduler: str | None = scheduler_option(),
    seed: int = typer.Option(0, "--seed", min=0, help="Master seed."),
    fit_through: int = typer.Option(2021, "--fit-through", help="Last year of data fitted."),
    out: Path = typer.Option(Path("out/validation/out-of-sample"), "--out", help="Output directory."),
    data: Path | None = data_option(),
) -> None:
    """Fit on data through 2021, predict the years after (to 2023, or the last imported year with
    --data): coverage of the 90% intervals and errors."""
    from fentflow.calibrate.validation import out_of_sample, pooled_coverage
    from fentflow.observed.series import last_data_year

    logging.getLogger("ABC").setLevel(logging.WARNING)
    with user_errors():
        chosen = _checked(budget, scheduler, data)
        last = last_data_year()
        if not 2016 <= fit_through < last:
            raise InputError(f"--fit-through {fit_through} leaves no year to predict: use 2016-{last - 1} "
                             f"(the data end in {last})", field="--fit-through")
        with open_executor(workers, scheduler) as executor, \
                CalibrationProgress(False, chosen, f"fit through {fit_through}") as on_progress:
            tables = out_of_sample(chosen, seed, out, executor, fit_through=fit_through, predict_through=last,
                                   progress=on_progress)
    errors = tables["errors"]
    console.print(errors[["series", "n", "coverage_90", "male", "male_chance", "mean_ratio"]].to_string(index=False))
    summary = {"held_out_coverage_90": pooled_coverage(errors),
               "in_sample_coverage_90": pooled_coverage(tables["errors_in_sample"]),
               "held_out_coverage_90_unanchored": pooled_coverage(tables["errors_unanchored"])}
    (out / "out_of_sample_summary.json").write_text(json.dumps(summary, indent=1))
    console.print(f"pooled 90% coverage, held out: {summary['held_out_coverage_90']:.2f} (violence not anchored: "
                  f"{summary['held_out_coverage_90_unanchored']:.2f}); fitted years: "
                  f"{summary['in_sample_coverage_90']:.2f}; tables in [bold]{out}/[/]")


@validate_app.command("seeds")
def seeds_command(
    seeds: list[int] = typer.Option([0, 1], "--seed", min=0,
                                    help="A seed to calibrate with; repeat for each (default: 0 and 1)."),
    budget: str = typer.Option("default", "--budget", help="Calibration budget of each seed."),
    workers: int = workers_option(),
    scheduler: str | None = scheduler_option(),
    replicates: int = typer.Option(40, "--replicates", min=1, help="Posterior draws in each seed's fit check."),
    out: Path = typer.Option(Path("out/validation/seeds"), "--out", help="Directory (one folder per seed)."),
    data: Path | None = data_option(),
) -> None:
    """Calibrate once per seed; put each posterior's fit, learning and seizure share side by side."""
    from fentflow.calibrate.seed_stability import seed_stability

    logging.getLogger("ABC").setLevel(logging.WARNING)
    seeds = list(dict.fromkeys(seeds))      # each once, in the order given
    with user_errors():
        if len(seeds) < 2:
            raise InputError("give at least two different seeds (--seed 0 --seed 1)", field="--seed")
        _checked(budget, scheduler, data)
        with Progress(*eta_columns("seeds"), MofNCompleteColumn(), console=console) as bar:
            task = bar.add_task("seeds", total=len(seeds))
            table = seed_stability(budget, seeds, out, workers=workers, scheduler=scheduler, replicates=replicates,
                                   progress=lambda done, total: bar.update(task, completed=done))
    console.print(_seeds_table(table))
    console.print(f"One row per seed and their spread in [bold]{out}/seeds.csv[/]; each seed's calibration "
                  f"in {out}/seed-<k>/")


def _seeds_table(table: pd.DataFrame) -> Table:
    from fentflow.calibrate.seed_stability import SPREAD

    out = Table(title="The same calibration, seed by seed")
    out.add_column("figure", justify="left")
    for seed in table.index:
        out.add_column(SPREAD if seed == SPREAD else f"seed {seed}", justify="right")
    for figure in table.columns:
        out.add_row(figure, *(f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}" for value in table[figure]))
    return out


@validate_app.command("learning")
def learning_command(
    posterior: Path | None = posterior_option(),
) -> None:
    """How far the calibration narrowed each prior: posterior / prior 90% interval width, fitting scale."""
    from fentflow.calibrate.cli import print_learning
    from fentflow.calibrate.learning import learning_summary, posterior_learning
    from fentflow.calibrate.posterior import default_posterior_path, read_posterior

    with user_errors():
        path = posterior or default_posterior_path()
        table = posterior_learning(read_posterior(path))
    console.print(_learning_table(table, path))
    print_learning(console, learning_summary(table))


def _learning_table(table: pd.DataFrame, path: Path) -> Table:
    out = Table(title=f"Posterior / prior 90% interval width ({path.name})")
    for column, justify in (("parameter", "left"), ("scale", "left"), ("ratio", "right"), ("sets share", "left")):
        out.add_column(column, justify=justify)
    for row in table.sort_values("ratio").itertuples():
        out.add_row(row.parameter, row.scale, f"{row.ratio:.2f}", "yes" if row.sets_seizure_share else "")
    return out


@validate_app.command("scale")
def scale_command(
    posterior: Path | None = posterior_option(),
    factors: list[float] | None = typer.Option(
        None, "--factor",
        help="A factor to scale the supply by (its partners by it or its inverse); repeat for each "
             "(default: five factors, from halving to doubling)."),
    draws: int = typer.Option(100, "--draws", min=1, help="Posterior draws, the same for every factor."),
    workers: int = workers_option(),
    scheduler: str | None = scheduler_option(),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the draws and of their runs."),
    out: Path = typer.Option(Path("out/validation/scale"), "--out", help="Output directory (scale.csv)."),
    data: Path | None = data_option(),
) -> None:
    """Scale the posterior's supply with what it trades with (detection and DEA's rate down, the need per
    person up); do the data tell it apart? Fit and seizure share at each factor."""
    from fentflow.calibrate.posterior import default_posterior_path, read_posterior
    from fentflow.calibrate.scale_check import FACTORS, scale_check, scaled

    logging.getLogger("ABC").setLevel(logging.WARNING)
    factors = factors or list(FACTORS)
    with user_errors():
        draws_table = read_posterior(posterior or default_posterior_path())
        for factor in factors:
            scaled(draws_table.head(1), factor)        # a bad factor or posterior fails before any worker starts
        check_scheduler(scheduler)
        use_data(data)              # the workers then read the same data folder
        with staged_output(out) as stage, open_executor(workers, scheduler) as executor, \
                Progress(*eta_columns("scale factors"), MofNCompleteColumn(), console=console) as bar:
            task = bar.add_task("factors", total=len(factors))
            table = scale_check(draws_table, factors, draws=draws, seed=seed, executor=executor,
                                progress=lambda done, total: bar.update(task, completed=done))
            table.to_csv(stage / "scale.csv", index=False)
    console.print(_scale_table(table))
    console.print(f"Every column in [bold]{out}/scale.csv[/] (each partner's share outside its prior too)")


def _scale_table(table: pd.DataFrame) -> Table:
    shown = {"distance_median": "dist", "coverage_90": "in 90%", "male_cdc_synthetic_deaths": "deaths",
             "male_cbp_sw_component_lb": "CBP lb", "male_cbp_sw_component_events": "events",
             "male_dea_pills": "DEA", "share_2022_median": "share%", "outside_priors": "out"}
    out = Table(title="The supply scaled with its partners. dist: the calibration's distance (median); in 90%: "
                      "points inside their bands; MALE of deaths, CBP lb, events, DEA pills; the 2022 seizure "
                      "share; out: draws outside the priors")
    out.add_column("factor", justify="right")
    for label in shown.values():
        out.add_column(label, justify="right")
    for row in table.itertuples():
        cells = [f"{getattr(row, column):.2f}" if column in table.columns else "-" for column in shown]
        out.add_row(f"{row.factor:g}", *cells)
    return out
