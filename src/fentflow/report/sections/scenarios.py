"""Scenario comparisons: the run's own `fentflow compare --out DIR/compare` when present, else the small
comparison bundled with fentflow (report/data/comparison/, its README gives the command). What was
compared, the paired differences with 90% intervals in words and in a table, the other tables
(collapsed) and the charts."""
from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

import pandas as pd

from fentflow.report.comparison_tables import ComparisonTables, bundled_folder, has_comparison, read_comparison
from fentflow.report.html import (Section, details, esc, figure, fmt_count, fmt_share, key_values,
                                  note, paragraph, table)
from fentflow.sim.anchor import describe_common

log = logging.getLogger(__name__)

TITLE = "Scenario comparisons"
LEAD = ("What policy scenarios change against the reference, run by run with the same seeds and parameter "
        "draws, as median differences with 90% intervals.")
MAX_ROWS = 60
SHIPPED_POSTERIOR = re.compile(r"\S*fentflow/calibrate/data/posterior\.parquet")   # wherever it was installed
QUANTILE = re.compile(r"^(diff|pct|change_pp|change)_(p05|p50|p95)$")
INTERVAL_TITLES = {"diff": "difference", "pct": "% change", "change_pp": "change (percentage points)",
                   "change": "change"}
COLUMN_TITLES = {"arm": "scenario", "metric": "outcome", "level": "level", "place": "place", "state": "state",
                 "measure": "measure", "year": "year", "baseline_p50": "reference (median)",
                 "arm_p50": "scenario (median)", "baseline_share_pct": "reference share (%)",
                 "arm_share_pct": "scenario share (%)", "runs": "runs"}
LEVELS = {"cbp_unit": "CBP field office / sector", "component": "CBP component", "mx_state": "Mexican state"}
OTHER_TABLES = {"annual": "Year by year (deaths, pure kg consumed, homicides)",
                "displacement": "Displacement: shares of crossings and flow by place",
                "violence": "Homicides by Mexican state"}


def build(context) -> Section:
    own = context.compare
    folder = own if has_comparison(own) else bundled_folder()
    if not has_comparison(folder):
        return Section("scenarios", TITLE, LEAD, note(_how_to(own)))
    comparison = read_comparison(folder)
    if folder == own:
        origin = paragraph(f"From <code>{esc(own)}</code>.")
    else:
        origin = note("This run has no comparison of its own, so this section shows the small example comparison "
                      "bundled with fentflow (its own seed and parameter draws, not this run's). " + _how_to(own))
    body = [origin, paragraph(_findings(comparison)), key_values(_facts(comparison.manifest)),
            f"<h3>Differences, {esc(_window(comparison))} ({esc(comparison.reference)} → scenario)</h3>",
            _differences(comparison), *_other_tables(comparison), *_charts(comparison)]
    return Section("scenarios", TITLE, LEAD, "\n".join(body))


def _how_to(folder: Path) -> str:
    return (f"Run, for example, <code>fentflow compare baseline raids_tripled treatment --out {esc(folder)}</code> "
            "(the bundled scenarios: <code>fentflow scenarios</code>) and build the report again; the map's own "
            "scenario view is <code>fentflow map --scenario NAME</code>.")


def _facts(manifest: dict) -> dict:
    arms = "; ".join(f"{a.get('name')}: {a.get('title', '')}" for a in manifest.get("arms", []))
    return {"reference": manifest.get("reference"), "arms": arms, "runs per arm": fmt_count(manifest.get("runs")),
            "seed": manifest.get("seed"), "simulated": f"{manifest.get('start')} to {manifest.get('end')}",
            "years compared": "–".join(map(str, manifest.get("window", []))),
            "parameters": SHIPPED_POSTERIOR.sub("the shipped calibration", manifest.get("parameters", "–")),
            "violence": _anchor_text(manifest),
            "world": manifest.get("world") or "bundled"}


def _anchor_text(manifest: dict) -> str:
    """Where every arm's projected violence starts (`comparison.json`'s `violence_anchored_on`)."""
    if "violence_anchored_on" not in manifest:
        return "not recorded (a comparison made before violence was anchored)"
    return describe_common(manifest["violence_anchored_on"])


def _window(comparison: ComparisonTables) -> str:
    first, last = comparison.window
    return str(first) if first == last else f"{first}–{last}"


def _findings(comparison: ComparisonTables) -> str:
    """One sentence per arm: deaths averted over the window, with its interval."""
    table_ = comparison.differences
    if table_.empty or "metric" not in table_:
        return "The comparison's differences table is empty."
    sentences = []
    titles = comparison.titles()
    for arm in comparison.compared:
        rows = table_[(table_["arm"] == arm) & (table_["metric"] == "deaths")]
        if rows.empty or "diff_p50" not in rows:
            continue
        row = rows.iloc[0]
        share = f", {fmt_share(row['pct_p50'] / 100)} of the reference's deaths" if "pct_p50" in row else ""
        sentences.append(f"{esc(titles.get(arm, arm))} ({esc(arm)}): {_averted(row['diff_p50'])} over "
                         f"{esc(_window(comparison))}{share} (90% interval {_count(row['diff_p05'])} to "
                         f"{_count(row['diff_p95'])}).")
    return " ".join(sentences) or "No arm has a deaths row."


