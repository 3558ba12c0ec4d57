"""A finished comparison: every run's tables, and the paired statistics computed from them."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fentflow.ensemble import paired
from fentflow.ensemble.store import RunStore, Status
from fentflow.errors import InputError

MANIFEST = "comparison.json"
STORE_DIR = "store"


@dataclass
class Comparison:
    reference: str
    arms: list[str]                  # every arm, the reference first
    window: tuple[int, int]
    runs: pd.DataFrame               # the long tables of every run (arm, run, table, place, year, metric, value)
    description: dict = field(default_factory=dict)   # what comparison.json holds
    computed: int = 0                # runs simulated by this call
    reused: int = 0                  # runs read back from the store
    repaired: int = 0                # runs found corrupt or stale and simulated again

    @property
    def compared(self) -> list[str]:
        """The arms compared with the reference."""
        return [arm for arm in self.arms if arm != self.reference]

    @functools.cached_property
    def totals(self) -> pd.DataFrame:
        return paired.national_totals(self.runs, self.window)

    @functools.cached_property
    def differences(self) -> pd.DataFrame:
        return paired.differences(self.totals, self.reference, self.compared)

    @functools.cached_property
    def displacement(self) -> pd.DataFrame:
        return paired.displacement(self.runs, self.window, self.reference, self.compared)

    @functools.cached_property
    def violence(self) -> pd.DataFrame:
        return paired.violence(self.runs, self.window, self.reference, self.compared)

    @functools.cached_property
    def annual(self) -> pd.DataFrame:
        return paired.annual(self.runs, self.reference, self.compared)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"differences": self.differences, "displacement": self.displacement, "violence": self.violence,
                "annual": self.annual}

    @classmethod
    def load(cls, out_dir: str | Path, arms: list[str] | None = None) -> Comparison:
        """A comparison written by `compare` (its comparison.json and store), without simulating.

        `arms` picks some arms (the reference is always kept). Every run file is checked: a
        missing, corrupt or stale one is an `InputError` (rerun `fentflow compare` to repair it).
        """
        out = Path(out_dir)
        manifest = read_manifest(out)
        if not manifest:
            raise InputError(f"no {MANIFEST} (not a `fentflow compare` output folder)", file=str(out))
        fingerprints = {arm["name"]: arm["fingerprint"] for arm in manifest["arms"]}
        wanted = _wanted_arms(manifest["reference"], list(fingerprints), arms, out)
        store = RunStore(out / STORE_DIR)
        frames = [_stored_run(store, arm, run, fingerprints[arm]) for arm in wanted for run in range(manifest["runs"])]
        return cls(reference=manifest["reference"], arms=wanted, window=tuple(manifest["window"]),
                   runs=pd.concat(frames, ignore_index=True), description=manifest, reused=len(frames))

    def difference(self, arm: str, metric: str) -> pd.Series:
        """One row of `differences` (e.g. arm 'treatment', metric 'deaths')."""
        table = self.differences
        return table[(table["arm"] == arm) & (table["metric"] == metric)].iloc[0]


def read_manifest(out_dir: str | Path) -> dict:
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read it ({exc}); rerun `fentflow compare` or remove the folder",
                         file=str(path)) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("arms", []), list):
        raise InputError("not a comparison manifest; rerun `fentflow compare` or remove the folder", file=str(path))
    return manifest


def _wanted_arms(reference: str, present: list[str], arms: list[str] | None, out: Path) -> list[str]:
    if arms is None:
        return present
    missing = [arm for arm in arms if arm not in present]
    if missing:
        raise InputError(f"the comparison has no arm '{missing[0]}' (it has {', '.join(present)})", file=str(out))
    return [arm for arm in present if arm == reference or arm in arms]


def _stored_run(store: RunStore, arm: str, run: int, fingerprint: str) -> pd.DataFrame:
    check = store.check(arm, run, fingerprint)
    if check.status is not Status.OK:
        raise InputError(f"run {run} of arm '{arm}' is {check.status.value} {check.reason}; rerun "
                         f"`fentflow compare` with the same arguments to repair it", file=str(store.path(arm, run)))
    return check.frame
