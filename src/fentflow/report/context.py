"""What the report's sections read: a finished run's output directory and the world it ran on.

The run directory is what `fentflow run --out DIR` writes (Parquet tables, observables/,
summary.json). Optional results beside it are shown when present:

    DIR/calibration/    a calibration's results: *.json (headline figures), *.csv, *.png
    DIR/compare/        `fentflow compare --out DIR/compare`: comparison.json, tables/*.csv, charts/*.png
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError
from fentflow.jsonfiles import read_json

log = logging.getLogger(__name__)

CALIBRATION_DIR, COMPARE_DIR = "calibration", "compare"


@dataclass(frozen=True)
class ReportContext:
    out: Path                       # the run's output directory
    world: object                   # the World the run used
    risk_year: int
    claims: bool = True             # run the claims check (a 2015-2023 baseline, seconds)
    calibration_dir: Path | None = None
    compare_dir: Path | None = None

    @functools.cached_property
    def summary(self) -> dict:
        return read_summary(self.out)

    @functools.cached_property
    def parameters(self):
        """The parameter source the run used (`fentflow run --parameters`), for checks that simulate again."""
        from fentflow.sim.sources import parameter_source
        return parameter_source(self.summary.get("parameter_choice", "defaults"))

    @functools.cached_property
    def observables(self) -> dict[str, pd.DataFrame]:
        folder = self.out / "observables"
        return {path.stem: pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}

    @functools.cached_property
    def assessment(self):
        """The risk assessment of `risk_year`, from the run's Parquet tables (no new simulation)."""
        from fentflow.risk.assess import assess_frames
        from fentflow.risk.inputs import ActivityFrames

        run = {k: self.summary.get(k) for k in ("seed", "replicates", "start", "end", "world", "parameter_source")}
        return assess_frames(ActivityFrames.from_output_dir(self.out), self.world, self.risk_year, run=run)

    @property
    def calibration(self) -> Path:
        return self.calibration_dir or self.out / CALIBRATION_DIR

    @property
    def compare(self) -> Path:
        return self.compare_dir or self.out / COMPARE_DIR


def read_summary(out: Path) -> dict:
    """The run's summary.json (what was run, headline figures)."""
    path = out / "summary.json"
    if not path.exists():
        raise InputError("no summary.json: not a `fentflow run` output directory", file=str(path))
    return read_json(path)


def whole_years(summary: dict) -> tuple[int, int]:
    """First and last calendar year the run covers (the last one in full): a week counts in its Thursday's year."""
    first = (pd.Timestamp(summary["start"]) + pd.Timedelta(days=3)).year
    last = (pd.Timestamp(summary["end"]) + pd.Timedelta(days=7)).year - 1
    return first, last
