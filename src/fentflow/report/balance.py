"""The mass balance of one year as a Sankey chart: precursors entering Mexico, through labs, transport
and the border, to what was consumed in the U.S. (and the deaths), with every seizure on the way.

All flows are pure (fentanyl-equivalent) kg, summed over the weeks whose Thursday falls in the
year (the simulator's calendar) and averaged over replicates: a mean keeps the balance that
the simulator's ledger holds in every replicate, where a median would not. What a stage takes
in but does not pass on in the year is added to stocks and goods in transit; what it passes on
beyond its intake came from stocks held at the start of the year.
"""
from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from fentflow.risk.inputs import _year   # the simulator's rule: a week counts in its Thursday's year

FILES = {"entries": ("precursor_inflow_kg", "precursor_seized_kg"),
         "sites": ("destroyed_kg", "dispatched_kg", "mexico_seized_kg"),
         "crossings": ("attempted_pure_kg", "seized_pure_kg", "passed_pure_kg"),
         "markets": ("domestic_seized_pure_kg", "consumed_pure_kg", "deaths")}
MIN_SHOWN = 0.005     # stock changes under 0.5% of the inflow are left out of the chart
FROM_STOCK, TO_STOCK = "Drawn from stocks held at the start of the year", "Added to stocks and goods in transit"
STAGE_STEP = 0.16     # horizontal distance between stages (the ends sit at the right edge)
NODE_COLOURS = {"flow": "#1f4e79", "seized": "#bd0026", "stock": "#969696", "consumed": "#6a3d9a"}
COLOURS = {"flow": "rgba(31, 78, 121, 0.35)", "seized": "rgba(189, 0, 38, 0.45)",
           "stock": "rgba(150, 150, 150, 0.35)", "consumed": "rgba(106, 61, 154, 0.45)"}


@dataclass(frozen=True)
class Stage:
    name: str          # the node
    inflow: str        # the flow (a key of `year_flows`) that enters it
    outflows: tuple[tuple[str, str, str], ...]   # (flow, node it goes to, kind: flow / seized / consumed)


def stages(deaths: float) -> tuple[Stage, ...]:
    consumed = f"Consumed in the U.S. ({deaths:,.0f} overdose deaths)"
    return (
        Stage("Precursors entering Mexico", "precursor_inflow_kg",
              (("precursor_seized_kg", "Seized at Mexican ports (precursors)", "seized"),
               ("delivered_kg", "Labs in Mexico", "flow"))),
        Stage("Labs in Mexico", "delivered_kg",
              (("destroyed_kg", "Destroyed in lab raids", "seized"),
               ("dispatched_kg", "Sent north by road", "flow"))),
        Stage("Sent north by road", "dispatched_kg",
              (("mexico_seized_kg", "Seized in Mexico in transit", "seized"),
               ("attempted_pure_kg", "Tried to cross into the U.S.", "flow"))),
        Stage("Tried to cross into the U.S.", "attempted_pure_kg",
              (("seized_pure_kg", "Seized at the Southwest border", "seized"),
               ("passed_pure_kg", "Crossed into the U.S.", "flow"))),
        Stage("Crossed into the U.S.", "passed_pure_kg",
              (("domestic_seized_pure_kg", "Seized in the U.S.", "seized"),
               ("consumed_pure_kg", consumed, "consumed"))),
    )


STAGE_NAMES = [stage.name for stage in stages(0.0)]


def year_flows(out_dir: str | Path, year: int) -> dict[str, float]:
    """Each flow of `FILES` in `year` (mean over replicates), plus delivered_kg (inflow - port seizures)."""
    flows: dict[str, float] = {}
    for name, columns in FILES.items():
        path = Path(out_dir) / f"{name}.parquet"
        if not path.is_file():
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
        frame = pd.read_parquet(path, columns=["period", "replicate", *columns])
        in_year = frame[_year(frame["period"]) == year]
        flows |= in_year.groupby("replicate")[list(columns)].sum().mean().to_dict()
    flows["delivered_kg"] = flows["precursor_inflow_kg"] - flows["precursor_seized_kg"]
    return flows


