"""The accepted particles' summary statistics, kept beside pyABC's history instead of inside it.

pyABC's history writes every summary statistic of every accepted particle as a database row of
its own, through SQLAlchemy's ORM: 27 s for a generation of 400 particles with 325 statistics,
against 1.6 s without them (`History.append_population`, on a loaded 2-core machine). fentflow
reads them only for the regression adjustment of the last generation. So the history stores
none (`History.stores_sum_stats = False`), and the sampler writes each generation's accepted
particles here, one Parquet file a generation beside `history.db`: `accepted/t003.parquet`
holds each particle's parameters (fitting scale, columns `parameter:<name>`) and statistics.

A particle of the history is found here by its parameters, the same floats both ways. A
history written before fentflow kept them here stored them itself, and is read as it is.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError

FOLDER = "accepted"
PARAMETER = "parameter:"


def folder_of(history) -> Path:
    """The folder beside a pyABC history's database."""
    return Path(history.db_file()).parent / FOLDER


def save(folder: Path, t: int, particles: Sequence) -> None:
    """Write generation `t`'s accepted particles: their parameters and summary statistics."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{**{PARAMETER + name: value for name, value in particle.parameter.items()}, **particle.sum_stat}
            for particle in particles]
    partial = folder / f".t{t:03d}.parquet.partial"
    pd.DataFrame(rows).to_parquet(partial, index=False)
    partial.replace(_path(folder, t))     # whole or absent, if the calibration is stopped while writing


def statistics(history, t: int, particles: Sequence) -> pd.DataFrame:
    """Summary statistics of the history's generation-`t` particles, one row each in their order."""
    path = _path(folder_of(history), t)
    if not path.is_file():
        if particles and not particles[0].sum_stat:
            raise InputError("is missing: the calibration's last generation cannot be adjusted without it; "
                             "use --fresh to calibrate again", file=str(path))
        return pd.DataFrame([particle.sum_stat for particle in particles])   # a history that stored them itself
    table = pd.read_parquet(path)
    names = [column for column in table.columns if column.startswith(PARAMETER)]
    row_of = {key: row for row, key in enumerate(table[names].itertuples(index=False, name=None))}
    rows = [row_of[tuple(particle.parameter[name.removeprefix(PARAMETER)] for name in names)]
            for particle in particles]
    return table.drop(columns=names).iloc[rows].reset_index(drop=True)


def remove(folder: Path) -> None:
    """Forget every generation (a calibration started afresh)."""
    for path in folder.glob("*t[0-9][0-9][0-9].parquet*"):
        path.unlink()


def _path(folder: Path, t: int) -> Path:
    return folder / f"t{t:03d}.parquet"
