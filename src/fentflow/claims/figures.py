"""Public figures that only the claim checks use, each with its source: `claims/data/claim_figures.csv`.

The observed series (`fentflow.observed`) hold what the model is calibrated to; this file holds
the few figures a claim is set beside that are not a series (container traffic by port, one
seizure's weight, a risk map's legend). Every row has `confidence` (stated / computed /
inference / unconfirmed), `source_url` (where the figure was read) and `primary_url` (the
publisher's own page, where it was located; empty otherwise, and the note says so).

    >>> from fentflow.claims.figures import figure
    >>> figure("teu_manzanillo_2017").value
    2830370.0
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from fentflow.observed.series import CONFIDENCE_MARKS

FILE = "claim_figures.csv"
COLUMNS = ("key", "claim", "value", "unit", "period", "what", "confidence", "source_url", "primary_url", "note")


@dataclass(frozen=True)
class Figure:
    key: str
    claim: str
    value: float          # NaN for a statement without a number
    unit: str
    period: str
    what: str
    confidence: str
    source_url: str
    primary_url: str
    note: str


def figure(key: str) -> Figure:
    """The figure named `key`; an unknown key is a KeyError naming the file."""
    try:
        return _figures()[key]
    except KeyError:
        raise KeyError(f"no figure {key!r} in claims/data/{FILE}") from None


@functools.cache
def _figures() -> dict[str, Figure]:
    with resources.files("fentflow.claims").joinpath("data", FILE).open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    if tuple(table.columns) != COLUMNS:
        raise ValueError(f"claims/data/{FILE}: columns must be {', '.join(COLUMNS)}")
    return {row["key"]: _figure(row) for _, row in table.iterrows()}


def _figure(row: pd.Series) -> Figure:
    where = f"claims/data/{FILE}, figure {row['key']!r}"
    if row["confidence"] not in CONFIDENCE_MARKS:
        raise ValueError(f"{where}: confidence must be one of {sorted(CONFIDENCE_MARKS)}")
    for column in ("source_url", *(("primary_url",) if row["primary_url"] else ())):
        if not row[column].startswith(("https://", "http://")):
            raise ValueError(f"{where}: {column} must be a web address")
    value = float(row["value"]) if row["value"] else math.nan
    return Figure(**{**row.to_dict(), "value": value})