def links(flows: dict[str, float]) -> list[tuple[str, str, float, str]]:
    """(source, target, pure kg, kind) for every link, with the stock changes that balance each stage."""
    out = []
    threshold = MIN_SHOWN * flows["precursor_inflow_kg"]
    for stage in stages(flows["deaths"]):
        passed_on = 0.0
        for flow, target, kind in stage.outflows:
            out.append((stage.name, target, flows[flow], kind))
            passed_on += flows[flow]
        if stage.inflow == "precursor_inflow_kg":
            continue   # delivered is defined as the rest: nothing to balance
        held = flows[stage.inflow] - passed_on
        if held > threshold:
            out.append((stage.name, TO_STOCK, held, "stock"))
        elif -held > threshold:
            out.append((FROM_STOCK, stage.name, -held, "stock"))
    return [link for link in out if link[2] > 0]


def sankey_figure(flows: dict[str, float], year: int) -> go.Figure:
    chart_links = links(flows)
    nodes = list(dict.fromkeys(name for source, target, _, _ in chart_links for name in (source, target)))
    index = {name: i for i, name in enumerate(nodes)}
    x, y = _positions(nodes, chart_links)
    kind_of = {target: kind for _, target, _, kind in chart_links} | {FROM_STOCK: "stock"}
    figure = go.Figure(go.Sankey(
        arrangement="fixed", valueformat=",.0f", valuesuffix=" kg",
        node={"label": [_two_lines(name) if name in STAGE_NAMES else name for name in nodes], "x": x, "y": y,
              "pad": 14, "thickness": 14, "line": {"color": "#555", "width": 0.4},
              "color": [NODE_COLOURS[kind_of.get(name, "flow")] for name in nodes],
              "hovertemplate": "%{label}: %{value} pure<extra></extra>"},
        link={"source": [index[s] for s, _, _, _ in chart_links], "target": [index[t] for _, t, _, _ in chart_links],
              "value": [kg for _, _, kg, _ in chart_links],
              "color": [COLOURS[kind] for _, _, _, kind in chart_links],
              "hovertemplate": "%{source.label} → %{target.label}: %{value} pure<extra></extra>"}))
    figure.update_layout(
        title={"text": f"Where the fentanyl went in {year}: pure (fentanyl-equivalent) kg, mean over replicates",
               "x": 0.01, "font": {"size": 15}},
        font={"size": 12}, height=520, margin={"l": 10, "r": 10, "t": 50, "b": 10}, paper_bgcolor="white")
    return figure


def _two_lines(name: str) -> str:
    """A stage's label on two lines (it sits between two stages, where a narrow page leaves little room)."""
    words = name.split(" ")
    half = max(1, len(words) // 2)
    return " ".join(words[:half]) + "<br>" + " ".join(words[half:])


def _positions(nodes: list[str], chart_links) -> tuple[list[float], list[float]]:
    """Stages left to right on the main flow; every end (seizures, consumption, then stocks) in the right
    column, stacked in the order they leave the flow, so no label sits on another."""
    ends = [name for name in nodes if name not in STAGE_NAMES and name not in (FROM_STOCK, TO_STOCK)]
    ends += [TO_STOCK] if TO_STOCK in nodes else []
    size = {name: sum(kg for _, target, kg, _ in chart_links if target == name) for name in ends}
    total = sum(size.values()) or 1.0
    gap = 0.04
    scale = (0.98 - gap * (len(ends) - 1)) / total
    y_end, top = {}, 0.01
    for name in ends:
        y_end[name] = top + scale * size[name] / 2
        top += scale * size[name] + gap
    x, y = [], []
    for name in nodes:
        if name in STAGE_NAMES:
            x.append(0.001 + STAGE_STEP * STAGE_NAMES.index(name))
            y.append(0.62)
        elif name == FROM_STOCK:
            x.append(0.001)
            y.append(0.05)
        else:
            x.append(0.999)
            y.append(y_end[name])
    return x, y
