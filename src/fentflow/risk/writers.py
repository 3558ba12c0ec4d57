"""Write a risk assessment's files: interactive HTML map, PNG, GeoJSON and CSV of the scores,
the sensitivity table and a JSON summary (what was run, the method, headline figures).

    risk_map.html          interactive, works offline (plotly inline)
    risk_map.png           static map
    risk_scores.geojson    32 features, properties = the scores table
    risk_scores.csv        one row per state (columns: SCORE_COLUMNS first)
    risk_sensitivity.csv   per state: share of variants in each level, Sobol S1/ST per choice
    risk_summary.json      run, method, sensitivity summary, levels per state
"""
from __future__ import annotations

import html
import json
import logging
from pathlib import Path

import pandas as pd

from fentflow.risk.method import describe_method
from fentflow.risk.offline_html import figure_div, standalone_page
from fentflow.risk.plotly_map import change_figure, default_title, risk_figure

log = logging.getLogger(__name__)

FILES = {"html": "risk_map.html", "png": "risk_map.png", "geojson": "risk_scores.geojson",
         "csv": "risk_scores.csv", "sensitivity": "risk_sensitivity.csv", "summary": "risk_summary.json"}
SCORE_COLUMNS = ("abbr", "code", "name", "year", "level", "score", "hazard", "exposure", "drivers", "stability",
                 "hotspot")
PAGE_STYLE = "body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#222} p.note{color:#555;font-size:.9rem}"


def write_map_files(assessment, out_dir: str | Path) -> dict[str, Path]:
    """Write every file of the map to `out_dir` (created); return {kind: path}."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {kind: out / name for kind, name in FILES.items()}
    table = scores_table(assessment)
    table.to_csv(paths["csv"], index=False)
    paths["geojson"].write_text(_geojson(assessment, table))
    sensitivity_table(assessment).to_csv(paths["sensitivity"], index=False)
    paths["summary"].write_text(json.dumps(summary(assessment), indent=2) + "\n")
    from fentflow.risk.png_map import write_png   # matplotlib: half a second, so only when a map is written
    write_png(assessment, paths["png"])
    paths["html"].write_text(map_page(assessment), encoding="utf-8")
    log.info("risk map files written to %s", out)
    return paths


def scores_table(assessment) -> pd.DataFrame:
    table = assessment.table()
    table["level"] = table["level"].astype(str)
    for column in ("baseline_level",):
        if column in table:
            table[column] = table[column].astype(str)
    first = [c for c in SCORE_COLUMNS if c in table]
    return table[first + [c for c in table.columns if c not in first]]


def sensitivity_table(assessment) -> pd.DataFrame:
    s = assessment.sensitivity
    shares = s.level_shares.add_prefix("share_")
    first = s.first_order.add_prefix("S1_")
    total = s.total_order.add_prefix("ST_")
    table = pd.concat([s.table(), shares, first, total], axis=1)
    table["level"] = table["level"].astype(str)
    return table.rename_axis("abbr").reset_index()


def summary(assessment) -> dict:
    table = scores_table(assessment)
    return {
        "year": assessment.year,
        "run": assessment.run,
        "method": describe_method(assessment.index.method),
        "sensitivity": dict(assessment.sensitivity.summary()),
        "levels": dict(zip(table["abbr"], table["level"])),
        "scores": {a: round(float(v), 4) for a, v in zip(table["abbr"], table["score"])},
        "hotspots": sorted(table.loc[table["hotspot"] != "not significant", "abbr"] + ": " +
                           table.loc[table["hotspot"] != "not significant", "hotspot"]),
    }


def map_page(assessment) -> str:
    """The interactive map as a standalone offline page (level map, plus the change map under a scenario)."""
    body = [f"<h1>{html.escape(default_title(assessment))}</h1>", figure_div(risk_figure(assessment), "risk-map")]
    change = change_figure(assessment)
    if change is not None:
        body.append(figure_div(change, "risk-change-map"))
    method = "<br>".join(html.escape(line) for line in describe_method(assessment.index.method))
    body.append("<p class=\"note\">" + method
                + f"<br>Homicide rate: {html.escape(assessment.run.get('homicide_rate_from', ''))}. "
                  "Method and reasons: docs/risk.md.</p>")
    return standalone_page(default_title(assessment), "\n".join(body), PAGE_STYLE)


def _geojson(assessment, table: pd.DataFrame) -> str:
    shapes = assessment.shapes[["abbr", "geometry"]].merge(table, on="abbr", validate="one_to_one")
    return shapes.to_json(drop_id=True, na="null")
