"""Interventions: scenario levers with a time window, a strength and optional places.

Each lever turns into a weekly multiplier (or additive share) per target that one process
module reads. The kinds, what a strength s does while active and its range are declared once in
`LEVER_KINDS`; what each acts on, and how a place name stands for those targets, is one rule in
`places.py`. `help(ff.Intervention)` prints the kinds as a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fentflow.errors import InputError
from fentflow.policy.places import COMPONENT, TARGET, TARGET_NAMES, Places
from fentflow.sim.calendar import Calendar


@dataclass(frozen=True)
class LeverKind:
    effect: str                 # what a strength s does while the lever is active
    low: float
    high: float


LEVER_KINDS: dict[str, LeverKind] = {
    "port_inspection": LeverKind("port-of-entry detection x (1 + s)", 0.0, 10.0),
    "between_enforcement": LeverKind("between-ports detection x (1 + s)", 0.0, 10.0),
    "precursor_control": LeverKind("precursor inflow x (1 - s), eroding as supply substitutes", 0.0, 1.0),
    "raids": LeverKind("raid rate x (1 + s)", 0.0, 20.0),
    "domestic_enforcement": LeverKind("domestic seizure rate x (1 + s)", 0.0, 10.0),
    "treatment": LeverKind("treatment entry rate x (1 + s)", 0.0, 20.0),
    "naloxone": LeverKind("share of fatal overdoses reversed + s x (what is left)", 0.0, 1.0),
    "potency_shock": LeverKind("mg per pill and powder purity x (1 + s)", -0.9, 5.0),
}
STRENGTH_RANGE = {kind: (lever.low, lever.high) for kind, lever in LEVER_KINDS.items()}
PLACED_KINDS = tuple(TARGET)     # every lever but the national potency shock acts on places


def acts_on(kind: str) -> str:
    """What a lever kind acts on, in words (`places.TARGET`); "-" for a national lever."""
    if kind in COMPONENT:
        return COMPONENT[kind][1]
    return TARGET_NAMES[TARGET[kind]] if kind in TARGET else "- (national)"


def lever_table() -> str:
    """The lever kinds as a Markdown table: kind, effect while active, strength range, what it acts on."""
    lines = ["| kind | effect while active | strength range | acts on |", "|---|---|---|---|"]
    lines += [f"| {kind} | {lever.effect} | {lever.low:g} to {lever.high:g} | {acts_on(kind)} |"
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
            raise InputError(f"{self.kind} acts nationally and takes no places", field="places")


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
    """Weekly lever values for a simulation: `levers[kind]` is (week, target) for a placed kind
    (`places.TARGET`: crossings, entry points, sites or markets), (week,) for the potency shock."""

    def __init__(self, calendar: Calendar, net, interventions: tuple[Intervention, ...] = ()):
        self._calendar = calendar
        self.places = Places.of(net)
        weeks = calendar.n_weeks
        self._values = {kind: np.zeros((weeks, self.places.sizes[TARGET[kind]])) if kind in TARGET
                        else np.zeros(weeks) for kind in STRENGTH_RANGE}
        for intervention in interventions:
            self._apply(intervention)

    def __getitem__(self, kind: str) -> np.ndarray:
        return self._values[kind]

    def _apply(self, iv: Intervention) -> None:
        window = lever_weeks(self._calendar, iv)
        if iv.kind in TARGET:
            self._values[iv.kind][np.ix_(window, self.places.resolve(iv.kind, iv.places))] += iv.strength
        else:
            self._values[iv.kind][window] += iv.strength


def lever_weeks(calendar: Calendar, iv: Intervention) -> np.ndarray:
    """The weeks of `calendar` a lever acts in: those that begin inside its window."""
    starts = calendar.week_start
    begin, end = _date(iv.start, "start"), _date(iv.end, "end")
    if end < begin:
        raise InputError(f"window ends ({iv.end}) before it starts ({iv.start})", field="end")
    return np.flatnonzero((starts >= begin) & (starts <= end))


def _date(text: str, field_name: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(str(text))
    except (ValueError, TypeError):
        raise InputError(f"'{text}' is not a date", field=field_name) from None
