"""Calibration fit and the seizure-share estimate: the run's own seizure share; then a calibration's
seizure-share table, its fit to the public series, its posterior and charts, with a paragraph on what
they mean. A calibration of one's own in DIR/calibration/ is shown when present, else the one shipped
with fentflow (`fentflow.report.calibration_results`)."""
from __future__ import annotations

import pandas as pd

from fentflow.report.calibration_results import CalibrationResults, from_folder, shipped
from fentflow.report.html import (Section, details, esc, figure, fmt_count, fmt_in_unit, fmt_number, fmt_share,
                                  fmt_year, note, paragraph, table)
from fentflow.report.sections.folder import has_results, render_files
from fentflow.sim.pars import PAR_BY_NAME

TITLE = "Calibration fit and seizure share"
LEAD = ("What share of the fentanyl that reached the Southwest border was seized, in this run and in the "
        "calibration, and how well the calibrated model fits the public series.")
ARTICLE_SHARE = 0.10     # claim C8: seizures are "maybe 10 percent" of what comes in
COMPONENTS = {"all": "all crossings", "port": "ports of entry", "between": "between ports"}


def build(context) -> Section:
    body = ["<h3>Share seized at the border in this run (model)</h3>",
            paragraph("A hidden quantity: the model knows every load that tried to cross. Medians over the run's "
                      "replicates, with its parameters."),
            _run_shares(context.summary.get("seizure_share_at_border", {}))]
    folder = context.calibration
    results = from_folder(folder) if has_results(folder) else shipped()
    if results is None:
        body.append(note(f"No calibration: no results in <code>{esc(folder)}</code> and none shipped with "
                         f"fentflow. Run <code>fentflow calibrate --out {esc(folder)}</code> to fill this part."))
    else:
        body += _calibration(results, folder)
    return Section("calibration", TITLE, LEAD, "\n".join(body))


def _calibration(results: CalibrationResults, folder) -> list[str]:
    own = results.origin != "shipped with fentflow"
    where = (f"the calibration in <code>{esc(results.origin)}</code>" if own else
             "the calibration shipped with fentflow (ABC-SMC on the public series; docs/calibration.md). Run "
             f"<code>fentflow calibrate --out {esc(folder)}</code> to show a calibration of your own here")
    parts = [f"<h3>Calibrated estimate of the seizure share</h3>",
             paragraph(f"From {where}. Posterior-predictive median with 50% and 90% intervals."),
             _share_table(results.table("seizure_share")),
             "<h3>What the calibration says</h3>", paragraph(_meaning(results))]
    errors = results.table("predictive_errors")
    if errors is not None:
        parts += ["<h3>Fit to the public series</h3>", _fit_table(errors)]
    if results.charts:
        parts.append('<div class="charts">' + "\n".join(figure(data, caption) for caption, data in results.charts)
                     + "</div>")
    posterior = results.table("posterior_summary")
    if posterior is not None:
        parts.append(details(f"Posterior of the {len(posterior)} calibrated parameters", _posterior_table(posterior)))
    parts.append(details("How the calibration was run", _how_run(results)))
    if results.other_files:
        parts.append(details(f"Other files in {results.origin} ({len(results.other_files)})",
                             render_files(results.other_files, folder)))
    return parts


def _run_shares(shares: dict) -> str:
    rows = [{"year": int(year),
             **{f"{label} (% of pure kg)": values.get(component, {}).get("share_pure")
                for component, label in COMPONENTS.items()},
             "all crossings (% of gross lb)": values.get("all", {}).get("share_gross")}
            for year, values in shares.items()]
    if not rows:
        return note("The run's summary has no seizure shares.")
    frame = pd.DataFrame(rows)
    return table(frame, {c: fmt_share for c in frame.columns if c != "year"})


def _share_table(shares: pd.DataFrame | None) -> str:
    if shares is None:
        return note("This calibration has no seizure-share table (seizure_share.csv).")
    columns = {("all", "pure"): "all crossings, % of pure kg", ("all", "gross"): "all crossings, % of gross lb",
               ("port", "pure"): "ports of entry, % of pure kg", ("between", "pure"): "between ports, % of pure kg"}
    indexed = shares.set_index(["year", "component", "measure"])
    rows = []
    for year in sorted(shares["year"].unique()):
        row = {"year": int(year)}
        for (component, measure), label in columns.items():
            key = (year, component, measure)
            row[label] = _interval(indexed.loc[key]) if key in indexed.index else "–"
        rows.append(row)
    frame = pd.DataFrame(rows)
    return table(frame, {c: esc for c in frame.columns if c != "year"}) + paragraph(
        "Each cell: median [50% interval] [90% interval].", "small")


def _interval(q: pd.Series) -> str:
    return (f"{fmt_share(q['median'])} [{fmt_share(q['p25'])}–{fmt_share(q['p75'])}] "
            f"[{fmt_share(q['p05'])}–{fmt_share(q['p95'])}]")


