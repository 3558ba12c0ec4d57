"""Assumptions and sources: the modelling choices that no public figure pins down, then where every
number comes from (world references, documented columns, public series, parameters, the risk index)."""
from __future__ import annotations

import pandas as pd

from fentflow.observed.series import list_series
from fentflow.report.html import Section, details, esc, fmt_in_unit, linkify, paragraph, table
from fentflow.risk.method import INDICATORS
from fentflow.sim.pars import PARAMETERS

TITLE = "Assumptions and sources"
LEAD = ("Where every number comes from: first the modelling choices no public figure pins down, then the "
        "references, series and parameters behind the rest.")


def build(context) -> Section:
    world = context.world
    body = [
        paragraph("fentflow marks every number as stated, computed, inference, unconfirmed or assumption. The "
                  "assumptions come first: they are where the results are most open to question."),
        "<h3>Model parameters set by assumption</h3>", _assumed_parameters(),
        "<h3>World columns set by assumption or inference</h3>", _world_columns(world, ("assumption", "inference")),
        "<h3>Risk index inputs</h3>", _risk_inputs(),
        "<h3>Public series compared with</h3>", _series(),
        "<h3>World sources</h3>",
        details(f"{len(world.references)} references cited by the world's files", _references(world.references)),
        details("Every documented world column", _world_columns(world, None)),
        details("Every model parameter", _all_parameters()),
    ]
    return Section("sources", TITLE, LEAD, "\n".join(body))


def _assumed_parameters() -> str:
    rows = [{"parameter": p.name, "default": fmt_in_unit(p.default, p.unit), "unit": p.unit, "source": p.source,
             "meaning": p.doc}
            for p in PARAMETERS if p.source.lower().startswith("assumption")]
    return table(pd.DataFrame(rows), {"parameter": esc, "unit": esc, "source": esc, "meaning": esc}, css="small")


def _all_parameters() -> str:
    rows = [{"parameter": p.name, "default": fmt_in_unit(p.default, p.unit), "unit": p.unit,
             "prior": "fixed" if p.prior[0] == "fixed" else f"{p.prior[0]}({p.prior[1]:g}, {p.prior[2]:g})",
             "source": p.source} for p in PARAMETERS]
    return table(pd.DataFrame(rows), {c: esc for c in ("parameter", "unit", "prior", "source")}, css="small")


def _world_columns(world, confidences) -> str:
    rows = world.sources if confidences is None else world.sources[world.sources["confidence"].isin(confidences)]
    return table(rows[["file", "column", "confidence", "source", "note"]], {c: esc for c in rows.columns},
                 css="small")


def _risk_inputs() -> str:
    rows = [{"indicator": i.name, "dimension": i.dimension, "source": i.source, "why": i.why} for i in INDICATORS]
    return table(pd.DataFrame(rows), {c: esc for c in ("indicator", "dimension", "source", "why")}, css="small")


def _series() -> str:
    frame = list_series()[["name", "description", "unit", "period", "source"]]
    return table(frame, {c: esc for c in frame.columns}, css="small")


def _references(references: dict) -> str:
    rows = pd.DataFrame({"tag": list(references), "reference": list(references.values())})
    return table(rows, {"tag": esc, "reference": linkify}, css="small")
