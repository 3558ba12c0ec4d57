"""Scenarios: named sets of interventions read from TOML files, validated with clear errors.

A scenario file switches levers on for a time window with a strength (see
`fentflow.policy.interventions` for what each strength means)::

    name = "port_surge"
    title = "Inspection surge at San Diego ports of entry"
    description = "..."
    assumptions = ["...", "..."]

    [[interventions]]
    kind = "port_inspection"
    start = "2025-01-01"
    end = "2030-12-31"
    strength = 1.0                         # detection x 2
    places = ["San Diego Field Office"]    # any place of the world (see policy/places.py)
    why = "..."                            # optional note

Bundled scenarios live in `policy/scenarios/*.toml`; `load_scenario` takes a bundled name or a
path. Every problem raises `InputError` naming the file and the field, e.g.
`port_surge.toml, field 'interventions[1].strength': strength 12 outside [0, 10]`.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError
from fentflow.policy.interventions import Intervention
from fentflow.policy.places import Places

BUNDLED_DIR = Path(__file__).with_suffix("")          # policy/scenarios/
SCENARIO_KEYS = {"name", "title", "description", "assumptions", "interventions"}
INTERVENTION_KEYS = {"kind", "start", "end", "strength", "places", "why"}
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class Scenario:
    """A named set of interventions with its title, description and assumptions (`load_scenario`)."""

    name: str
    title: str = ""
    description: str = ""
    assumptions: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    notes: tuple[str, ...] = ()          # the `why` of each intervention ("" where none)
    source: str = ""                     # the file it came from

    def fingerprint(self) -> str:
        """A hash of what changes results (the interventions), not of names or prose."""
        levers = [{"kind": i.kind, "start": i.start, "end": i.end, "strength": i.strength,
                   "places": list(i.places)} for i in self.interventions]
        return hashlib.sha256(json.dumps(levers, sort_keys=True).encode()).hexdigest()[:16]

    def first_start(self) -> pd.Timestamp | None:
        starts = [pd.Timestamp(i.start) for i in self.interventions]
        return min(starts) if starts else None


def bundled_names() -> list[str]:
    return sorted(path.stem for path in BUNDLED_DIR.glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by name (`port_surge`) or a scenario file by path.

    Example::

        surge = ff.load_scenario("port_surge")        # `fentflow scenarios` lists the bundled ones
        surge.title, surge.interventions               # what it changes, and when
        sim = ff.Sim(interventions=surge.interventions)
    """
    path = Path(name_or_path)
    if path.suffix != ".toml" and not path.exists():
        path = BUNDLED_DIR / f"{name_or_path}.toml"
        if not path.exists():
            raise InputError(f"no scenario '{name_or_path}': give a .toml file or one of "
                             f"{', '.join(bundled_names())}", field="scenario")
    if not path.is_file():
        raise InputError("scenario file not found", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); save it "
                         "as UTF-8", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", file=str(path)) from None
    return parse_scenario(text, source=str(path), default_name=path.stem)


def parse_scenario(text: str, source: str = "<scenario>", default_name: str = "scenario") -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=source) from None
    _reject_unknown(data, SCENARIO_KEYS, source, "")
    name = data.get("name", default_name)
    if not isinstance(name, str):
        raise InputError(f"name must be text, not {name!r}", file=source, field="name")
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(f"name '{name}' must be lower-case letters, digits, '_' or '-'", file=source, field="name")
    entries = data.get("interventions", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("interventions must be a list of [[interventions]] tables", file=source,
                         field="interventions")
    interventions = tuple(_intervention(entry, source, i) for i, entry in enumerate(entries, 1))
    return Scenario(name=name, title=str(data.get("title", "")), description=str(data.get("description", "")).strip(),
                    assumptions=tuple(str(a) for a in _as_list(data.get("assumptions", []), source, "assumptions")),
                    interventions=interventions, notes=tuple(str(e.get("why", "")) for e in entries), source=source)


def check_scenario(scenario: Scenario, net, start: str, end: str) -> None:
    """Check places against the world (`places.py`) and windows against the simulated span."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    places = Places.of(net)
    for i, iv in enumerate(scenario.interventions, 1):
        where = f"interventions[{i}]"
        if pd.Timestamp(iv.end) < first or pd.Timestamp(iv.start) > last:
            raise InputError(f"window {iv.start} to {iv.end} lies outside the simulated span {start} to {end}",
                             file=scenario.source, field=f"{where}.start")
        if iv.places:
            try:
                places.resolve(iv.kind, iv.places)
            except InputError as exc:
                raise InputError(exc.problem, file=scenario.source, field=f"{where}.places") from None


def _intervention(entry: dict, source: str, index: int) -> Intervention:
    where = f"interventions[{index}]"
    _reject_unknown(entry, INTERVENTION_KEYS, source, f"{where}.")
    for key in ("kind", "start", "end", "strength"):
        if key not in entry:
            raise InputError(f"missing '{key}'", file=source, field=f"{where}.{key}")
    start, end = _date(entry["start"], source, f"{where}.start"), _date(entry["end"], source, f"{where}.end")
    if end < start:
        raise InputError(f"window ends ({entry['end']}) before it starts ({entry['start']})",
                         file=source, field=f"{where}.end")
    strength = entry["strength"]
    if isinstance(strength, bool) or not isinstance(strength, (int, float)):
        raise InputError(f"strength must be a number, not {strength!r}", file=source, field=f"{where}.strength")
    places = tuple(str(p) for p in _as_list(entry.get("places", []), source, f"{where}.places"))
    if "places" in entry and not places:
        raise InputError("places is empty: list at least one place, or leave places out for everywhere",
                         file=source, field=f"{where}.places")
    try:
        return Intervention(str(entry["kind"]), str(start.date()), str(end.date()), float(strength), places)
    except InputError as exc:
        raise InputError(exc.problem, file=source, field=f"{where}.{exc.field}") from None


def _reject_unknown(data: dict, known: set[str], source: str, prefix: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"unknown key '{unknown[0]}' (known: {', '.join(sorted(known))})", file=source,
                         field=f"{prefix}{unknown[0]}")


def _as_list(value, source: str, field_name: str) -> list:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise InputError(f"expected a list, not {value!r}", file=source, field=field_name)
    return value


def _date(value, source: str, field_name: str) -> pd.Timestamp:
    try:
        when = pd.Timestamp(str(value))
    except (ValueError, TypeError, OverflowError):
        when = pd.NaT
    if when is pd.NaT or not 1900 <= when.year <= 2200:
        raise InputError(f"'{value}' is not a date (use YYYY-MM-DD)", file=source, field=field_name)
    return when


__all__ = ["Scenario", "bundled_names", "load_scenario", "parse_scenario", "check_scenario"]
