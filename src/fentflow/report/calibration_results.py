"""A calibration's results as the report reads them: from a `fentflow calibrate --out` folder, or the
calibration shipped with fentflow (`fentflow.calibrate.shipped`), in the same shape either way.

A folder's charts are its own PNGs; the shipped calibration's charts (posterior marginals,
seizure share) are drawn here from its shipped tables, since the package holds no images.
"""
from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

FOLDER_TABLES = {"seizure_share": "seizure_share.csv", "posterior_summary": "posterior_summary.csv",
                 "predictive_errors": "predictive/errors.csv", "generations": "generations.csv"}
FOLDER_CHARTS = ("seizure_share.png", "marginals.png", "predictive/*.png")
KNOWN_FILES = {*FOLDER_TABLES.values(), "calibration.json", "summary.json", "national.csv", "posterior.parquet",
               "predictive/points.csv"}


@dataclass
class CalibrationResults:
    origin: str                                     # "shipped with fentflow" or the folder's path
    tables: dict[str, pd.DataFrame | None]          # FOLDER_TABLES' names -> table (None when absent)
    spec: dict                                      # calibration.json's "spec" (budget, seed, targets, fitted)
    headline: dict                                  # summary.json (draws, rand_2021, ...)
    charts: list[tuple[str, bytes]] = field(default_factory=list)   # (caption, PNG)
    other_files: list[Path] = field(default_factory=list)           # a folder's files this report does not read

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)


def from_folder(folder: Path) -> CalibrationResults:
    tables = {name: _csv(folder / relative) for name, relative in FOLDER_TABLES.items()}
    charts = [(_caption(path.relative_to(folder)), path.read_bytes())
              for pattern in FOLDER_CHARTS for path in sorted(folder.glob(pattern))]
    known = {folder / name for name in KNOWN_FILES} | {folder / name for pattern in FOLDER_CHARTS
                                                        for name in folder.glob(pattern)}
    other = sorted(p for p in folder.rglob("*") if p.is_file() and p not in known and ".history" not in str(p))
    return CalibrationResults(str(folder), tables, _json(folder / "calibration.json").get("spec", {}),
                              _json(folder / "summary.json"), charts, other)


def shipped() -> CalibrationResults | None:
    """The calibration shipped with fentflow, or None when this installation ships none."""
    from fentflow.calibrate.shipped import shipped_path, shipped_table

    tables = {name: shipped_table(name) for name in FOLDER_TABLES}
    if tables["seizure_share"] is None:
        return None
    spec = _json(shipped_path("data/calibration.json")).get("spec", {})
    results = CalibrationResults("shipped with fentflow", tables, spec, _json(shipped_path("data/summary.json")))
    results.charts = _drawn_charts(tables["seizure_share"], spec.get("fitted", []))
    return results


def _drawn_charts(shares: pd.DataFrame, fitted_names: list[str]) -> list[tuple[str, bytes]]:
    from fentflow.calibrate.plots import plot_marginals, plot_seizure_share
    from fentflow.calibrate.posterior import load_default_posterior
    from fentflow.calibrate.priors import fitted_parameters

    charts = []
    with tempfile.TemporaryDirectory(prefix="fentflow-report-") as folder:
        path = plot_seizure_share(shares, Path(folder) / "seizure_share.png")
        charts.append((_caption(Path("seizure_share.png")), path.read_bytes()))
        if fitted_names:
            path = plot_marginals(load_default_posterior(), fitted_parameters(fitted_names),
                                  Path(folder) / "marginals.png")
            charts.append((_caption(Path("marginals.png")), path.read_bytes()))
    return charts


CAPTIONS = {"seizure_share": "Seizure share at the Southwest border by year (median, 50% and 90% intervals)",
            "marginals": "Posterior of each calibrated parameter (bars) against its prior (grey line)"}


def _caption(relative: Path) -> str:
    from fentflow.calibrate.fitcheck import TARGET_BY_NAME

    if relative.stem in CAPTIONS:
        return CAPTIONS[relative.stem]
    target = TARGET_BY_NAME.get(relative.stem)
    return f"Posterior-predictive band against the public series: {target.title if target else relative.stem}"


def _csv(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.is_file() else None


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        if path.exists():
            log.warning("cannot read %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}
