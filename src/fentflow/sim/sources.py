"""Where each run's parameters come from: the shipped calibration, the defaults, or a posterior table.

A source answers two questions for run k: which draw it uses (`draw_of`) and the parameter
values of a set of runs (`values`). Every arm of a comparison asks the same source with the
same runs, so arms share draws as they share seeds (common random numbers).

- `DefaultParameters`: every run uses the default parameters (draw -1); runs differ by seed only.
- `WithFixed`: another source with some parameters fixed in every run (a sensitivity).
- `PosteriorDraws`: a Parquet table, one row per draw, one column per parameter (any subset of
  `fentflow params`; the rest keep their defaults), optionally a `weight` column (ABC-SMC
  populations are weighted). Unweighted: run k uses row k mod n. Weighted: run k draws a row
  with probability proportional to its weight, from a generator seeded by the base seed and k,
  so a run's draw does not depend on how many runs are asked for.

`parameter_source(choice)` turns the command-line choice into a source: `calibrated` (the
posterior shipped in `fentflow/calibrate/data/`), `defaults`, or the path of a Parquet table.
`CALIBRATED` is the default of every command and of `ff.Sim`; `DEFAULT_REPLICATES` is the number
of runs behind every interval unless asked otherwise (`interval_warning` says when too few are).
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fentflow.errors import InputError
from fentflow.sim.pars import PAR_BY_NAME, Pars

log = logging.getLogger(__name__)

WEIGHT_COLUMN = "weight"
IGNORED_COLUMNS = {"draw", "id", "generation", "distance"}   # bookkeeping a posterior file may carry
DRAW_STREAM = 0x5EED_D4A7                                       # keeps draw choice apart from sim seeds


@dataclass(frozen=True)
class DefaultParameters:
    """Every run at the default parameters."""

    def draw_of(self, run: int, seed: int) -> int:
        return -1

    def values(self, runs: Sequence[int], seed: int) -> dict[str, list[float]]:
        return {}

    def fingerprint(self) -> str:
        return "defaults"

    def describe(self) -> str:
        return "default parameters (each run differs by seed only)"


@dataclass(frozen=True)
class PosteriorDraws:
    """Parameter draws from a Parquet table (see the module docstring)."""

    path: str
    columns: tuple[str, ...]
    table: tuple[tuple[float, ...], ...]     # rows of draws, in `columns` order
    weights: tuple[float, ...] | None
    digest: str

    @classmethod
    def load(cls, path: str | Path) -> PosteriorDraws:
        path = Path(path)
        frame = _read(path)
        columns = tuple(c for c in frame.columns if c not in IGNORED_COLUMNS | {WEIGHT_COLUMN})
        _check_columns(columns, path)
        _check_numeric(frame, [*columns, *([WEIGHT_COLUMN] if WEIGHT_COLUMN in frame else [])], path)
        weights = _weights(frame, path)
        values = frame[list(columns)].to_numpy(float)
        _check_bounds(columns, values, path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        log.info("posterior %s: %d draws of %d parameters", path, len(frame), len(columns))
        return cls(str(path), columns, tuple(map(tuple, values)), weights, digest)

    def draw_of(self, run: int, seed: int) -> int:
        n = len(self.table)
        if self.weights is None:
            return run % n
        rng = np.random.default_rng([int(seed), int(run), DRAW_STREAM])
        return int(rng.choice(n, p=np.asarray(self.weights)))

    def values(self, runs: Sequence[int], seed: int) -> dict[str, list[float]]:
        rows = [self.table[self.draw_of(run, seed)] for run in runs]
        return {name: [row[i] for row in rows] for i, name in enumerate(self.columns)}

    def fingerprint(self) -> str:
        return f"posterior-{self.digest}"

    @property
    def is_shipped(self) -> bool:
        """Whether these are the posterior draws shipped with fentflow (its published estimates apply)."""
        from fentflow.calibrate.posterior import default_posterior_path
        return Path(self.path).resolve() == default_posterior_path().resolve()

    def describe(self) -> str:
        weighted = "weighted" if self.weights is not None else "unweighted"
        return f"{len(self.table)} {weighted} posterior draws from {self.path}"


@dataclass(frozen=True)
class WithFixed:
    """Another source with some parameters fixed at one value in every run: what a model figure
    would be if an assumption were different (a sensitivity), draws and seeds otherwise unchanged."""

    base: DefaultParameters | PosteriorDraws
    fixed: tuple[tuple[str, float], ...]      # (parameter, value) pairs

    def __post_init__(self) -> None:
        for name, value in self.fixed:
            low, high = PAR_BY_NAME[name].bounds
            if not low <= value <= high:
                raise ValueError(f"{name} = {value} is outside its bounds [{low}, {high}]")

    def draw_of(self, run: int, seed: int) -> int:
        return self.base.draw_of(run, seed)

    def values(self, runs: Sequence[int], seed: int) -> dict[str, list[float]]:
        return {**self.base.values(runs, seed), **{name: [value] * len(runs) for name, value in self.fixed}}

    def fingerprint(self) -> str:
        return self.base.fingerprint() + "".join(f"-{name}{value:g}" for name, value in self.fixed)

    def describe(self) -> str:
        return self.base.describe() + ", with " + ", ".join(f"{name} = {value:g}" for name, value in self.fixed)


ParameterSource = DefaultParameters | PosteriorDraws | WithFixed

CALIBRATED, DEFAULTS = "calibrated", "defaults"
MIN_INTERVAL_RUNS = 20                   # fewer runs make a "90% interval" little more than the extremes
DEFAULT_REPLICATES = MIN_INTERVAL_RUNS   # the runs behind every interval of every command, unless asked
REPLICATES_HELP = (f"Replicates (runs), each with its own parameter draw and random draws; medians and 90% "
                   f"intervals are taken over them (fewer than {MIN_INTERVAL_RUNS} makes rough intervals).")
CHOICE_HELP = ("Parameters: 'calibrated' (the shipped posterior draws, one per run), 'defaults', or a Parquet "
               "table of draws (e.g. a calibration's posterior.parquet).")


def choice_of(source: ParameterSource) -> str:
    """The `--parameters` choice that gives `source` back: `calibrated`, `defaults` or its path."""
    if isinstance(source, DefaultParameters):
        return DEFAULTS
    return CALIBRATED if source.is_shipped else source.path


def interval_warning(runs: int) -> str | None:
    """A one-line warning when `runs` are too few to back a 90% interval, else None."""
    if runs >= MIN_INTERVAL_RUNS:
        return None
    return (f"{runs} run{'s' if runs != 1 else ''} behind each 90% interval: too few for a reliable interval "
            f"(use {MIN_INTERVAL_RUNS} or more)")


def parameter_source(choice: str | Path | ParameterSource = CALIBRATED) -> ParameterSource:
    """`calibrated`, `defaults` or a Parquet path (or a source, returned as it is), as a parameter source."""
    if isinstance(choice, DefaultParameters | PosteriorDraws | WithFixed):
        return choice
    choice = str(choice)
    if choice == DEFAULTS:
        return DefaultParameters()
    if choice == CALIBRATED:
        from fentflow.calibrate.posterior import default_posterior_path
        path = default_posterior_path()
        if not path.is_file():
            raise InputError("no calibrated posterior is shipped with this installation; use --parameters "
                             "defaults or a posterior file", file=str(path), field="--parameters")
        return PosteriorDraws.load(path)
    return PosteriorDraws.load(choice)


def _read(path: Path) -> pd.DataFrame:
    from fentflow.calibrate.posterior import read_posterior

    frame = read_posterior(path)
    if frame.empty:
        raise InputError("the posterior has no draws", file=str(path))
    return frame.reset_index(drop=True)


def _check_columns(columns: tuple[str, ...], path: Path) -> None:
    unknown = [c for c in columns if c not in PAR_BY_NAME]
    if unknown:
        raise InputError(f"unknown parameter column '{unknown[0]}' (see `fentflow params`)", file=str(path),
                         field=unknown[0])
    if not columns:
        raise InputError("no parameter columns", file=str(path))


def _check_numeric(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Every value a number: the first that is not is named by row (1-based, as a spreadsheet counts) and column."""
    for column in columns:
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() & frame[column].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"'{frame[column].iloc[row]}' is not a number", file=str(path), row=row + 1,
                             field=column)
        frame[column] = numbers


def _weights(frame: pd.DataFrame, path: Path) -> tuple[float, ...] | None:
    if WEIGHT_COLUMN not in frame:
        return None
    weights = frame[WEIGHT_COLUMN].to_numpy(float)
    if not np.all(np.isfinite(weights)) or (weights < 0).any() or weights.sum() <= 0:
        raise InputError("weights must be finite, non-negative and not all zero", file=str(path),
                         field=WEIGHT_COLUMN)
    return tuple((weights / weights.sum()).tolist())


def _check_bounds(columns: tuple[str, ...], values: np.ndarray, path: Path) -> None:
    try:
        Pars(dict(zip(columns, values.T)), n_reps=len(values))
    except InputError as exc:
        raise InputError(exc.problem, file=str(path), field=exc.field) from None
