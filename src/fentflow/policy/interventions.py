"""Interventions: scenario levers with a time window, a strength and optional places.

Each lever turns into a weekly multiplier (or additive share) that one process module reads.
The kinds, what a strength s does while active, its range and where it acts are declared once
in `LEVER_KINDS`; `help(ff.Intervention)` prints them as a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fentflow.errors import InputError
from fentflow.sim.calendar import Calendar


@dataclass(frozen=True)
class LeverKind:
    effect: str                 # what a strength s does while the lever is active
    low: float
    high: float
    places: str = "-"           # what `places` may name ("-": the lever takes none)


LEVER_KINDS: dict[str, LeverKind] = {
    "port_inspection": LeverKind("port-of-entry detection x (1 + s)", 0.0, 10.0,
                                 "crossing ids or CBP units (default: all ports)"),
    "between_enforcement": LeverKind("between-ports detection x (1 + s)", 0.0, 10.0,
                                     "crossing ids or sector names (default: all sectors)"),
    "precursor_control": LeverKind("precursor inflow x (1 - s), eroding as supply substitutes", 0.0, 1.0),
    "raids": LeverKind("raid rate x (1 + s)", 0.0, 20.0),
    "domestic_enforcement": LeverKind("domestic seizure rate x (1 + s)", 0.0, 10.0),
    "treatment": LeverKind("treatment entry rate x (1 + s)", 0.0, 20.0),
    "naloxone": LeverKind("share of fatal overdoses reversed + s x (what is left)", 0.0, 1.0),
    "potency_shock": LeverKind("mg per pill and powder purity x (1 + s)", -0.9, 5.0),
}
STRENGTH_RANGE = {kind: (lever.low, lever.high) for kind, lever in LEVER_KINDS.items()}
PLACED_KINDS = tuple(kind for kind, lever in LEVER_KINDS.items() if lever.places != "-")


def lever_table() -> str:
    """The lever kinds as a Markdown table: kind, effect while active, strength range, places."""
    lines = ["| kind | effect while active | strength range | places |", "|---|---|---|---|"]
    lines += [f"| {kind} | {lever.effect} | {lever.low:g} to {lever.high:g} | {lever.places} |"
              for kind, lever in LEVER_KINDS.items()]
    return "\n".join(lines)


@dataclass(frozen=True)
class Intervention:
    kind: str
    start: str
    end: str
    strength: float
    places: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if self.kind not in STRENGTH_RANGE:
            raise InputError(f"unknown intervention '{self.kind}' (known: {', '.join(STRENGTH_RANGE)})",
                             field="kind")
        lo, hi = STRENGTH_RANGE[self.kind]
        if not lo <= self.strength <= hi:
            raise InputError(f"strength {self.strength:g} outside [{lo:g}, {hi:g}] for {self.kind}",
                             field="strength")
        if self.places and self.kind not in PLACED_KINDS:
            raise InputError(f"{self.kind} takes no places", field="places")


Intervention.__doc__ = f"""A policy lever switched on from `start` to `end` (dates) with a `strength`.

Scenario files (`fentflow scenarios`) are lists of these. The kinds:

{lever_table()}

Example::

    surge = ff.Intervention("port_inspection", "2025-01-01", "2030-12-31", 1.0,
                            places=("San Diego Field Office",))       # detection x 2 at San Diego ports
    sim = ff.Sim(interventions=[surge, ff.Intervention("treatment", "2025-01-01", "2030-12-31", 2.0)])

An unknown kind, a strength out of range or places on a lever that takes none raise
`ff.InputError` naming the field.
"""


class Levers:
    """Weekly lever values for a simulation: `levers[kind]` is (week,) or (week, crossing)."""

    def __init__(self, calendar: Calendar, crossings: list[str], units: list[str], is_port: np.ndarray,
                 interventions: tuple[Intervention, ...] = ()):
        self._calendar = calendar
        self._crossings, self._units, self._is_port = crossings, units, is_port
        weeks = calendar.n_weeks
        self._values = {kind: np.zeros((weeks, len(crossings))) if kind in PLACED_KINDS else np.zeros(weeks)
                        for kind in STRENGTH_RANGE}
        for intervention in interventions:
            self._apply(intervention)

    def __getitem__(self, kind: str) -> np.ndarray:
        return self._values[kind]

    def _apply(self, iv: Intervention) -> None:
        window = self._window(iv)
        if iv.kind in PLACED_KINDS:
            columns = self._places(iv)
            self._values[iv.kind][np.ix_(window, columns)] += iv.strength
        else:
            self._values[iv.kind][window] += iv.strength

    def _window(self, iv: Intervention) -> np.ndarray:
        starts = self._calendar.week_start
        begin, end = _date(iv.start, "start"), _date(iv.end, "end")
        if end < begin:
            raise InputError(f"window ends ({iv.end}) before it starts ({iv.start})", field="end")
        return np.flatnonzero((starts >= begin) & (starts <= end))

    def _places(self, iv: Intervention) -> np.ndarray:
        wanted_port = iv.kind == "port_inspection"
        default = np.flatnonzero(self._is_port == wanted_port)
        if not iv.places:
            return default
        allowed = set(default.tolist())
        chosen = set()
        for place in iv.places:
            hits = {i for i, (c, u) in enumerate(zip(self._crossings, self._units)) if place in (c, u)}
            if not hits:
                raise InputError(f"unknown place '{place}' (use a crossing id or a CBP unit name)",
                                 field="places")
            if not hits & allowed:
                wanted = "ports of entry" if wanted_port else "Border Patrol sectors (between ports)"
                raise InputError(f"'{place}' is not among the {wanted} that {iv.kind} acts on", field="places")
            chosen.update(hits & allowed)
        return np.array(sorted(chosen), dtype=int)


def _date(text: str, field_name: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(str(text))
    except (ValueError, TypeError):
        raise InputError(f"'{text}' is not a date", field=field_name) from None
