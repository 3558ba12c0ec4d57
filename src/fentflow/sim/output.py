"""Write a finished simulation: tidy Parquet tables (units in the schema metadata) and summary.json.

    out/
      crossings.parquet  markets.parquet  states.parquet  sites.parquet  entries.parquet
      observables/<series>.parquet   (CBP fiscal years, CDC/DEA/SESNSP calendar years, hidden shares)
      summary.json                   (what was run, and the headline figures per year)

Files contain nothing that varies between runs with the same inputs and seed (no timestamps,
no timings), so identical runs give byte-identical files.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import fentflow
from fentflow.sim.observables import all_observables

PLACE_FILES = {"crossing": "crossings", "market": "markets", "state": "states", "site": "sites", "entry": "entries"}
HEADLINE_YEARS = range(2019, 2031)


def write_outputs(sim, out_dir: str | Path, provenance: dict | None = None) -> dict:
    """Write every table of `sim` (after `run`) to `out_dir`; return the summary dict.

    `provenance` (e.g. where the parameters came from) is stored in the summary as it is."""
    out = Path(out_dir)
    (out / "observables").mkdir(parents=True, exist_ok=True)
    results = sim.results
    for kind in results.place_kinds():
        if kind in PLACE_FILES:
            _write(results.frame(kind), out / f"{PLACE_FILES[kind]}.parquet", results.units())
    observables = all_observables(results, sim.net)
    for name, table in observables.items():
        _write(table, out / "observables" / f"{name}.parquet", {})
    summary = build_summary(sim, observables) | (provenance or {})
    (out / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n")
    return summary


def _write(frame: pd.DataFrame, path: Path, units: dict[str, str]) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    column_units = {c: units[c] for c in frame.columns if c in units}
    metadata = {**(table.schema.metadata or {}), b"fentflow.units": json.dumps(column_units).encode()}
    pq.write_table(table.replace_schema_metadata(metadata), path)


def build_summary(sim, observables: dict[str, pd.DataFrame]) -> dict:
    """What was run, and median-over-replicates headline figures per year."""
    return {
        "fentflow_version": fentflow.__version__,
        "world": sim.world.name,
        "start": str(sim.calendar.week_start[0].date()),
        "end": str((sim.calendar.week_start[-1] + pd.Timedelta(days=6)).date()),
        "weeks": sim.calendar.n_weeks,
        "replicates": sim.n_reps,
        "seed": sim.seed,
        "interventions": [vars(i) | {"places": list(i.places)} for i in sim.interventions],
        "parameters": {k: _number(np.median(v)) for k, v in sim.pars.items()},
        "calendar_years": _by_year(observables["national_annual"], "year"),
        "seizure_share_at_border": _share_by_year(observables["seizure_share"]),
        "cbp_southwest_lb_by_fiscal_year": _cbp_by_fy(observables["cbp_sw_component"]),
    }


def _by_year(table: pd.DataFrame, key: str) -> dict:
    medians = table.drop(columns="replicate").groupby(key).median()
    return {str(year): {k: _number(v) for k, v in row.items()} for year, row in medians.iterrows()
            if year in HEADLINE_YEARS}


def _share_by_year(table: pd.DataFrame) -> dict:
    medians = table.groupby(["year", "component"])[["share_pure", "share_gross"]].median()
    out: dict = {}
    for (year, component), row in medians.iterrows():
        if year in HEADLINE_YEARS:
            out.setdefault(str(year), {})[component] = {k: _number(v) for k, v in row.items()}
    return out


def _cbp_by_fy(table: pd.DataFrame) -> dict:
    medians = table.groupby(["fy", "component"])["lb"].median().unstack(fill_value=0.0)
    return {str(fy): {c: _number(v) for c, v in row.items()} | {"total": _number(row.sum())}
            for fy, row in medians.iterrows() if fy in HEADLINE_YEARS}


def _number(value) -> float | None:
    value = float(value)
    return None if not np.isfinite(value) else round(value, 6)
