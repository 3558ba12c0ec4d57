"""The claims table: each claim of the January 2023 news report beside the public figure and the model,
with a verdict from an explicit rule (`fentflow.claims`)."""
from __future__ import annotations

import logging

from fentflow.report.html import Section, esc, linkify, note, paragraph, table

log = logging.getLogger(__name__)

TITLE = "Claims of the news report, checked"
LEAD = ("Each claim of the January 2023 news report beside the public figure and the model, with a verdict "
        "from a rule stated in its row.")
VERDICT_CSS = {"consistent": "ok", "inconsistent": "bad", "not checkable": "unknown"}
COLUMNS = ("id", "check", "claim", "public_figure", "source_url", "fentflow", "verdict", "reason", "rule")


def build(context) -> Section:
    if not context.claims:
        return Section("claims", TITLE, LEAD, note("The claims check was skipped for this report (claims=False)."))
    try:
        from fentflow.claims import ClaimContext, claims_table
    except ImportError:
        return Section("claims", TITLE, LEAD, note("The claims check (<code>fentflow.claims</code>) is not installed."))
    seed = int(context.summary.get("seed", 0))
    choice = context.summary.get("parameter_choice", "defaults")      # the parameters the run used
    rows = claims_table(ClaimContext(context.world, seed=seed, parameters=context.parameters))
    body = [paragraph(f"From <code>fentflow claims --seed {seed} --parameters {esc(choice)}</code>: a baseline run "
                      "2015-2023 beside the public record. Verdicts: consistent, inconsistent or not checkable, each "
                      "by the rule stated in its row."), _table(rows)]
    return Section("claims", TITLE, LEAD, "\n".join(body))


def _table(rows) -> str:
    shown = rows[[c for c in COLUMNS if c in rows.columns]].rename(columns={"public_figure": "public figure",
                                                                            "source_url": "source"})
    formats = {c: esc for c in shown.columns}
    formats["source"] = lambda url: f'<a href="{esc(url)}">source</a>'
    formats["verdict"] = lambda v: f'<span class="verdict {VERDICT_CSS.get(v, "unknown")}">{esc(v)}</span>'
    formats["public figure"] = linkify
    return table(shown, formats, css="small claims")
