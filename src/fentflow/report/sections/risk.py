"""The risk map of Mexico's states for one year of the run: the interactive map (plotly, inline),
each state's level, score and drivers, the stability of the levels and the hotspots."""
from __future__ import annotations

import pandas as pd

from fentflow.report.html import Section, esc, paragraph, table
from fentflow.risk.hotspots import NOT_SIGNIFICANT
from fentflow.risk.levels import score_text
from fentflow.risk.method import LEVEL_COLOURS, LEVELS, describe_method
from fentflow.risk.offline_html import figure_div
from fentflow.risk.sensitivity import FACTORS
from fentflow.risk.plotly_map import risk_figure

TITLE = "Risk map of Mexico's states"
LEAD = ("Where in Mexico the fentanyl trade's risk concentrates: each state's risk level, why, how stable the "
        "level is, and the hot spots.")
MAP_DIV = "risk-map"
FACTOR_LABELS = {factor.name: factor.label for factor in FACTORS}
DARK_FROM = LEVELS.index("Very high")   # levels whose colour needs white text


def build(context) -> Section:
    assessment = context.assessment
    summary = assessment.sensitivity.summary()
    table_ = assessment.table().sort_values("score", ascending=False)
    hot = table_[table_["hotspot"] != NOT_SIGNIFICANT]
    body = [
        paragraph(f"Fentanyl supply-chain risk in {assessment.year}: where violence (hazard) and the trade's "
                  "activity (exposure) coincide. States are labelled by abbreviation; black outlines mark the Gi* "
                  "hot spots. Hover a state for its name, level, score and main drivers. Homicide "
                  f"rate: {esc(assessment.run.get('homicide_rate_from'))}; everything else from the run above."),
        figure_div(risk_figure(assessment), MAP_DIV),
        "<h3>Method</h3><ul>" + "".join(f"<li>{esc(line)}</li>" for line in describe_method(assessment.index.method))
        + "</ul>" + paragraph("Full method, with the reason for every weight, goalpost and cut point: docs/risk.md."),
        "<h3>Levels, scores and drivers</h3>", _levels(table_),
        "<h3>How stable are the levels?</h3>",
        paragraph(f"The weights and cut points were varied together over wide ranges ({summary['evaluations']:,.0f} "
                  "variants, Sobol sampling): on average a state keeps its level in "
                  f"{100 * summary['mean_stability']:.0f}% of them; {summary['states_stable_90']:.0f} of 32 states "
                  f"in at least 90%, {summary['states_always_same']:.0f} in all. 'Most influential choice' is the one "
                  "with the largest total Sobol index on the state's position against the cut points."),
        "<h3>Hotspots (Getis-Ord Gi*, queen contiguity, p &lt; 0.05)</h3>",
        paragraph(", ".join(f"{esc(r.name)}: {esc(r.hotspot)}" for r in hot.itertuples())
                  or "No significant hotspots."),
    ]
    return Section("risk", TITLE, LEAD, "\n".join(body))


def _levels(frame: pd.DataFrame) -> str:
    shown = pd.DataFrame({
        "state": frame["name"] + " (" + frame["abbr"] + ")", "level": frame["level"].astype(str),
        "score (0-10)": frame["score"], "hazard (0-10)": frame["hazard"], "exposure (0-10)": frame["exposure"],
        "main drivers (indicator score 0-10)": frame["drivers"], "level holds (% of variants)": frame["stability"],
        "levels seen": frame["lowest_level"] + " – " + frame["highest_level"],
        "most influential choice": frame["most_influential"].map(lambda name: FACTOR_LABELS.get(name, name)),
        "Gi*": frame["hotspot"].where(frame["hotspot"] != NOT_SIGNIFICANT, "–")})
    return table(shown, {
        "level": _level_badge,
        "score (0-10)": score_text, "hazard (0-10)": lambda v: f"{v:.1f}", "exposure (0-10)": lambda v: f"{v:.1f}",
        "level holds (% of variants)": lambda v: f"{100 * v:.0f}%", "state": esc,
        "main drivers (indicator score 0-10)": esc, "levels seen": esc, "most influential choice": esc, "Gi*": esc},
        css="small")


def _level_badge(level: str) -> str:
    text = "white" if LEVELS.index(level) >= DARK_FROM else "black"
    return f'<span class="level" style="background:{LEVEL_COLOURS[level]};color:{text}">{esc(level)}</span>'
