"""Write a comparison's tables (CSV for people, Parquet for DuckDB) and its charts.

    <out>/comparison.json                     what was compared (arms, levers, runs, seeds, window)
    <out>/tables/differences.csv|.parquet     national outcomes, paired, with 90% intervals
    <out>/tables/displacement.csv|.parquet    shares by CBP unit, component and Mexican state
    <out>/tables/violence.csv|.parquet        homicides by Mexican state
    <out>/tables/annual.csv|.parquet          deaths, kg consumed and homicides, year by year
    <out>/charts/*.png

Tables hold nothing that varies between identical comparisons (no timings, no dates), so the
same comparison gives byte-identical tables however many workers computed it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fentflow.ensemble.comparison import Comparison

log = logging.getLogger(__name__)

TABLES_DIR, CHARTS_DIR = "tables", "charts"
FLOAT_FORMAT = "%.10g"


def write_report(comparison: Comparison, out_dir: str | Path, charts: bool = True) -> dict[str, list[Path]]:
    out = Path(out_dir)
    written = {"tables": write_tables(comparison, out / TABLES_DIR)}
    if charts:
        from fentflow.ensemble.charts import write_charts   # matplotlib: only when charts are drawn
    written["charts"] = write_charts(comparison, out / CHARTS_DIR) if charts else []
    log.info("wrote %d tables and %d charts to %s", len(written["tables"]), len(written["charts"]), out)
    return written


def write_tables(comparison: Comparison, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in comparison.tables().items():
        csv, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
        table.to_csv(csv, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        table.to_parquet(parquet, index=False)
        paths += [csv, parquet]
    return paths
