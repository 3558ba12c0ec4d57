"""`calibrate()`: ABC-SMC (pyABC) over the declared priors, batched on Dask, resumable from disk.

    from fentflow.calibrate import CalibrationSpec, calibrate, get_budget
    result = calibrate(CalibrationSpec(get_budget("small"), seed=1), "out/calibration", workers=2)
    result.posterior            # one row per particle: parameters, weight, distance

The inference history is pyABC's SQLite database `history.db` in the output directory; it
gains a generation as each one finishes, its accepted particles' statistics in `accepted/`
beside it (`accepted.py`). `calibration.json` beside it records the spec.
Calling `calibrate()` again on the same directory with the same spec resumes: generations
already stored are kept and the next one starts from the last (a finished calibration is
only re-exported). A different spec on a used directory is refused unless `resume=False`,
which starts afresh.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc

from fentflow.calibrate import accepted
from fentflow.calibrate.batch import chunk_statistics, chunks_of
from fentflow.calibrate.budget import Budget
from fentflow.calibrate.deaths_scale import refit
from fentflow.calibrate.distance import Distance
from fentflow.calibrate.epsilon import ResumableQuantileEpsilon
from fentflow.calibrate.executor import Executor, open_executor
from fentflow.calibrate.posterior import posterior_from_history, with_held, write_posterior
from fentflow.calibrate.priors import FITTED, fitted_parameters, pyabc_prior
from fentflow.calibrate.sampler import BatchSampler, Progress
from fentflow.calibrate.seeds import derive_seed
from fentflow.calibrate.statistics import TargetSet
from fentflow.calibrate.transition import IndependentTransition
from fentflow.errors import InputError
from fentflow.jsonfiles import read_json
from fentflow.observed.series import imported_fingerprint
from fentflow.sim.modules.precursors import rates_after_the_data

log = logging.getLogger(__name__)

HISTORY = "history.db"
SPEC_FILE = "calibration.json"
POSTERIOR = "posterior.parquet"
EPSILON_QUANTILE = 0.5
RUN_ID = 1


@dataclass(frozen=True)
class CalibrationSpec:
    """Everything that determines a calibration's result (workers and scheduler do not)."""

    budget: Budget
    seed: int = 0
    targets: TargetSet = field(default_factory=TargetSet)
    fitted: tuple[str, ...] = FITTED
    world: str | None = None
    observed: dict[str, float] | None = None     # synthetic statistics (validation); None: the public series

    @property
    def held(self) -> dict[str, float]:
        """Parameters of `fitted` that no fitted year informs, held at a value instead: supply's growth
        after the data end, 0 (level; `precursors.rates_after_the_data`)."""
        return {name: 0.0 for name in rates_after_the_data(self.targets.data_end) if name in self.fitted}

    @property
    def free(self) -> tuple[str, ...]:
        """The parameters the calibration draws: `fitted` less `held`."""
        held = self.held
        return tuple(name for name in self.fitted if name not in held)

    def record(self) -> dict:
        """The spec as JSON, to recognise a directory's calibration when resuming (with the
        fingerprint of the imported series when `--data` is in use)."""
        record = {"budget": asdict(self.budget), "seed": self.seed, "targets": asdict(self.targets),
                  "fitted": list(self.fitted), "world": self.world, "observed": self.observed,
                  "epsilon_quantile": EPSILON_QUANTILE}
        imported = imported_fingerprint() if self.observed is None else None
        return record | ({"held": self.held} if self.held else {}) | ({"imported_series": imported} if imported else {})


@dataclass
class CalibrationResult:
    out: Path
    posterior: pd.DataFrame
    generations: pd.DataFrame      # t, epsilon, simulations, particles, acceptance
    simulations: int
    wall_s: float                  # this call's wall time
    resumed_from: int              # first generation this call ran (0: fresh; > last: nothing to run)


