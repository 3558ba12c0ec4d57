"""The static risk map (matplotlib PNG): states by level, Gi* hot spots outlined, crossings and entry points."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")   # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from fentflow.risk.hotspots import HOT  # noqa: E402
from fentflow.risk.method import LEVEL_COLOURS, LEVELS  # noqa: E402
from fentflow.risk.plotly_map import LAT_RANGE, LON_RANGE, MARKERS, default_title  # noqa: E402

DPI = 150
MATPLOTLIB_MARKERS = {"triangle-up": "^", "diamond": "D", "square": "s"}


def write_png(assessment, path: str | Path) -> Path:
    """Draw the map and save it to `path`; return the path."""
    table = assessment.table().set_index("abbr")
    shapes = assessment.shapes.set_index("abbr")
    colours = table["level"].astype(str).map(LEVEL_COLOURS)
    figure, ax = plt.subplots(figsize=(10, 7))
    shapes.plot(ax=ax, color=colours.reindex(shapes.index).tolist(), edgecolor="#555555", linewidth=0.5)
    hot = table.index[table["hotspot"] == HOT]
    if len(hot):
        shapes.loc[hot].boundary.plot(ax=ax, color="black", linewidth=1.8)
    _markers(ax, assessment.world)
    ax.set_xlim(*LON_RANGE)
    ax.set_ylim(*LAT_RANGE)
    ax.set_axis_off()
    ax.set_title(default_title(assessment), loc="left", fontsize=12)
    ax.legend(handles=_legend(len(hot) > 0), loc="lower left", fontsize=8, frameon=True)
    figure.text(0.01, 0.01, "fentflow risk index (docs/risk.md): hazard (homicide rate, conflict) x exposure "
                "(production, transit, precursor entry). Homicides: SESNSP where observed.", fontsize=7, color="#444")
    path = Path(path)
    figure.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return path


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
        handles.append(Patch(facecolor="none", edgecolor="black", linewidth=1.8, label="Gi* hot spot"))
    labels = {"port": "U.S. land port of entry", "between": "Border Patrol sector", "entry": "precursor entry point"}
    for layer, (symbol, colour) in MARKERS.items():
        handles.append(Line2D([], [], marker=MATPLOTLIB_MARKERS[symbol], color=colour, linestyle="none",
                              markersize=6, label=labels[layer]))
    return handles
