"""The interactive risk map (plotly): states filled by level and labelled, Gi* hot spots outlined, hover
with level, score and drivers; U.S. crossings and Mexican precursor entry points as markers. A
scenario adds a map of the change.

Geo subplot with the states' own GeoJSON and every base layer off (see `offline_html`), a
Mercator projection and fixed lon/lat ranges around Mexico.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fentflow.risk.hotspots import HOT
from fentflow.risk.levels import score_text
from fentflow.risk.method import LEVEL_COLOURS, LEVELS

LON_RANGE, LAT_RANGE = (-118.8, -86.5), (14.3, 33.5)
OUTLINE = "#555555"
HOTSPOT_LINE = {"color": "black", "width": 2.6}
HOTSPOT_LABEL = "Gi* hot spot (p < 0.05)"
CHANGE_LIMIT = 1.0    # the change map's colour scale runs -1 to +1 score points (values beyond are clipped)
MARKERS = {   # layer -> (symbol, colour)
    "port": ("triangle-up", "#1f4e79"),
    "between": ("diamond", "#4a8c3f"),
    "entry": ("square", "#6a3d9a"),
}


def states_geojson(shapes) -> dict:
    """FeatureCollection with each feature's `id` = state abbreviation (plotly's default key)."""
    collection = json.loads(shapes[["abbr", "name", "geometry"]].to_json(drop_id=True))
    for feature in collection["features"]:
        feature["id"] = feature["properties"]["abbr"]
    return collection


def risk_figure(assessment, title: str | None = None) -> go.Figure:
    table = assessment.table()
    geojson = states_geojson(assessment.shapes)
    figure = go.Figure()
    for level in LEVELS:   # one trace per level, so the legend names the levels
        rows = table[table["level"].astype(str) == level]
        figure.add_trace(_level_trace(rows, level, geojson, scenario=assessment.arm is not None))
    figure.add_trace(hotspot_trace(assessment.shapes, table))
    figure.add_trace(label_trace(assessment.shapes, dark_states(table)))
    for trace in marker_traces(assessment.world):
        figure.add_trace(trace)
    figure.update_layout(**_layout(title or default_title(assessment)))
    return figure


def label_points(shapes) -> pd.DataFrame:
    """abbr, lon, lat: a point inside each state for its label (the PNG map uses the same points)."""
    points = shapes.geometry.representative_point()
    return pd.DataFrame({"abbr": shapes["abbr"].to_numpy(), "lon": points.x.to_numpy(), "lat": points.y.to_numpy()})


def dark_states(table: pd.DataFrame) -> set[str]:
    """States whose fill is dark enough for a white label (the two highest levels)."""
    return set(table.loc[table["level"].astype(str).isin(LEVELS[-2:]), "abbr"])


def label_trace(shapes, dark: set[str] = frozenset()) -> go.Scattergeo:
    """Each state's abbreviation at a point inside it; white on the states in `dark`."""
    points = label_points(shapes)
    colours = ["white" if abbr in dark else "#111111" for abbr in points["abbr"]]
    return go.Scattergeo(lon=points["lon"], lat=points["lat"], mode="text", text=points["abbr"],
                         textfont={"size": 9, "color": colours}, hoverinfo="skip", showlegend=False,
                         name="state labels")


def hotspot_trace(shapes, table: pd.DataFrame) -> go.Scattergeo:
    """The outlines of the Gi* hot spots, as lines (drawn over the fills, like the PNG map's)."""
    hot = set(table.loc[table["hotspot"] == HOT, "abbr"])
    lon, lat = [], []
    for geometry in shapes.loc[shapes["abbr"].isin(hot), "geometry"]:
        for ring in _rings(geometry.boundary):
            xs, ys = ring.xy
            lon += [*xs, None]
            lat += [*ys, None]
    return go.Scattergeo(lon=lon, lat=lat, mode="lines", line=HOTSPOT_LINE, name=HOTSPOT_LABEL,
                         hoverinfo="skip", legendgroup="levels", showlegend=bool(hot))


def _rings(boundary) -> list:
    return list(boundary.geoms) if hasattr(boundary, "geoms") else [boundary]


