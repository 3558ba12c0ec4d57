"""The baseline against the public series: error measures and one chart per series
(`fentflow.calibrate.fitcheck`, the same comparison as `fentflow fit-check`)."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from fentflow.report.html import Section, esc, note, paragraph, png, table
from fentflow.sim.calendar import Calendar

log = logging.getLogger(__name__)

ERROR_COLUMNS = {"series": "series", "unit": "unit", "n": "points", "mean_ratio": "mean model/observed",
                 "male": "MALE", "nrmse": "NRMSE", "corr": "correlation", "coverage_90": "observed in 5-95%",
                 "bounds_met": "bounds met", "bounds": "bounds"}


def build(context) -> Section:
    try:
        from fentflow.calibrate.fitcheck import TARGET_BY_NAME, compare, plot_series
    except ImportError:   # the fit check is a separate piece of fentflow; the report works without it
        return Section("baseline", "Baseline against the public series",
                       note("The model-vs-data check (<code>fentflow.calibrate.fitcheck</code>) is not installed."))
    s = context.summary
    fit = compare(context.observables, Calendar.between(s["start"], s["end"]))
    if fit.points.empty:
        return Section("baseline", "Baseline against the public series",
                       note("The run covers no whole year or month of the public series (they run to 2023)."))
    errors = fit.errors[[c for c in ERROR_COLUMNS if c in fit.errors]].rename(columns=ERROR_COLUMNS)
    body = [paragraph("Each simulated observable beside its public series (CBP, CDC, DEA, SESNSP), on the periods "
                      "the run covers in full. MALE is the mean absolute log error (ln 2 = 0.69 means off by a "
                      "factor 2); NRMSE is the RMSE over the mean observed value; bounds are published 'less/more "
                      "than' figures the model median respects. The default parameters are not calibrated: read "
                      "this as where the model stands before calibration."),
            table(errors, {"series": esc, "unit": esc}), "<h3>Charts</h3>", _charts(fit.points, TARGET_BY_NAME,
                                                                                    plot_series)]
    return Section("baseline", "Baseline against the public series", "\n".join(body))


def _charts(points, targets, plot_series) -> str:
    figures = []
    with tempfile.TemporaryDirectory(prefix="fentflow-report-") as folder:
        for name, rows in points.groupby("series", sort=False):
            path = plot_series(rows, targets[name], Path(folder) / f"{name}.png")
            figures.append(f"<figure>{png(path, targets[name].title)}</figure>")
    return '<div class="charts">' + "\n".join(figures) + "</div>"
