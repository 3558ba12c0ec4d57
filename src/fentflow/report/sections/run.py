"""What was run: world, span, seed, replicates, interventions, parameters, headline figures per year."""
from __future__ import annotations

import pandas as pd

from fentflow.report.html import Section, esc, key_values, paragraph, table
from fentflow.sim.pars import PARAMETERS
from fentflow.units import KG_PER_LB

HEADLINES = {   # summary.json key -> (column title, scale)
    "deaths": ("overdose deaths (synthetic opioids)", 1.0),
    "consumed_pure_kg": ("consumed (pure kg)", 1.0),
    "border_seized_gross_kg": ("seized at the border (lb)", 1 / KG_PER_LB),
    "attempted_crossings": ("loads attempting to cross", 1.0),
    "homicides": ("homicides in Mexico", 1.0),
}


def build(context) -> Section:
    s = context.summary
    facts = {"fentflow version": s.get("fentflow_version"), "world": s.get("world"),
             "simulated": f"{s.get('start')} to {s.get('end')} ({s.get('weeks')} weeks)",
             "replicates": s.get("replicates"), "seed": s.get("seed"),
             "parameters": s.get("parameter_source", "default parameters"),
             "interventions": "; ".join(_intervention(i) for i in s.get("interventions", [])) or "none (baseline)",
             "results": str(context.out)}
    body = [paragraph("The run this report describes, as <code>fentflow run</code> recorded it in "
                      f"<code>{esc(context.out / 'summary.json')}</code>. Same world, parameters and seed give "
                      "identical results."), key_values(facts),
            "<h3>Headline figures by year (model, median over replicates)</h3>", _headlines(s),
            "<h3>Parameters (median over replicates)</h3>", _parameters(s.get("parameters", {}))]
    return Section("run", "What was run", "\n".join(body))


def _intervention(i: dict) -> str:
    places = f" at {', '.join(i['places'])}" if i.get("places") else ""
    return f"{i['kind']} {i['strength']:g} from {i['start']} to {i['end']}{places}"


def _headlines(summary: dict) -> str:
    years = summary.get("calendar_years", {})
    shares = summary.get("seizure_share_at_border", {})
    rows = []
    for year, row in years.items():
        share = shares.get(year, {}).get("all", {}).get("share_pure")
        rows.append({"year": year, **{title: row.get(key, float("nan")) * scale
                                      for key, (title, scale) in HEADLINES.items()},
                     "share seized at the border (pure)": "–" if share is None else f"{100 * share:.1f}%"})
    return table(pd.DataFrame(rows), {"year": esc}) if rows else paragraph("No headline figures in summary.json.")


def _parameters(values: dict) -> str:
    declared = {p.name: p for p in PARAMETERS}
    rows = [{"parameter": name, "value": value,
             "default": declared[name].default if name in declared else float("nan"),
             "unit": declared[name].unit if name in declared else "",
             "source": declared[name].source if name in declared else ""} for name, value in values.items()]
    return table(pd.DataFrame(rows), {"parameter": lambda v: f"<code>{esc(v)}</code>", "source": esc}, css="small")
