"""The static risk map (matplotlib PNG): states by level and labelled, Gi* hot spots outlined, crossings and
entry points; under a scenario a second panel maps each state's change in score."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")   # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from fentflow.risk.hotspots import HOT  # noqa: E402
from fentflow.risk.method import LEVEL_COLOURS, LEVELS  # noqa: E402
from fentflow.risk.plotly_map import (CHANGE_LIMIT, HOTSPOT_LABEL, LAT_RANGE, LON_RANGE, MARKERS,  # noqa: E402
                                      dark_states, default_title, label_points)

DPI = 150
MATPLOTLIB_MARKERS = {"triangle-up": "^", "diamond": "D", "square": "s"}
PANEL_SIZE = (10, 7)


def write_png(assessment, path: str | Path) -> Path:
    """Draw the map (and the change panel under a scenario) and save it to `path`; return the path."""
    scenario = assessment.arm is not None
    width, height = PANEL_SIZE
    figure, axes = plt.subplots(1, 2 if scenario else 1, figsize=(width * (2 if scenario else 1), height),
                                squeeze=False, gridspec_kw={"wspace": 0.02})
    _levels_panel(axes[0, 0], assessment)
    if scenario:
        _change_panel(axes[0, 1], figure, assessment)
    figure.text(0.01, 0.01, footer(assessment), fontsize=7, color="#444")
    path = Path(path)
    figure.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return path


def footer(assessment) -> str:
    """The method in one line and where this year's homicide rate comes from (observed, or the model's)."""
    return ("fentflow risk index (docs/risk.md): hazard (homicide rate, conflict) x exposure (production, transit, "
            f"precursor entry). Homicide rate: {assessment.run.get('homicide_rate_from')}.")


def _levels_panel(ax, assessment) -> None:
    table = assessment.table().set_index("abbr")
    shapes = assessment.shapes.set_index("abbr")
    colours = table["level"].astype(str).map(LEVEL_COLOURS)
    shapes.plot(ax=ax, color=colours.reindex(shapes.index).tolist(), edgecolor="#555555", linewidth=0.5)
    hot = table.index[table["hotspot"] == HOT]
    if len(hot):
        shapes.loc[hot].boundary.plot(ax=ax, color="black", linewidth=1.8)
    _markers(ax, assessment.world)
    _frame(ax, default_title(assessment))     # limits first: the labels' overlap test measures on screen
    _labels(ax, assessment.shapes, dark=dark_states(assessment.table()))
    ax.legend(handles=_legend(len(hot) > 0), loc="lower left", fontsize=8, frameon=True)


def _change_panel(ax, figure, assessment) -> None:
    table = assessment.table().set_index("abbr")
    shapes = assessment.shapes.set_index("abbr").join(table["score_change"])
    norm = Normalize(-CHANGE_LIMIT, CHANGE_LIMIT)
    shapes.plot(ax=ax, column="score_change", cmap="RdBu_r", norm=norm, edgecolor="#555555", linewidth=0.5)
    bar = figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="RdBu_r"), ax=ax, orientation="horizontal",
                          shrink=0.5, pad=0.01, anchor=(0.6, 1.0))
    bar.set_ticks([-CHANGE_LIMIT, -CHANGE_LIMIT / 2, 0, CHANGE_LIMIT / 2, CHANGE_LIMIT])
    bar.set_label(f"change in score (points of 10; clipped at ±{CHANGE_LIMIT:g})", fontsize=8)
    _frame(ax, f"Change in risk score, {assessment.year}: scenario '{assessment.arm.scenario.name}' minus baseline")
    _labels(ax, assessment.shapes, dark=set())


def _frame(ax, title: str) -> None:
    ax.set_xlim(*LON_RANGE)
    ax.set_ylim(*LAT_RANGE)
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontsize=12)


def _labels(ax, shapes, dark: set) -> None:
    """Each state's abbreviation at a point inside it (white on the darkest fills), largest states first; a
    label that would overlap one already drawn is left out (the small central states: see the HTML map)."""
    renderer = ax.get_figure().canvas.get_renderer()
    extent = shapes.geometry.bounds    # the extent in degrees: enough to rank states by size
    size = ((extent["maxx"] - extent["minx"]) * (extent["maxy"] - extent["miny"])).to_numpy()
    points = label_points(shapes).assign(size=size).sort_values("size", ascending=False)
    placed = []
    for row in points.itertuples():
        text = ax.annotate(row.abbr, (row.lon, row.lat), ha="center", va="center", fontsize=6.5, zorder=4,
                           color="white" if row.abbr in dark else "#111111")
        box = text.get_window_extent(renderer)
        if any(box.overlaps(other) for other in placed):
            text.remove()
        else:
            placed.append(box)


def _markers(ax, world) -> None:
    crossings = world.crossings
    for layer, rows in (("port", crossings[crossings["kind"] == "port"]),
                        ("between", crossings[crossings["kind"] == "between"]), ("entry", world.entry_points)):
        symbol, colour = MARKERS[layer]
        ax.scatter(rows["lon"], rows["lat"], marker=MATPLOTLIB_MARKERS[symbol], s=22, color=colour,
                   edgecolor="white", linewidth=0.5, zorder=3)


def _legend(with_hotspots: bool) -> list:
    handles = [Patch(facecolor=LEVEL_COLOURS[level], edgecolor="#555555", label=level) for level in LEVELS]
    if with_hotspots:
        handles.append(Patch(facecolor="none", edgecolor="black", linewidth=1.8, label=HOTSPOT_LABEL))
    labels = {"port": "U.S. land port of entry", "between": "Border Patrol sector", "entry": "precursor entry point"}
    for layer, (symbol, colour) in MARKERS.items():
        handles.append(Line2D([], [], marker=MATPLOTLIB_MARKERS[symbol], color=colour, linestyle="none",
                              markersize=6, label=labels[layer]))
    return handles