def calibrate(spec: CalibrationSpec, out: str | Path, *, workers: int = 2, scheduler: str | None = None,
              resume: bool = True, progress: Callable[[Progress], None] | None = None,
              executor: Executor | None = None) -> CalibrationResult:
    """Run (or resume) a calibration into `out`; export the posterior to `out/posterior.parquet`."""
    began = time.perf_counter()
    out = Path(out)
    _prepare_directory(out, spec, resume)
    if executor is not None:
        history, t0 = _run(spec, out, executor, progress)
        posterior = fitted_posterior(history, spec, executor)
    else:
        with open_executor(workers, scheduler) as opened:
            history, t0 = _run(spec, out, opened, progress)
            posterior = fitted_posterior(history, spec, opened)
    write_posterior(posterior, out / POSTERIOR)
    generations = generations_table(history)
    generations.to_csv(out / "generations.csv", index=False)
    wall = time.perf_counter() - began
    log.info("calibration in %s: %d generations, %d simulations, %.0f s", out, len(generations),
             history.total_nr_simulations, wall)
    return CalibrationResult(out, posterior, generations, int(history.total_nr_simulations), wall, t0)


def fitted_posterior(history: pyabc.History, spec: CalibrationSpec, executor: Executor) -> pd.DataFrame:
    """The last generation, adjusted (`posterior_from_history`), its deaths-only parameters then
    fitted exactly (`deaths_scale.refit`, simulating on `executor`), with the held parameters as
    constant columns."""
    fitted = fitted_parameters(spec.free)
    observed = spec.observed if spec.observed is not None else spec.targets.observed
    posterior = posterior_from_history(history, fitted, targets=spec.targets, observed=observed)

    def simulate(parameters: dict[str, np.ndarray]) -> pd.DataFrame:
        chunks = chunks_of(parameters, spec.budget.chunk, derive_seed(spec.seed, "deaths refit"), spec.targets,
                           spec.world, spec.held)
        return pd.DataFrame([row for part in executor.ordered(chunk_statistics, chunks) for row in part])

    posterior = refit(posterior, fitted, simulate, observed, list(spec.targets.weights))
    return with_held(posterior, spec.held, spec.fitted)


def _run(spec: CalibrationSpec, out: Path, executor: Executor, progress) -> tuple[pyabc.History, int]:
    np.random.seed(derive_seed(spec.seed, "pyabc"))
    abc = _abc(spec, executor, progress, out / accepted.FOLDER)
    db = f"sqlite:///{(out / HISTORY).resolve()}"
    if _has_history(out):
        history = abc.load(db, RUN_ID)
        log.info("resuming the calibration in %s after generation %d", out, history.max_t)
    else:
        observed = spec.observed if spec.observed is not None else spec.targets.observed
        history = abc.new(db, observed, meta_info={"fentflow": json.dumps(spec.record())})
    history.stores_sum_stats = False        # the sampler keeps them, much faster (`accepted.py`)
    abc.sampler.earlier = int(history.total_nr_simulations)
    abc.eps.history = history
    t0 = history.max_t + 1
    remaining = spec.budget.generations - t0
    if (_finished(out) or remaining <= 0 or history.total_nr_simulations >= spec.budget.max_simulations
            or _acceptance_fell(history, spec.budget.min_acceptance)):
        log.info("calibration in %s is complete (%d generations)", out, t0)
        _mark_finished(out)
        return history, t0
    log.info("calibrating on %s: generations %d-%d, population %d, chunks of %d", executor.describe(), t0,
             spec.budget.generations - 1, spec.budget.population, spec.budget.chunk)
    with np.errstate(invalid="ignore"):     # pyABC compares epsilon inf - inf after generation 0
        history = abc.run(max_nr_populations=remaining, max_total_nr_simulations=spec.budget.max_simulations,
                          min_acceptance_rate=spec.budget.min_acceptance)
    _mark_finished(out)
    return history, t0


def _acceptance_fell(history: pyabc.History, min_acceptance: float) -> bool:
    """Whether the last stored generation accepted too few proposals to go on: pyABC stops a run there, and a
    resumed one must stop there too, not sample a generation the uninterrupted run would not have."""
    if history.max_t < 1:
        return False
    populations = history.get_all_populations()
    last = populations[populations["t"] == history.max_t].iloc[0]
    return last["particles"] / last["samples"] < min_acceptance


