"""The registry of claim checks: one function per claim, registered by a decorator.

A check is a function `(ClaimContext) -> list[ClaimRow]` in a module of this package named
`cNN_<topic>.py`; `@register("C8")` adds it. Modules with that name pattern are found and
imported automatically, so adding a claim is adding one file (see the package docstring).
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from fentflow.claims.context import ClaimContext
from fentflow.claims.row import ClaimRow, rows_frame
from fentflow.errors import InputError

Check = Callable[[ClaimContext], list[ClaimRow]]

CLAIM_ID = re.compile(r"C(\d+)")
CLAIM_MODULE = re.compile(r"c\d{2}_\w+")


@dataclass(frozen=True)
class Registered:
    id: str
    title: str
    check: Check


_REGISTRY: dict[str, Registered] = {}


def register(claim_id: str, title: str) -> Callable[[Check], Check]:
    """Register `check` as the check of claim `claim_id` ("C5") with a short title."""
    if not CLAIM_ID.fullmatch(claim_id):
        raise ValueError(f"claim ids look like 'C5', not {claim_id!r}")

    def decorate(check: Check) -> Check:
        previous = _REGISTRY.get(claim_id)
        if previous is not None and _origin(previous.check) != _origin(check):
            raise ValueError(f"claim {claim_id} is registered twice ({previous.check.__module__}, {check.__module__})")
        _REGISTRY[claim_id] = Registered(claim_id, title, check)
        return check

    return decorate


def _origin(check: Check) -> tuple[str, str]:
    """Where a check is defined: re-importing its module registers it again, harmlessly."""
    return check.__module__, check.__qualname__


def registered() -> list[Registered]:
    """The registered checks in claim order (C5 before C10)."""
    _import_claim_modules()
    return sorted(_REGISTRY.values(), key=lambda entry: int(CLAIM_ID.fullmatch(entry.id)[1]))


def claim_rows(context: ClaimContext | None = None, ids: Iterable[str] | None = None) -> list[ClaimRow]:
    """Run the checks (all, or those of `ids`) and return their rows in claim order."""
    context = context or ClaimContext()
    chosen = _select(registered(), ids)
    return [row for entry in chosen for row in entry.check(context)]


def claims_table(context: ClaimContext | None = None, ids: Iterable[str] | None = None, *,
                 world=None, seed: int = 0, replicates: int | None = None) -> pd.DataFrame:
    """The claims check as a table, one row per (claim, check); columns `TEXT_COLUMNS`.

    Pass a `ClaimContext` to share a baseline run, or `world`, `seed` and `replicates` to make one.
    """
    context = context or ClaimContext(world, seed=seed, replicates=replicates)
    return rows_frame(claim_rows(context, ids))


def _select(entries: list[Registered], ids: Iterable[str] | None) -> list[Registered]:
    if ids is None:
        return entries
    wanted = [claim_id.strip().upper() for claim_id in ids]
    known = {entry.id for entry in entries}
    unknown = [claim_id for claim_id in wanted if claim_id not in known]
    if unknown:
        raise InputError(f"no check for claim {unknown[0]!r}; checks exist for "
                         f"{', '.join(entry.id for entry in entries)}",
                         field="claim")
    return [entry for entry in entries if entry.id in wanted]


def _import_claim_modules() -> None:
    package = importlib.import_module(__package__)
    for info in pkgutil.iter_modules(package.__path__):
        if CLAIM_MODULE.fullmatch(info.name):
            importlib.import_module(f"{__package__}.{info.name}")
