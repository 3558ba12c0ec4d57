"""One call for a whole calibration: fit, posterior-predictive draws, and every output written.

    from fentflow.calibrate.run import calibrate_and_report
    report = calibrate_and_report("default", "out/calibration", workers=2, seed=0)

This is what `fentflow calibrate` runs (the CLI adds a progress display and prints).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fentflow.calibrate.budget import get_budget
from fentflow.calibrate.calibration import CalibrationResult, CalibrationSpec, calibrate
from fentflow.calibrate.executor import open_executor
from fentflow.calibrate.outputs import write_outputs
from fentflow.calibrate.predictive import Predictive, posterior_predictive
from fentflow.calibrate.priors import fitted_parameters
from fentflow.calibrate.sampler import Progress
from fentflow.calibrate.statistics import LAST_DATA_YEAR, TargetSet
from fentflow.observed.series import last_data_year
from fentflow.sim.anchor import last_counted_through
from fentflow.staging import staged_output

log = logging.getLogger(__name__)


@dataclass
class CalibrationReport:
    result: CalibrationResult
    predictive: Predictive
    paths: dict[str, Path]

    @property
    def posterior(self) -> pd.DataFrame:
        return self.result.posterior


def calibrate_and_report(budget: str, out: str | Path, *, workers: int = 2, scheduler: str | None = None,
                         seed: int = 0, resume: bool = True, data_through: int = LAST_DATA_YEAR,
                         start: str = "2015-01-01", world: str | None = None, draws: int | None = None,
                         max_simulations: int | None = None,
                         progress: Callable[[Progress], None] | None = None) -> CalibrationReport:
    """Calibrate on data through `data_through`, then predict every series through the last year of
    the public series in use (2023 bundled; later with imported series, see `use_data_folder`).
    `max_simulations` replaces the budget's cap (`budget.get_budget`)."""
    chosen = get_budget(budget, max_simulations)
    fit_targets = TargetSet(start=start, end=f"{data_through}-12-31", data_end=data_through)
    last = max(data_through, last_data_year())
    predict_targets = TargetSet(start=start, end=f"{last}-12-31", data_end=last)
    spec = CalibrationSpec(chosen, seed=seed, targets=fit_targets, world=world)
    with open_executor(workers, scheduler) as executor:
        result = calibrate(spec, out, resume=resume, progress=progress, executor=executor)
        predictive = posterior_predictive(result.posterior, draws or chosen.predictive_draws, seed, predict_targets,
                                          executor, chosen.chunk, world,
                                          anchor_year=last_counted_through(data_through))
    with staged_output(out) as stage:   # the tables and charts land together, beside the resumable history
        staged = write_outputs(stage, result.posterior, fitted_parameters(spec.free), predictive)
    paths = {kind: Path(out) / path.relative_to(stage) for kind, path in staged.items()}
    return CalibrationReport(result, predictive, paths)