def _abc(spec: CalibrationSpec, executor: Executor, progress, accepted_folder: Path) -> pyabc.ABCSMC:
    fitted = fitted_parameters(spec.free)
    sampler = BatchSampler(executor, fitted, spec.targets, spec.budget.chunk, spec.seed, spec.world,
                           fixed=spec.held, progress=progress, accepted_folder=accepted_folder)
    return pyabc.ABCSMC(_simulated_in_batches, pyabc_prior(fitted), Distance(spec.targets, fitted),
                        population_size=spec.budget.population, eps=ResumableQuantileEpsilon(EPSILON_QUANTILE),
                        sampler=sampler, transitions=IndependentTransition([p.fit_name for p in fitted]))


def _simulated_in_batches(parameters):
    """pyABC needs a model; BatchSampler simulates whole chunks instead and never calls this."""
    raise RuntimeError("fentflow simulates in batches through BatchSampler")


def generations_table(history: pyabc.History) -> pd.DataFrame:
    populations = history.get_all_populations()
    populations = populations[populations["t"] >= 0]
    table = pd.DataFrame({"generation": populations["t"].astype(int), "epsilon": populations["epsilon"].astype(float),
                          "simulations": populations["samples"].astype(int),
                          "particles": populations["particles"].astype(int)})
    table["acceptance"] = table["particles"] / table["simulations"]
    table["ess"] = [_effective_sample_size(history, int(t)) for t in table["generation"]]
    return table.reset_index(drop=True)


def _effective_sample_size(history: pyabc.History, t: int) -> float:
    """Kish's effective sample size of generation t's importance weights (the population size if even)."""
    _, weights = history.get_distribution(m=0, t=t)
    weights = np.asarray(weights, dtype=float)
    return float(weights.sum() ** 2 / (weights ** 2).sum())


# The output directory ---------------------------------------------------------------------------

def _prepare_directory(out: Path, spec: CalibrationSpec, resume: bool) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output directory: {exc.strerror}", file=str(out)) from None
    spec_file = out / SPEC_FILE
    if _has_history(out) and resume:
        _check_history(out / HISTORY)
        previous = read_json(spec_file) if spec_file.is_file() else {}
        recorded = _jsonable(spec.record())
        if previous.get("spec") == recorded:
            return
        if not _extends(previous.get("spec"), recorded):
            raise InputError("holds a different calibration (budget, seed, targets or data); use another --out, "
                             "or --fresh to discard it", file=str(out))
        log.info("extending the calibration in %s to %d simulations", out, spec.budget.max_simulations)
        spec_file.write_text(json.dumps({"spec": recorded, "finished": False}, indent=1))
        return
    for name in (HISTORY, SPEC_FILE, POSTERIOR):
        (out / name).unlink(missing_ok=True)
    accepted.remove(out / accepted.FOLDER)
    spec_file.write_text(json.dumps({"spec": spec.record(), "finished": False}, indent=1))


def _extends(stored: dict | None, wanted: dict) -> bool:
    """Whether `wanted` is the `stored` calibration with a higher simulation cap: its generations so far
    are the longer run's first ones (each generation's draws are seeded by its number), so it goes on
    from the stored history instead of starting again."""
    if not stored or "budget" not in stored:
        return False
    longer = stored["budget"].get("max_simulations", 0) < wanted["budget"]["max_simulations"]
    uncapped = {**stored, "budget": {**stored["budget"], "max_simulations": wanted["budget"]["max_simulations"]}}
    return longer and uncapped == wanted


def _check_history(path: Path) -> None:
    """A history pyABC can resume: a SQLite database, not a damaged or foreign file."""
    with open(path, "rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        raise InputError("is damaged (not a SQLite database); use --fresh to start the calibration again, or "
                         "another --out", file=str(path))


def _has_history(out: Path) -> bool:
    return (out / HISTORY).is_file() and (out / HISTORY).stat().st_size > 0


def _finished(out: Path) -> bool:
    return read_json(out / SPEC_FILE).get("finished", False)


def _mark_finished(out: Path) -> None:
    record = read_json(out / SPEC_FILE)
    record["finished"] = True
    (out / SPEC_FILE).write_text(json.dumps(record, indent=1))


def _jsonable(value):
    return json.loads(json.dumps(value))