def change_figure(assessment) -> go.Figure | None:
    """Under a scenario: each state's change in score (scenario - baseline), diverging colours."""
    if assessment.arm is None:
        return None
    table = assessment.table()
    figure = go.Figure(go.Choropleth(
        geojson=states_geojson(assessment.shapes), locations=table["abbr"], z=table["score_change"],
        zmin=-CHANGE_LIMIT, zmax=CHANGE_LIMIT, colorscale="RdBu", reversescale=True,
        marker_line_color=OUTLINE, marker_line_width=0.6,
        colorbar={"title": {"text": "change in<br>score"}, "thickness": 14},
        customdata=np.column_stack([table["name"], table["baseline_score"].map(score_text),
                                    table["score"].map(score_text), table["baseline_level"].astype(str),
                                    table["level"].astype(str)]),
        hovertemplate=("<b>%{customdata[0]}</b><br>change in score %{z:+.2f}<br>"
                       "baseline %{customdata[1]} (%{customdata[3]})<br>"
                       "scenario %{customdata[2]} (%{customdata[4]})<extra></extra>"),
        name="change in score"))
    figure.add_trace(label_trace(assessment.shapes))
    scenario = assessment.arm.scenario
    figure.update_layout(**_layout(f"Change in risk score, {assessment.year}: scenario '{scenario.name}' "
                                   f"minus baseline"))
    return figure


def default_title(assessment) -> str:
    scenario = f", under scenario '{assessment.arm.scenario.name}'" if assessment.arm else ""
    return f"Fentanyl supply-chain risk by Mexican state, {assessment.year}{scenario}"


def _level_trace(rows: pd.DataFrame, level: str, geojson: dict, scenario: bool) -> go.Choropleth:
    columns = ["name", "level", "score", "hazard", "exposure", "drivers", "hotspot", "stability"]
    template = ("<b>%{customdata[0]}</b><br>level: <b>%{customdata[1]}</b> (score %{customdata[2]} of 10)"
                "<br>hazard %{customdata[3]:.1f} · exposure %{customdata[4]:.1f}"
                "<br>drivers: %{customdata[5]}<br>Gi*: %{customdata[6]}"
                "<br>level holds in %{customdata[7]:.0%} of weight/cut-point variants")
    if scenario:
        columns += ["score_change"]
        template += "<br>change vs baseline: %{customdata[8]:+.2f}"
    shown = rows[columns].astype(object).assign(score=rows["score"].map(score_text))
    custom = shown.to_numpy() if len(rows) else np.empty((0, len(columns)))
    return go.Choropleth(
        geojson=geojson, locations=rows["abbr"], z=np.zeros(len(rows)), zmin=0, zmax=1,
        colorscale=[[0, LEVEL_COLOURS[level]], [1, LEVEL_COLOURS[level]]], showscale=False,
        marker_line_color=OUTLINE, marker_line_width=0.6, name=level, showlegend=True, legendgroup="levels",
        legendgrouptitle_text="Risk level", customdata=custom, hovertemplate=template + "<extra></extra>")


def marker_traces(world) -> list[go.Scattergeo]:
    crossings = world.crossings
    traces = []
    for kind, label in (("port", "U.S. land port of entry"), ("between", "Border Patrol sector (between ports)")):
        rows = crossings[crossings["kind"] == kind]
        traces.append(_markers(rows, label, kind, rows["name"] + " (" + rows["unit"] + ")"))
    entries = world.entry_points
    traces.append(_markers(entries, "Precursor entry point (port, airport)", "entry",
                           entries["name"] + " (" + entries["kind"] + ")"))
    return traces


def _markers(rows: pd.DataFrame, label: str, layer: str, text: pd.Series) -> go.Scattergeo:
    symbol, colour = MARKERS[layer]
    return go.Scattergeo(lon=rows["lon"], lat=rows["lat"], mode="markers", name=label, text=text,
                         marker={"symbol": symbol, "size": 8, "color": colour,
                                 "line": {"width": 0.8, "color": "white"}},
                         hovertemplate="%{text}<extra>" + label + "</extra>", legendgroup="places",
                         legendgrouptitle_text="Places")


def _layout(title: str) -> dict:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 16}},
        "geo": {"visible": False, "scope": "world", "resolution": 110, "projection": {"type": "mercator"},
                "lonaxis": {"range": list(LON_RANGE)}, "lataxis": {"range": list(LAT_RANGE)},
                "bgcolor": "rgba(0,0,0,0)"},
        "margin": {"l": 0, "r": 0, "t": 40, "b": 0}, "height": 620,
        "legend": {"x": 0.01, "y": 0.02, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)",
                   "groupclick": "toggleitem"},
        "paper_bgcolor": "white",
    }
