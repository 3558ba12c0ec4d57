"""A `fentflow compare` result as the report reads it: comparison.json and tables/*.csv, from the
run's own comparison (DIR/compare/) or the small comparison bundled with fentflow (report/data/).

Only the tables are read (not the run store), so a comparison folder can be shipped small; the
charts are drawn again from them with the same code `fentflow compare` uses.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError
from fentflow.jsonfiles import read_json

MANIFEST = "comparison.json"
TABLES = ("differences", "displacement", "violence", "annual")
BUNDLED = "data/comparison"


@dataclass
class ComparisonTables:
    """What the charts of `fentflow.ensemble.charts` read from a `Comparison`, from its written tables."""

    folder: Path
    manifest: dict
    differences: pd.DataFrame
    displacement: pd.DataFrame
    violence: pd.DataFrame
    annual: pd.DataFrame

    @property
    def reference(self) -> str:
        return self.manifest["reference"]

    @property
    def arms(self) -> list[str]:
        return [arm["name"] for arm in self.manifest.get("arms", [])]

    @property
    def compared(self) -> list[str]:
        return [arm for arm in self.arms if arm != self.reference]

    @property
    def window(self) -> tuple[int, int]:
        first, last = self.manifest["window"]
        return int(first), int(last)

    def titles(self) -> dict[str, str]:
        return {arm["name"]: arm.get("title", arm["name"]) for arm in self.manifest.get("arms", [])}


def bundled_folder() -> Path:
    return Path(str(resources.files("fentflow.report").joinpath(BUNDLED)))


def has_comparison(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def read_comparison(folder: Path) -> ComparisonTables:
    """The comparison in `folder`; a missing or broken file is an InputError naming it."""
    path = folder / MANIFEST
    manifest = read_json(path)
    for key in ("reference", "arms", "window"):
        if key not in manifest:
            raise InputError(f"missing '{key}'", file=str(path), field=key)
    tables = {}
    for name in TABLES:
        csv = folder / "tables" / f"{name}.csv"
        tables[name] = pd.read_csv(csv) if csv.is_file() else pd.DataFrame()
    return ComparisonTables(folder, manifest, **tables)
