"""Calibration charts (PNG): posterior marginals against their priors, seizure shares over time.

The posterior-predictive bands against each observed series are drawn by the fit check
(`fitcheck.write_fit_check`), so model-vs-data charts look the same everywhere.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from fentflow.calibrate.priors import FittedParameter
from fentflow.sim.pars import PAR_BY_NAME

COLUMNS = 4
MAX_TICKS = 4       # per marginal's x axis: more overlap at this panel width


def plot_marginals(posterior: pd.DataFrame, fitted: tuple[FittedParameter, ...], path: Path,
                   title: str = "Posterior marginals (bars) against the prior range (grey line); x axis in "
                                "each parameter's unit") -> Path:
    """One weighted histogram per calibrated parameter, on its prior's range and scale, saved to `path`."""
    marginals_figure(posterior, fitted, title).savefig(path, dpi=90)
    return path


def marginals_figure(posterior: pd.DataFrame, fitted: tuple[FittedParameter, ...], title: str = "") -> Figure:
    rows = math.ceil(len(fitted) / COLUMNS)
    figure = Figure(figsize=(3.2 * COLUMNS, 2.4 * rows + 0.6))
    figure.subplots_adjust(left=0.03, right=0.98, bottom=0.05, top=1 - 0.6 / (2.4 * rows + 0.6), hspace=0.8,
                           wspace=0.2)
    axes = figure.subplots(rows, COLUMNS, squeeze=False).ravel()
    weights = posterior["weight"].to_numpy(float)
    for ax, p in zip(axes, fitted):
        _marginal(ax, p, posterior[p.name].to_numpy(float), weights)
    for ax in axes[len(fitted):]:
        ax.set_visible(False)
    figure.suptitle(title, fontsize=11)
    return figure


def _marginal(ax, p: FittedParameter, values: np.ndarray, weights: np.ndarray) -> None:
    on_fit_scale = np.log10(values) if p.log_scale else values
    bins = np.linspace(p.low, p.high, 21)
    density, _ = np.histogram(on_fit_scale, bins=bins, weights=weights, density=True)
    ax.bar(bins[:-1], density, width=np.diff(bins), align="edge", color="tab:blue", alpha=0.7)
    ax.hlines(1 / (p.high - p.low), p.low, p.high, color="grey", linewidth=1.5)
    ax.set_title(p.name, fontsize=8)
    unit = PAR_BY_NAME[p.name].unit if p.name in PAR_BY_NAME else ""
    unit_text = "no unit" if unit in ("", "-") else unit
    ax.set_xlabel(f"{unit_text}, log scale" if p.log_scale else unit_text, fontsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(MAX_TICKS))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v, p.log_scale)))
    ax.tick_params(labelsize=6.5)
    ax.set_yticks([])


def _tick(value: float, log_scale: bool) -> str:
    """A tick in the parameter's own unit: natural values on a log axis."""
    natural = float(f"{10 ** value if log_scale else value:.2g}")
    return f"{natural:,.0f}" if abs(natural) >= 100 else f"{natural:g}"


LABEL_OFFSETS = ((3, 3), (3, -9), (-3, 3), (-3, -9))   # points: right-above, right-below, left-above, left-below


def label_points(ax, xs, ys, labels, fontsize: float = 6) -> int:
    """Label points without overlap: each label takes the first offset where it collides with no label
    placed before it, or is left out. Call after the axes' scales and limits are set; returns how many."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = ax.get_figure()
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    renderer = figure.canvas.get_renderer()
    placed = []
    for x, y, label in zip(xs, ys, labels):
        for dx, dy in LABEL_OFFSETS:
            text = ax.annotate(str(label), (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                               ha="left" if dx > 0 else "right")
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()
    return len(placed)


def plot_seizure_share(table: pd.DataFrame, path: Path) -> Path:
    """Median with 50% and 90% intervals, per year: overall and at ports of entry, pure and gross."""
    figure = Figure(figsize=(10, 4))
    figure.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.85, wspace=0.25)
    axes = figure.subplots(1, 2, sharey=True)
    for ax, measure in zip(axes, ("pure", "gross")):
        for component, color in (("all", "tab:blue"), ("port", "tab:orange")):
            rows = table[(table["measure"] == measure) & (table["component"] == component)].sort_values("year")
            years = rows["year"].to_numpy() + (0.08 if component == "port" else 0)
            ax.fill_between(years, rows["p05"], rows["p95"], color=color, alpha=0.15)
            ax.fill_between(years, rows["p25"], rows["p75"], color=color, alpha=0.3)
            ax.plot(years, rows["median"], color=color, marker="o",
                    label="overall" if component == "all" else "ports of entry")
        ax.axhline(0.10, color="black", linestyle="--", linewidth=0.8, label='"maybe 10 percent"')
        ax.set_xticks(sorted(table["year"].unique()))
        ax.set_title(f"by {measure} weight", fontsize=10)
        ax.set_xlabel("year")
        ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    axes[0].set_ylabel("share of what reached the border that was seized")
    axes[0].legend(fontsize=8, loc="upper left")
    figure.suptitle("Seizure share at the Southwest border: median, 50% and 90% intervals", fontsize=11)
    figure.savefig(path, dpi=100)
    return path
