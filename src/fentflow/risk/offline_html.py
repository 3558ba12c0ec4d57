"""Plotly figures in HTML that works with no network: plotly.js inline, no topojson download.

Plotly's geo subplots fetch a world topojson from a CDN when they first draw, and come out
blank offline, and fentflow's outputs must open without a network. Our maps draw the 32 states from their own GeoJSON and need no
base map, so we give plotly an empty topology under the name it would fetch, before plotly.js
loads; with every base layer off, nothing else is requested. Explicit lon/lat ranges (set by
the figures) stop plotly from fitting to a world it does not have.
"""
from __future__ import annotations

import functools
import html
import json

import plotly.graph_objects as go

TOPOJSON_NAME = "world_110m"      # plotly's name for scope "world" at resolution 110
EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


@functools.cache
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def plotly_head() -> str:
    """Two inline <script> elements: the empty geo assets, then plotly.js (order matters)."""
    assets = {"topojson": {TOPOJSON_NAME: EMPTY_TOPOLOGY}}
    return (f"<script>window.PlotlyGeoAssets = {json.dumps(assets)};</script>\n"
            f"<script>{plotly_js()}</script>")


def figure_div(figure: go.Figure, div_id: str) -> str:
    """The figure as a <div> and an inline script that draws it (needs `plotly_head()` in the page)."""
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG)


def standalone_page(title: str, body: str, style: str = "") -> str:
    """A complete HTML page with plotly inline: opens from disk with no network."""
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n{plotly_head()}\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