def _averted(value: float) -> str:
    return f"{fmt_count(value)} deaths averted" if value >= 0 else f"{fmt_count(-value)} more deaths"


def _count(value: float) -> str:
    return fmt_count(value).replace("-", "−")


def _differences(comparison: ComparisonTables) -> str:
    """The national outcomes: reference, scenario, and the effect in words (averted / change / points)."""
    from fentflow.ensemble.paired import AVERTED, HEADLINE, POINTS

    table_ = comparison.differences
    how = {metric: (label, unit, kind) for metric, label, unit, kind in HEADLINE}
    rows = []
    for row in table_.itertuples():
        label, unit, kind = how.get(row.metric, (getattr(row, "label", row.metric), getattr(row, "unit", ""), ""))
        value = (lambda v: f"{_quantity(v)}%") if kind == POINTS else _quantity
        rows.append({"scenario": row.arm, "outcome": label.removesuffix(" averted").removesuffix(", pp"),
                     "unit": "%" if kind == POINTS else unit,
                     f"{comparison.reference} (median)": value(getattr(row, "baseline_p50", float("nan"))),
                     "scenario (median)": value(getattr(row, "arm_p50", float("nan"))),
                     "effect: median [90% interval]": _effect(row, kind == AVERTED, kind == POINTS),
                     "relative change: median [90% interval]": _relative(row, kind == AVERTED)})
    if not rows:
        return note("The comparison has no differences table.")
    frame = pd.DataFrame(rows)
    return table(frame, {c: esc for c in frame.columns}, css="small differences")


def _effect(row, averted: bool, points: bool) -> str:
    q = [getattr(row, f"diff_{p}", float("nan")) for p in ("p50", "p05", "p95")]
    if averted:   # the table holds reference minus scenario: deaths averted
        return f"{_quantity(q[0])} averted [{_quantity(q[1])} to {_quantity(q[2])}]".replace("-", "−")
    unit = " pp" if points else ""
    return f"{_signed(q[0])}{unit} [{_signed(q[1])} to {_signed(q[2])}]"


def _relative(row, averted: bool) -> str:
    q = [getattr(row, f"pct_{p}", float("nan")) for p in ("p50", "p05", "p95")]
    if any(pd.isna(v) for v in q):
        return "–"
    if averted:   # a share of the reference's deaths that is averted
        return f"{q[0]:.1f}% fewer [{q[1]:.1f}% to {q[2]:.1f}%]".replace("-", "−")
    return f"{_signed(q[0], 1)}% [{_signed(q[1], 1)}% to {_signed(q[2], 1)}%]"


def _quantity(value: float) -> str:
    """A model quantity: whole numbers from 100 up (with separators), else three significant digits."""
    if pd.isna(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _signed(value: float, decimals: int | None = None) -> str:
    """A change with its sign (a true minus sign); `decimals` fixed, else as `_quantity`."""
    if pd.isna(value):
        return "–"
    text = f"{abs(value):.{decimals}f}" if decimals is not None else _quantity(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def _other_tables(comparison: ComparisonTables) -> list[str]:
    parts = []
    for name, title in OTHER_TABLES.items():
        frame = getattr(comparison, name)
        if frame.empty:
            continue
        shown = readable(frame)
        parts.append(details(f"{title} ({len(frame)} rows)",
                             table(shown, {c: esc for c in shown.columns if shown[c].dtype == object},
                                   css="small", max_rows=MAX_ROWS)))
    return parts


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A comparison table for readers: each 5/50/95% triple as one 'median [5%–95%]' column, plain titles."""
    from fentflow.ensemble.paired import HEADLINE

    out = pd.DataFrame(index=frame.index)
    labels = {metric: label.removesuffix(" averted") for metric, label, _, _ in HEADLINE}
    done = set()
    for column in frame.columns:
        match = QUANTILE.match(column)
        if match:
            prefix = match.group(1)
            if prefix not in done:
                done.add(prefix)
                out[f"{INTERVAL_TITLES[prefix]}: median [90% interval]"] = [
                    f"{_signed(m)} [{_signed(lo)} to {_signed(hi)}]" for m, lo, hi in
                    zip(frame[f"{prefix}_p50"], frame[f"{prefix}_p05"], frame[f"{prefix}_p95"])]
        elif column == "metric":
            out["outcome"] = frame[column].map(lambda m: labels.get(m, m))
        elif column == "level":
            out["level"] = frame[column].map(lambda v: LEVELS.get(v, v))
        elif column in ("label",):
            continue
        else:
            out[COLUMN_TITLES.get(column, column.replace("_", " "))] = frame[column]
    return out


def _charts(comparison: ComparisonTables) -> list[str]:
    """The comparison's charts, drawn from its tables (or its own PNGs when its tables are incomplete)."""
    if any(getattr(comparison, name).empty for name in ("differences", "displacement", "violence", "annual")):
        paths = sorted((comparison.folder / "charts").glob("*.png"))
        return [_grid(figure(p, alt=p.stem) for p in paths)] if paths else []
    from fentflow.ensemble.charts import write_charts

    with tempfile.TemporaryDirectory(prefix="fentflow-report-") as folder:
        paths = write_charts(comparison, Path(folder))
        return [_grid(figure(p, alt=p.stem.replace("_", " ")) for p in paths)]


def _grid(figures) -> str:
    return '<div class="charts">' + "\n".join(figures) + "</div>"
