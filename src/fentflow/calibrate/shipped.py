"""The calibration shipped with the package: posterior draws and the estimates made from them.

Files under `calibrate/data/`, written by `scripts/ship_calibration.py` (its README.md gives
the command that produced them): `posterior.parquet` (parameter draws with weights),
`seizure_share.csv`, `national.csv`, `posterior_summary.csv`, `generations.csv`,
`predictive_errors.csv`, `summary.json`, `calibration.json`. A missing file reads as None, so
callers can say "not calibrated" instead of failing.
"""
from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import pandas as pd

DATA_PACKAGE = "fentflow.calibrate"
TABLES = {"seizure_share": "data/seizure_share.csv", "national": "data/national.csv",
          "posterior_summary": "data/posterior_summary.csv", "generations": "data/generations.csv",
          "predictive_errors": "data/predictive_errors.csv"}


def shipped_path(relative: str) -> Path:
    return Path(str(resources.files(DATA_PACKAGE).joinpath(relative)))


@functools.cache
def _read(relative: str) -> pd.DataFrame | None:
    path = shipped_path(relative)
    return pd.read_csv(path) if path.is_file() else None


def shipped_table(name: str) -> pd.DataFrame | None:
    """A shipped estimate table by name (`TABLES`), or None when it is not shipped."""
    table = _read(TABLES[name])
    return None if table is None else table.copy()
