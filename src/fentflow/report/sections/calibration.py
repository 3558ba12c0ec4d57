"""Calibration fit and the seizure-share estimate: the run's own (uncalibrated) seizure share always;
a calibration's results when DIR/calibration/ holds them (JSON, CSV, PNG)."""
from __future__ import annotations

import pandas as pd

from fentflow.report.html import Section, esc, note, paragraph, table
from fentflow.report.sections.folder import has_results, render_folder

TITLE = "Calibration fit and seizure share"


def build(context) -> Section:
    body = ["<h3>Share of what reached the border that was seized (model, this run)</h3>",
            paragraph("A hidden quantity: the model knows every load that tried to cross. Article claim C8 says "
                      "seizures are 'maybe 10 percent' of what comes in. These are the run's own shares, with its "
                      "parameters; a calibrated estimate with uncertainty needs the calibration below."),
            _shares(context.summary.get("seizure_share_at_border", {})), "<h3>Calibration</h3>"]
    folder = context.calibration
    if has_results(folder):
        body += [paragraph(f"Results found in <code>{esc(folder)}</code>:"), render_folder(folder)]
    else:
        body.append(note(f"Calibration has not been run yet: no results in <code>{esc(folder)}</code>. When a "
                         "calibration writes its results there (headline figures as JSON, tables as CSV, charts "
                         "as PNG, e.g. the posterior seizure share), this section shows them."))
    return Section("calibration", TITLE, "\n".join(body))


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
