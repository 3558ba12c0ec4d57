"""The mass balance of one year (the report's year) as a Sankey chart, with the same flows as a table."""
from __future__ import annotations

import pandas as pd

from fentflow.report.balance import links, sankey_figure, year_flows
from fentflow.report.html import Section, esc, fmt_count, fmt_share, note, paragraph, table
from fentflow.risk.offline_html import figure_div

TITLE = "Where the fentanyl went"
DIV = "mass-balance"


def build(context) -> Section:
    year = context.risk_year
    lead = (f"The mass balance of {year}: precursors entering Mexico, through labs, transport and the border, "
            "to what was consumed in the U.S., with every seizure on the way.")
    try:
        flows = year_flows(context.out, year)
    except FileNotFoundError as exc:     # a run folder written by an older fentflow, or partly deleted
        return Section("balance", TITLE, lead, note(f"No mass balance: the run has no <code>{esc(exc.filename)}"
                                                    "</code>. Run <code>fentflow run</code> again."))
    rows = links(flows)
    inflow = flows["precursor_inflow_kg"]
    frame = pd.DataFrame([{"from": s, "to": t, "pure kg": kg, "share of the inflow (%)": kg / inflow}
                          for s, t, kg, _ in rows])
    replicates = esc(context.summary.get("replicates", 1))
    body = [paragraph(f"Pure (fentanyl-equivalent) kg in {year}, mean over the run's {replicates} replicate(s); a mean "
                      "keeps the balance the simulator checks every week. Red: seized or destroyed; purple: "
                      "consumed; grey: what stages held over or drew from stocks. Hover for the amounts."),
            figure_div(sankey_figure(flows, year), DIV),
            table(frame, {"from": esc, "to": esc, "pure kg": fmt_count, "share of the inflow (%)": fmt_share},
                  css="small")]
    return Section("balance", TITLE, lead, "\n".join(body))
