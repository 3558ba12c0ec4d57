"""Interventions: scenario levers with a time window, a strength and optional places.

Each lever turns into a weekly multiplier (or additive share) per target that one process
module reads. Places are resolved by one rule (`places.py`): any place the world has, standing
for the lever's targets it holds (default: all of them). Strength semantics, per kind:

| kind | effect while active | strength range | acts on |
|---|---|---|---|
| port_inspection | port-of-entry detection x (1 + s) | 0-10 | ports of entry |
| between_enforcement | between-ports detection x (1 + s) | 0-10 | crossings between ports |
| precursor_control | precursor inflow x (1 - s), eroding as supply substitutes | 0-1 | entry points |
| raids | raid rate x (1 + s) | 0-20 | production sites |
| domestic_enforcement | domestic seizure rate x (1 + s) | 0-10 | U.S. markets |
| treatment | treatment entry rate x (1 + s) | 0-20 | U.S. markets |
| naloxone | share of fatal overdoses reversed + s x (what is left) | 0-1 | U.S. markets |
| potency_shock | mg per pill and powder purity x (1 + s) | -0.9-5 | - (national) |
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fentflow.errors import InputError
from fentflow.policy.places import TARGET, Places
from fentflow.sim.calendar import Calendar

STRENGTH_RANGE = {
    "port_inspection": (0.0, 10.0),
    "between_enforcement": (0.0, 10.0),
    "precursor_control": (0.0, 1.0),
    "raids": (0.0, 20.0),
    "domestic_enforcement": (0.0, 10.0),
    "treatment": (0.0, 20.0),
    "naloxone": (0.0, 1.0),
    "potency_shock": (-0.9, 5.0),
}
PLACED_KINDS = tuple(TARGET)     # every lever but the national potency shock acts on places


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
        window = self._window(iv)
        if iv.kind in TARGET:
            self._values[iv.kind][np.ix_(window, self.places.resolve(iv.kind, iv.places))] += iv.strength
        else:
            self._values[iv.kind][window] += iv.strength

    def _window(self, iv: Intervention) -> np.ndarray:
        starts = self._calendar.week_start
        begin, end = _date(iv.start, "start"), _date(iv.end, "end")
        if end < begin:
            raise InputError(f"window ends ({iv.end}) before it starts ({iv.start})", field="end")
        return np.flatnonzero((starts >= begin) & (starts <= end))


def _date(text: str, field_name: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(str(text))
    except (ValueError, TypeError):
        raise InputError(f"'{text}' is not a date", field=field_name) from None
