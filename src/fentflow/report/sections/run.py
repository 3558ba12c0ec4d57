"""What was run: world, span, seed, replicates, interventions, parameters, headline figures per year."""
from __future__ import annotations

import pandas as pd

from fentflow.report.html import Section, details, esc, fmt_count, fmt_in_unit, fmt_share, key_values, paragraph, table
from fentflow.sim.pars import PARAMETERS
from fentflow.units import KG_PER_LB

TITLE = "What was run"
LEAD = ("The run this report describes: world, period, seed, replicates, parameters and interventions, "
        "with its headline figures year by year.")
HEADLINES = {   # summary.json key -> (column title with unit, scale, format)
    "deaths": ("overdose deaths, synthetic opioids (deaths)", 1.0, fmt_count),
    "consumed_pure_kg": ("consumed (pure kg)", 1.0, fmt_count),
    "border_seized_gross_kg": ("seized at the border (gross lb)", 1 / KG_PER_LB, fmt_count),
    "attempted_crossings": ("loads attempting to cross (loads)", 1.0, fmt_count),
    "homicides": ("homicides in Mexico (victims)", 1.0, fmt_count),
}
SHARE_COLUMN = "share seized at the border (% of pure kg)"


def build(context) -> Section:
    s = context.summary
    facts = {"fentflow version": s.get("fentflow_version"), "world": s.get("world"),
             "simulated": f"{s.get('start')} to {s.get('end')} ({s.get('weeks')} weeks)",
             "replicates": s.get("replicates"), "seed": s.get("seed"),
             "parameters": parameter_text(s),
             "violence": s.get("violence_anchor") or "not recorded (a run before violence was anchored)",
             "interventions": "; ".join(_intervention(i) for i in s.get("interventions", [])) or "none (baseline)",
             "results": str(context.out)}
    body = [paragraph("As <code>fentflow run</code> recorded it in "
                      f"<code>{esc(context.out / 'summary.json')}</code>. Same world, parameters and seed give "
                      "identical results."), key_values(facts),
            "<h3>Headline figures by year (model, median over replicates)</h3>", _headlines(s),
            details(f"Parameters: {len(s.get('parameters', {}))} values, median over replicates",
                    _parameters(s.get("parameters", {})))]
    return Section("run", TITLE, LEAD, "\n".join(body))


def parameter_text(summary: dict) -> str:
    """Where the run's parameters came from, as summary.json records it."""
    return summary.get("parameter_source") or "default parameters (no parameter source recorded)"


def _intervention(i: dict) -> str:
    places = f" at {', '.join(i['places'])}" if i.get("places") else ""
    return f"{i['kind']} {i['strength']:g} from {i['start']} to {i['end']}{places}"


def _headlines(summary: dict) -> str:
    years = summary.get("calendar_years", {})
    shares = summary.get("seizure_share_at_border", {})
    rows = [{"year": int(year), **{title: row.get(key, float("nan")) * scale
                                   for key, (title, scale, _) in HEADLINES.items()},
             SHARE_COLUMN: shares.get(year, {}).get("all", {}).get("share_pure")} for year, row in years.items()]
    if not rows:
        return paragraph("No headline figures in summary.json.")
    formats = {title: fmt for title, _, fmt in HEADLINES.values()} | {SHARE_COLUMN: fmt_share}
    return table(pd.DataFrame(rows), formats)


def _parameters(values: dict) -> str:
    declared = {p.name: p for p in PARAMETERS}
    rows = []
    for name, value in values.items():
        p = declared.get(name)
        unit = p.unit if p else ""
        rows.append({"parameter": name, "meaning": p.doc if p else "", "value": fmt_in_unit(value, unit),
                     "default": fmt_in_unit(p.default, unit) if p else "–", "unit": unit,
                     "source": p.source if p else ""})
    return table(pd.DataFrame(rows), {c: esc for c in ("meaning", "unit", "source")}
                 | {"parameter": lambda v: f"<code>{esc(v)}</code>"}, css="small")
