"""A state's main drivers: the indicators that bring it the most weighted score points.

Contribution of indicator i = dimension weight x weight of i x score of i, as a share of the
state's total. The top `DRIVER_COUNT` indicators scoring at least `DRIVER_MIN_SCORE` are named,
each with its raw value, so a reader sees both why and how much.
"""
from __future__ import annotations

import pandas as pd

from fentflow.risk.method import DRIVER_COUNT, DRIVER_MIN_SCORE, IndexMethod

NO_DRIVER = "no indicator above its lower goalpost"


def main_drivers(contributions: pd.Series, count: int = DRIVER_COUNT) -> list[str]:
    """Names of the `count` indicators with the largest positive contributions, largest first."""
    ranked = contributions[contributions > 0].sort_values(ascending=False, kind="stable")
    return ranked.index[:count].tolist()


def driver_text(names: list[str], raw: pd.Series, scores: pd.Series, method: IndexMethod) -> str:
    by_name = {i.name: i for i in method.indicators}
    parts = [f"{by_name[n].label} {format_value(n, raw[n])} ({scores[n]:.1f})" for n in names
             if scores[n] >= DRIVER_MIN_SCORE]
    return "; ".join(parts) if parts else NO_DRIVER


def format_value(name: str, value: float) -> str:
    """A raw indicator value in words a reader knows: rates per 100k, masses in kg or t."""
    if name == "homicide_rate":
        return f"{value:.0f}/100k" if value >= 10 else f"{value:.1f}/100k"
    return f"{value / 1000:.1f} t" if value >= 1000 else f"{value:.0f} kg"