def _meaning(results: CalibrationResults) -> str:
    """One paragraph from the numbers: the share against the article's 10%, the fit, what the data pin down."""
    sentences = []
    shares = results.table("seizure_share")
    if shares is not None:
        overall = shares[(shares["component"] == "all") & (shares["measure"] == "pure")].sort_values("year")
        if not overall.empty:
            last = overall.iloc[-1]
            where = ("inside" if last["p05"] <= ARTICLE_SHARE <= last["p95"] else
                     "below" if ARTICLE_SHARE < last["p05"] else "above")
            sentences.append(
                f"In {fmt_year(last['year'])} the calibrated model puts the share of pure fentanyl seized at the "
                f"border at {fmt_share(last['median'])} (90% interval {fmt_share(last['p05'])} to "
                f"{fmt_share(last['p95'])}); the article's 'maybe 10 percent' lies {where} that interval. "
                f"The share is a hidden quantity: no public series measures it. The series fix supply, detection "
                "and consumption only together: twice the supply, with detection and DEA's seizure rate halved and "
                "the need per person doubled, fits them as well (<code>fentflow validate scale</code>), so the "
                "share's level rests on the priors of those parameters.")
    errors = results.table("predictive_errors")
    if errors is not None and errors["coverage_90"].notna().any():
        covered = errors["coverage_90"].dropna()
        sentences.append(
            f"Across the {len(covered)} public series it was fitted to, a median of {fmt_share(covered.median(), 0)} "
            f"of observed points fall inside the model's 90% predictive band (90% would be ideal); "
            f"{(covered >= 0.8).sum()} of {len(covered)} series reach 80%.")
    posterior = results.table("posterior_summary")
    if posterior is not None and "interval90_share_of_prior" in posterior and not posterior.empty:
        spans = posterior.set_index("parameter")["interval90_share_of_prior"].sort_values()
        sentences.append(
            f"The posterior 90% intervals of the {len(spans)} calibrated parameters span {fmt_share(spans.min(), 0)} "
            f"to {fmt_share(spans.max(), 0)} of their prior ranges (median {fmt_share(spans.median(), 0)}): the "
            f"data constrain most clearly {', '.join(spans.index[:3])}; what they leave open is carried into every "
            "interval in this report.")
    rand = results.headline.get("rand_2021")
    if isinstance(rand, dict) and "share_below_bound" in rand:
        sentences.append(
            f"RAND's upper bound of {fmt_number(rand.get('bound_t'))} t of pure fentanyl consumed in "
            f"{fmt_year(rand.get('year'))} holds in {fmt_share(rand['share_below_bound'], 0)} of posterior draws "
            f"(median {fmt_number(rand.get('median'))} t).")
    return " ".join(sentences) or "This calibration holds no estimates to summarise."


def _fit_table(errors: pd.DataFrame) -> str:
    from fentflow.calibrate.fitcheck import TARGET_BY_NAME

    frame = pd.DataFrame({
        "series": [TARGET_BY_NAME[n].title if n in TARGET_BY_NAME else n for n in errors["series"]],
        "unit": errors["unit"], "points": errors["n"],
        "observed inside the 90% band": errors["coverage_90"],
        "mean model/observed (ratio)": errors["mean_ratio"], "MALE (log error)": errors["male"]})
    return table(frame, {"series": esc, "unit": esc, "points": fmt_count,
                         "observed inside the 90% band": lambda v: fmt_share(v, 0)}, css="small")


def _posterior_table(posterior: pd.DataFrame) -> str:
    rows = []
    for row in posterior.itertuples():
        unit = PAR_BY_NAME[row.parameter].unit if row.parameter in PAR_BY_NAME else ""
        value = lambda v: fmt_in_unit(v, unit)   # noqa: E731
        rows.append({"parameter": row.parameter, "unit": unit,
                     "prior": f"{row.prior} {value(row.prior_low)} to {value(row.prior_high)}",
                     "median": value(row.median), "90% interval": f"{value(row.p05)} to {value(row.p95)}",
                     "90% interval / prior range": row.interval90_share_of_prior})
    return table(pd.DataFrame(rows), {"parameter": lambda v: f"<code>{esc(v)}</code>", "unit": esc, "prior": esc,
                                      "median": esc, "90% interval": esc,
                                      "90% interval / prior range": lambda v: fmt_share(v, 0)}, css="small")


def _how_run(results: CalibrationResults) -> str:
    from fentflow.report.html import key_values

    spec, budget, targets = results.spec, results.spec.get("budget", {}), results.spec.get("targets", {})
    generations = results.table("generations")
    facts = {"method": "ABC-SMC (pyABC)", "budget": budget.get("name", "–"),
             "particles per generation": fmt_count(budget.get("population")),
             "generations run": fmt_count(len(generations)) if generations is not None else "–",
             "simulations in all": fmt_count(generations["simulations"].sum()) if generations is not None else "–",
             "final tolerance (distance)": fmt_number(generations["epsilon"].iloc[-1])
             if generations is not None else "–",
             "posterior-predictive draws": fmt_count(results.headline.get("draws")),
             "data through": fmt_year(targets.get("data_end")), "seed": fmt_count(spec.get("seed"))}
    return key_values(facts)
