"""Write a finished simulation: tidy Parquet tables (units in the schema metadata) and summary.json.

    out/
      crossings.parquet  markets.parquet  states.parquet  sites.parquet  entries.parquet
      observables/<series>.parquet   (CBP fiscal years, CDC/DEA/SESNSP calendar years, hidden shares)
      annual.csv                     (national figures per year and replicate, plus median and 90% bounds)
      summary.json                   (what was run, and the headline figures per year)
      *.csv                          (with csv=True: every Parquet table again as CSV)

Every place carries its code and its name (`crossing` "2504", `crossing_name` "San Ysidro").
Every table with a period (year, fiscal year, month) has a `partial` column: true where the
run covers only part of that period (e.g. FY2031 from a run ending in December 2030), so its
flows are not comparable with a whole period's.

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
from fentflow.sim.annual import annual_table
from fentflow.sim.observables import all_observables, observable_units
from fentflow.sim.periods import Span
from fentflow.world.names import with_place_names

PLACE_FILES = {"crossing": "crossings", "market": "markets", "state": "states", "site": "sites", "entry": "entries"}
HEADLINE_YEARS = range(2019, 2031)
KEY_UNITS = {"period": "first day of the week (Monday)", "replicate": "run number (0-based)",
             "partial": "true: the run covers only part of this period"}


def write_outputs(sim, out_dir: str | Path, provenance: dict | None = None, csv: bool = False) -> dict:
    """Write every table of `sim` (after `run`) to `out_dir`; return the summary dict.

    `provenance` (e.g. the parameter choice) is stored in the summary as it is; `csv=True`
    writes every Parquet table again as CSV beside it.

    Example::

        sim = ff.Sim(start="2021-01-01", end="2022-12-31", replicates=20)
        sim.run()
        summary = ff.write_outputs(sim, "out")     # out/annual.csv, out/observables/*.parquet, ...
    """
    out = Path(out_dir)
    (out / "observables").mkdir(parents=True, exist_ok=True)
    results, span = sim.results, Span.of(sim.calendar)
    for kind in results.place_kinds():
        if kind in PLACE_FILES:
            frame = with_place_names(results.frame(kind), sim.world)
            _write(frame, out / f"{PLACE_FILES[kind]}.parquet", results.units(), csv)
    observables = all_observables(results, sim.net)
    units = observable_units(results)
    for name, table in observables.items():
        _write(span.flag(with_place_names(table, sim.world)), out / "observables" / f"{name}.parquet", units, csv)
    annual_table(observables, span).to_csv(out / "annual.csv", index=False)
    summary = build_summary(sim, observables) | (provenance or {})
    (out / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n")
    return summary


def _write(frame: pd.DataFrame, path: Path, units: dict[str, str], csv: bool) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    known = units | KEY_UNITS
    column_units = {c: known[c] for c in frame.columns if c in known}
    metadata = {**(table.schema.metadata or {}), b"fentflow.units": json.dumps(column_units).encode()}
    pq.write_table(table.replace_schema_metadata(metadata), path)
    if csv:
        frame.to_csv(path.with_suffix(".csv"), index=False)


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
        "parameter_choice": sim.parameter_choice,
        "parameter_source": sim.parameter_source,
        "draws": list(sim.parameter_draws),
        "violence_anchor": sim.anchor_note,
        "partial_years": Span.of(sim.calendar).partial("year", observables["national_annual"]["year"]),
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
