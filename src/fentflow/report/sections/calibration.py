"""Calibration fit and the seizure-share estimate: the run's own seizure share always; a
calibration's results when DIR/calibration/ holds them (JSON, CSV, PNG), else the estimates of
the calibration shipped with fentflow (`fentflow.calibrate.shipped`)."""
from __future__ import annotations

import pandas as pd

from fentflow.report.html import Section, esc, note, paragraph, table
from fentflow.report.sections.folder import has_results, render_folder

TITLE = "Calibration fit and seizure share"


def build(context) -> Section:
    body = ["<h3>Share of what reached the border that was seized (model, this run)</h3>",
            paragraph("A hidden quantity: the model knows every load that tried to cross. Article claim C8 says "
                      "seizures are 'maybe 10 percent' of what comes in. These are the run's own shares (medians "
                      "over its replicates, with its parameters); the calibrated estimate with its uncertainty "
                      "is below."),
            _shares(context.summary.get("seizure_share_at_border", {})), "<h3>Calibration</h3>"]
    folder = context.calibration
    if has_results(folder):
        body += [paragraph(f"Results found in <code>{esc(folder)}</code>:"), render_folder(folder)]
    else:
        body.append(_shipped(folder))
    return Section("calibration", TITLE, "\n".join(body))


def _shipped(folder) -> str:
    """The shipped calibration's seizure share (overall) with 50% and 90% intervals."""
    from fentflow.calibrate.shipped import shipped_table

    shares = shipped_table("seizure_share")
    if shares is None:
        return note(f"No calibration: no results in <code>{esc(folder)}</code> and none shipped with fentflow. "
                    "Run <code>fentflow calibrate --out " + esc(folder) + "</code> to fill this section.")
    overall = shares[shares["component"] == "all"].pivot(index="year", columns="measure")
    rows = [{"year": str(year), **{f"by {measure} weight": _interval(overall, year, measure)
                                   for measure in ("pure", "gross")}} for year in overall.index]
    frame = pd.DataFrame(rows)
    return "\n".join([
        paragraph("The calibration shipped with fentflow (ABC-SMC on the public series through 2023; "
                  "docs/calibration.md): the share of what reached the Southwest border that was seized, "
                  "posterior-predictive median [50% interval] [90% interval]. Run <code>fentflow calibrate --out "
                  f"{esc(folder)}</code> to show a calibration of your own here, with its charts."),
        table(frame, {c: esc for c in frame.columns})])


def _interval(overall: pd.DataFrame, year, measure: str) -> str:
    q = {name: overall.loc[year, (name, measure)] for name in ("p05", "p25", "median", "p75", "p95")}
    return (f"{100 * q['median']:.1f}% [{100 * q['p25']:.1f}-{100 * q['p75']:.1f}] "
            f"[{100 * q['p05']:.1f}-{100 * q['p95']:.1f}]")


def _shares(shares: dict) -> str:
    rows = [{"year": year, **{component: _percent(values.get(component, {}).get(measure))
                              for component in ("all", "port", "between")
                              for measure in ("share_pure",)},
             "all, by gross weight": _percent(values.get("all", {}).get("share_gross"))}
            for year, values in shares.items()]
    if not rows:
        return note("The run's summary has no seizure shares.")
    frame = pd.DataFrame(rows).rename(columns={"all": "all crossings (pure)", "port": "ports of entry (pure)",
                                               "between": "between ports (pure)"})
    return table(frame, {c: esc for c in frame.columns})


def _percent(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"
