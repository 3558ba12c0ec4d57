"""The baseline against the public series: error measures and one chart per series
(`fentflow.calibrate.fitcheck`, the same comparison as `fentflow fit-check`)."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from fentflow.report.html import Section, esc, figure, fmt_count, fmt_share, note, paragraph, table
from fentflow.report.sections.run import parameter_text
from fentflow.sim.calendar import Calendar

log = logging.getLogger(__name__)

TITLE = "Baseline against the public series"
LEAD = ("How the run compares with the public series it can be checked against (CBP, CDC, DEA, SESNSP): "
        "error measures per series, then one chart per series.")
ERROR_COLUMNS = {"series": "series", "unit": "unit", "n": "points", "mean_ratio": "mean model/observed (ratio)",
                 "male": "MALE (log error)", "male_chance": "MALE by chance", "nrmse": "NRMSE (share of mean)",
                 "corr": "correlation",
                 "coverage_90": "observed inside the model's 5-95% band", "bounds": "published bounds",
                 "bounds_met": "bounds met"}
FORMATS = {"points": fmt_count, "bounds met": fmt_count, "published bounds": fmt_count,
           "observed inside the model's 5-95% band": fmt_share, "unit": esc}


def build(context) -> Section:
    try:
        from fentflow.calibrate.fitcheck import TARGET_BY_NAME, compare, plot_series
    except ImportError:   # the fit check is a separate piece of fentflow; the report works without it
        return Section("baseline", TITLE, LEAD,
                       note("The model-vs-data check (<code>fentflow.calibrate.fitcheck</code>) is not installed."))
    s = context.summary
    fit = compare(context.observables, Calendar.between(s["start"], s["end"]))
    if fit.points.empty:
        return Section("baseline", TITLE, LEAD,
                       note("The run covers no whole year or month of the public series (they run to 2023)."))
    errors = fit.errors[[c for c in ERROR_COLUMNS if c in fit.errors]].rename(columns=ERROR_COLUMNS)
    titles = {name: target.title for name, target in TARGET_BY_NAME.items()}
    body = [paragraph("Each simulated observable beside its public series, on the periods the run covers in full. "
                      "MALE is the mean absolute log error (0.69 means off by a factor of 2 on average); MALE by "
                      "chance is that of each replicate against the others' median, what a right model would "
                      "score against data that vary as much by chance (a MALE well above it is misfit); NRMSE is "
                      "the root-mean-square error over the mean observed value; bounds are published 'less than' "
                      "or 'more than' figures that the model median respects."),
            paragraph(f"<b>Parameters:</b> {esc(parameter_text(s))}. {_reading(s)}"),
            table(errors, FORMATS | {"series": lambda name: _series_cell(name, titles)}),
            "<h3>Charts</h3>", _charts(fit.points, TARGET_BY_NAME, plot_series)]
    return Section("baseline", TITLE, LEAD, "\n".join(body))


def _reading(summary: dict) -> str:
    """How to read the fit, given where the parameters came from (summary.json's parameter_choice)."""
    choice = summary.get("parameter_choice")
    if choice == "calibrated":
        return ("These are draws from the calibration shipped with fentflow, which was fitted to these same series "
                "through 2023: read this as an in-sample check of the calibrated model.")
    if choice in (None, "defaults"):
        return ("The default parameters are not calibrated: read this as where the model stands before "
                "calibration.")
    return "These are draws from the posterior file named above; series it was fitted to are checked in sample."


def _series_cell(name: str, titles: dict) -> str:
    return f"{esc(titles.get(name, name))}<br><code class=\"small\">{esc(name)}</code>"


def _charts(points, targets, plot_series) -> str:
    figures = []
    with tempfile.TemporaryDirectory(prefix="fentflow-report-") as folder:
        for name, rows in points.groupby("series", sort=False):
            path = plot_series(rows, targets[name], Path(folder) / f"{name}.png")
            figures.append(figure(path, alt=targets[name].title))
    return '<div class="charts">' + "\n".join(figures) + "</div>"
