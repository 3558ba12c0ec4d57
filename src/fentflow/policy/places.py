"""Where a lever acts: one rule resolves every place name a scenario may give.

A lever acts on one kind of *target*: inspection and enforcement at the border on crossings,
precursor controls on entry points, raids on production sites, domestic enforcement,
treatment and naloxone on U.S. markets (`TARGET`). A scenario may name any place the world
has, and the place stands for the targets it holds:

| place named | crossings | entry points | production sites | U.S. markets |
|---|---|---|---|---|
| a crossing id (`2506`) | itself | - | - | - |
| a CBP field office or Border Patrol sector | its crossings | - | - | - |
| a Mexican state (`SIN`, `BC`) | crossings on its border | its entry points | its sites | - |
| a production site (`SIN-CDS`) | - | - | itself | - |
| an entry point (`MANZANILLO`) | - | itself | - | - |
| a U.S. state (`AZ`) | crossings into it | - | - | its market |

Border levers keep to their component: port inspection acts on ports of entry, between-ports
enforcement on the ground between them. A place that holds none of its lever's targets is an
error, as is a name the world does not know. No places: every target of the lever.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from fentflow.errors import InputError

TARGET = {"port_inspection": "crossing", "between_enforcement": "crossing", "precursor_control": "entry",
          "raids": "site", "domestic_enforcement": "market", "treatment": "market", "naloxone": "market"}
TARGET_NAMES = {"crossing": "border crossings", "entry": "precursor entry points", "site": "production sites",
                "market": "U.S. markets"}
COMPONENT = {"port_inspection": (True, "ports of entry"),
             "between_enforcement": (False, "Border Patrol sectors (between ports)")}
_PLACES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Places:
    """Every place name of a world, what kind of place it is, and the targets it holds."""
    kind_of: dict[str, str]                       # name -> what it is ("a Mexican state", ...)
    holds: dict[str, dict[str, frozenset[int]]]   # name -> target kind -> indices
    sizes: dict[str, int]                         # target kind -> how many the world has
    is_port: np.ndarray                           # (crossing,)

    @classmethod
    def of(cls, net) -> "Places":
        """The places of a network, made once per network (a Sim per run would otherwise make them again)."""
        places = _PLACES.get(net)
        if places is None:
            places = _PLACES[net] = cls._made_of(net)
        return places

    @classmethod
    def _made_of(cls, net) -> "Places":
        places = cls({}, {}, {"crossing": len(net.crossings), "entry": len(net.entries), "site": len(net.sites),
                              "market": len(net.markets)}, np.asarray(net.crossing_is_port, bool))
        for i, crossing in enumerate(net.crossings):
            places._add(crossing, "a crossing", crossing=[i])
        for unit in dict.fromkeys(net.crossing_unit):
            what = "a CBP field office" if unit.endswith("Field Office") else "a Border Patrol sector"
            places._add(unit, what, crossing=[i for i, u in enumerate(net.crossing_unit) if u == unit])
        for k, state in enumerate(net.states):
            places._add(state, "a Mexican state", crossing=np.flatnonzero(net.crossing_state == k),
                        entry=np.flatnonzero(net.entry_state == k), site=np.flatnonzero(net.site_state == k))
        for i, site in enumerate(net.sites):
            places._add(site, "a production site", site=[i])
        for i, entry in enumerate(net.entries):
            places._add(entry, "a precursor entry point", entry=[i])
        for m, market in enumerate(net.markets):
            places._add(market, "a U.S. state", market=[m],
                        crossing=[i for i, s in enumerate(net.crossing_us_state) if s == market])
        return places

    def _add(self, name: str, what: str, **targets) -> None:
        if name in self.kind_of:
            raise ValueError(f"place name '{name}' is both {self.kind_of[name]} and {what}")
        self.kind_of[name] = what
        self.holds[name] = {kind: frozenset(int(i) for i in idx) for kind, idx in targets.items()}

    def resolve(self, lever: str, names: tuple[str, ...]) -> np.ndarray:
        """The indices of the targets `lever` acts on at `names` (all of them when no names are given).

        Raises InputError (field 'places') for an unknown name or a place with none of its targets."""
        kind = TARGET[lever]
        allowed = set(range(self.sizes[kind]))
        if lever in COMPONENT:
            allowed = set(np.flatnonzero(self.is_port == COMPONENT[lever][0]).tolist())
        if not names:
            return np.array(sorted(allowed), dtype=np.int64)
        chosen: set[int] = set()
        for name in names:
            if name not in self.kind_of:
                raise InputError(f"unknown place '{name}' (use a crossing id, a CBP field office or sector, a "
                                 "Mexican state, a production site, an entry point or a U.S. state)", field="places")
            hits = self.holds[name].get(kind, frozenset()) & allowed
            if not hits:
                wanted = COMPONENT[lever][1] if lever in COMPONENT else TARGET_NAMES[kind]
                raise InputError(f"{lever} acts on {wanted}, and '{name}' ({self.kind_of[name]}) has none",
                                 field="places")
            chosen |= hits
        return np.array(sorted(chosen), dtype=np.int64)
