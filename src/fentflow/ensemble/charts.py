"""PNG charts of a comparison: medians with 90% intervals of the paired differences.

- `differences.png`: deaths averted and the % change in kg consumed, kg seized and homicides.
- `displacement.png`: change in each CBP field office's and sector's share of attempted
  crossings, one panel per arm (the balloon effect: a surge's office down, its neighbours up).
- `states.png`: change in each Mexican state's share of fentanyl flow (the states that move most).
- `violence.png`: change in homicides by Mexican state (the states that move most).
- `deaths_by_year.png`: deaths averted year by year (effects that build up or erode).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from fentflow.ensemble.comparison import Comparison

DPI = 120
TOP_STATES = 10
PANELS = (("deaths", "diff", "deaths averted"), ("consumed_pure_kg", "pct", "pure kg consumed, % change"),
          ("seized_pure_kg", "pct", "pure kg seized, % change"), ("homicides_mx", "pct", "homicides in Mexico, % change"))
UP, DOWN = "#d95f02", "#1b9e77"


def write_charts(comparison: Comparison, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    charts = {"differences": _differences(comparison), "displacement": _displacement(comparison),
              "states": _states(comparison), "violence": _violence(comparison),
              "deaths_by_year": _deaths_by_year(comparison)}
    paths = []
    for name, figure in charts.items():
        path = folder / f"{name}.png"
        figure.savefig(path, dpi=DPI, metadata={"Software": None})
        paths.append(path)
    return paths


def _interval(ax, labels, median, low, high, color="#333333") -> None:
    """Horizontal points with 90% interval bars, one row per label, zero marked."""
    y = np.arange(len(labels))[::-1]
    ax.errorbar(median, y, xerr=[np.subtract(median, low), np.subtract(high, median)], fmt="o", color=color,
                ecolor=color, capsize=3)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.set_yticks(y, labels)


def _differences(comparison: Comparison) -> Figure:
    table = comparison.differences
    figure = Figure(figsize=(12, 1.2 + 0.45 * len(comparison.compared)), layout="constrained")
    axes = figure.subplots(1, len(PANELS), sharey=True)
    for ax, (metric, column, title) in zip(axes, PANELS):
        rows = table[table["metric"] == metric].set_index("arm").loc[comparison.compared]
        _interval(ax, rows.index, rows[f"{column}_p50"], rows[f"{column}_p05"], rows[f"{column}_p95"])
        ax.set_title(title, fontsize=10)
        if column == "diff":
            ax.set_xlabel("deaths averted (sum over the window)", fontsize=9)
            ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        else:
            ax.set_xlabel("% change vs the reference", fontsize=9)
    figure.suptitle(f"Paired differences vs {comparison.reference}, {_window(comparison)}: median and 90% "
                    f"interval over runs", fontsize=11)
    return figure


def _bars(ax, rows: pd.DataFrame, label_column: str, prefix: str) -> None:
    """Horizontal bars of the median change with 90% interval whiskers, one per place."""
    y = np.arange(len(rows))[::-1]
    median, low, high = (rows[f"{prefix}_{q}"].to_numpy() for q in ("p50", "p05", "p95"))
    ax.barh(y, median, color=np.where(median >= 0, UP, DOWN))
    ax.errorbar(median, y, xerr=[median - low, high - median], fmt="none", ecolor="#333333", capsize=2)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.set_yticks(y, rows[label_column])


def _per_arm(comparison: Comparison, rows_of, label_column: str, prefix: str, xlabel: str, title: str,
             height: float) -> Figure:
    arms = comparison.compared
    figure = Figure(figsize=(max(4.2 * len(arms), 8), height), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(arms), sharex=True))   # one scale: sizes compare across arms
    for ax, arm in zip(axes, arms):
        _bars(ax, rows_of(arm), label_column, prefix)
        ax.set_title(arm, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(5))    # long labels (-3,000) do not run into each other
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}")
    figure.suptitle(f"{title}, {_window(comparison)}\n{comparison.reference} -> arm, median and 90% interval "
                    f"over paired runs", fontsize=11)
    return figure


def _displacement(comparison: Comparison) -> Figure:
    table = comparison.displacement
    rows = table[table["level"].isin(["cbp_unit", "component"]) & (table["measure"] == "attempted crossings")]
    rows = rows.assign(label=np.where(rows["level"] == "component", "all " + rows["place"] + " crossings",
                                      rows["place"]))
    return _per_arm(comparison, lambda arm: rows[rows["arm"] == arm], "label", "change_pp", "percentage points",
                    "Change in share of attempted crossings by CBP field office / sector", 6)


def _states(comparison: Comparison) -> Figure:
    table = comparison.displacement
    states = table[table["level"] == "mx_state"]
    return _per_arm(comparison, lambda arm: _top(states[states["arm"] == arm], "change_pp_p50"), "place",
                    "change_pp", "percentage points", "Change in share of fentanyl flow by Mexican state", 4.5)


def _violence(comparison: Comparison) -> Figure:
    table = comparison.violence
    return _per_arm(comparison, lambda arm: _top(table[table["arm"] == arm], "change_p50"), "state",
                    "change", "homicides", "Change in homicides by Mexican state", 4.5)


def _deaths_by_year(comparison: Comparison) -> Figure:
    """From the year before the compared window (no lever yet: zero) to its end, so no span of flat zeros."""
    table = comparison.annual
    first, last = comparison.window
    deaths = table[(table["metric"] == "deaths") & table["year"].between(first - 1, last)]
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    ax = figure.subplots()
    for arm in comparison.compared:
        rows = deaths[deaths["arm"] == arm]
        line, = ax.plot(rows["year"], -rows["diff_p50"], marker="o", label=arm)
        ax.fill_between(rows["year"], -rows["diff_p95"], -rows["diff_p05"], color=line.get_color(), alpha=0.15)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_xticks(sorted(deaths["year"].unique()))
    ax.set_xlabel("calendar year")
    ax.set_ylabel(f"deaths averted vs {comparison.reference} (deaths per year)")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_title("Deaths averted by year (median and 90% interval over runs)")
    ax.legend(fontsize=8)
    return figure


def _top(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    order = rows[column].abs().sort_values(ascending=False, kind="stable").index[:TOP_STATES]
    return rows.loc[order]


def _window(comparison: Comparison) -> str:
    first, last = comparison.window
    return str(first) if first == last else f"{first}-{last}"
