"""Scenario comparisons, when `fentflow compare --out DIR/compare` has been run: what was compared,
the paired differences with 90% intervals, the other tables (collapsed) and the charts."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from fentflow.ensemble.comparison import read_manifest
from fentflow.report.html import Section, details, esc, key_values, note, paragraph, png, table

TITLE = "Scenario comparisons"
MANIFEST = "comparison.json"
MAIN_TABLE = "differences"
MAX_ROWS = 60


def build(context) -> Section:
    folder = context.compare
    if not (folder / MANIFEST).exists():
        return Section("scenarios", TITLE, note(
            f"No scenario comparison yet: nothing in <code>{esc(folder)}</code>. Run, for example, "
            f"<code>fentflow compare baseline raids_tripled treatment --out {esc(folder)}</code> (the bundled "
            "scenarios: <code>fentflow scenarios</code>) and build the report again; the map's own scenario view "
            "is <code>fentflow map --scenario NAME</code>."))
    manifest = read_manifest(folder)
    body = [paragraph(f"From <code>{esc(folder)}</code>: every arm run with the same seeds and parameter draws as "
                      "the reference, so differences are paired, not noise."), key_values(_facts(manifest))]
    body += _tables(folder / "tables") + _charts(folder / "charts")
    return Section("scenarios", TITLE, "\n".join(body))


def _facts(manifest: dict) -> dict:
    arms = "; ".join(f"{a.get('name')}: {a.get('title', '')}" for a in manifest.get("arms", []))
    return {"reference": manifest.get("reference"), "arms": arms, "runs per arm": manifest.get("runs"),
            "seed": manifest.get("seed"), "simulated": f"{manifest.get('start')} to {manifest.get('end')}",
            "window compared": "-".join(map(str, manifest.get("window", []))), "world": manifest.get("world")}


def _tables(folder: Path) -> list[str]:
    parts = []
    paths = sorted(folder.glob("*.csv"), key=lambda p: (p.stem != MAIN_TABLE, p.stem))
    for path in paths:
        frame = pd.read_csv(path)
        text = {c: esc for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])}
        rendered = table(frame, text, css="small", max_rows=MAX_ROWS)
        parts.append(f"<h3>{esc(path.stem)}</h3>{rendered}" if path.stem == MAIN_TABLE
                     else details(f"{path.stem} ({len(frame)} rows)", rendered))
    return parts


def _charts(folder: Path) -> list[str]:
    figures = [f"<figure>{png(path, path.stem)}</figure>" for path in sorted(folder.glob("*.png"))]
    return ['<div class="charts">' + "\n".join(figures) + "</div>"] if figures else []
