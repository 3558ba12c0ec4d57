"""Run a paired comparison: plan what is missing, compute it, store it, summarise it.

    spec = ComparisonSpec(arms=(load_scenario("baseline"), load_scenario("port_surge")), runs=20)
    comparison = compare(spec, "out/compare", workers=2)
    comparison.differences                   # deaths averted etc., with 90% intervals

Resume: every run already in the store with the right fingerprint and an intact checksum is
reused; missing, corrupt or stale runs are computed (their whole block is simulated, only
they are written). Rerunning an interrupted comparison with the same arguments therefore
computes only what is missing, and gives the same numbers as an uninterrupted one.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fentflow.ensemble.comparison import MANIFEST, STORE_DIR, Comparison, read_manifest
from fentflow.ensemble.execute import execute
from fentflow.ensemble.run import BlockTask, make_task
from fentflow.ensemble.spec import ComparisonSpec
from fentflow.ensemble.store import RunStore, Status
from fentflow.errors import InputError
from fentflow.policy.scenarios import check_scenario
from fentflow.world.cache import load_world

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]     # (runs done, runs to do)


@dataclass
class Plan:
    tasks: list[BlockTask]
    stored: dict[tuple[str, int], pd.DataFrame]   # (arm, run) -> table read back
    missing: int
    repaired: int


SETTINGS = ("seed", "block_size", "parameters", "start", "end", "world")   # what makes every run of a store


def compare(spec: ComparisonSpec, out_dir: str | Path, *, workers: int = 2, scheduler: str | None = None,
            progress: Progress | None = None, overwrite: bool = False) -> Comparison:
    """Compute what the store lacks, then return the comparison (tables not yet written).

    A store made with other settings (seed, block size, parameters...) is an `InputError`
    unless `overwrite`: its runs are never replaced silently."""
    out = Path(out_dir)
    check_arms(spec)
    if not overwrite:
        refuse_other_settings(spec, out)
    store = RunStore(out / STORE_DIR)
    if store.clean_temporary():
        log.info("removed temporary files left by an interrupted comparison")
    plan = plan_runs(spec, store)
    log.info("%d of %d runs stored; computing %d in %d blocks", len(plan.stored),
             spec.runs * len(spec.arms), plan.missing, len(plan.tasks))
    _write_manifest(spec, out)
    computed = _compute(spec, store, plan, workers, scheduler, progress)
    tables = {**plan.stored, **_read_back(spec, store, computed)}
    runs = pd.concat([tables[key] for key in _all_keys(spec)], ignore_index=True)
    return Comparison(reference=spec.reference.name, arms=[arm.name for arm in spec.arms], window=spec.window,
                      runs=runs, description=spec.describe(), computed=len(computed), reused=len(plan.stored),
                      repaired=plan.repaired)


def check_arms(spec: ComparisonSpec) -> None:
    """Scenario places and windows against the world and the span, before anything runs."""
    from fentflow.sim.network import build_network

    net = build_network(load_world(spec.world_dir))
    for arm in spec.arms:
        check_scenario(arm, net, spec.start, spec.end)


def refuse_other_settings(spec: ComparisonSpec, out: Path) -> None:
    """The folder's comparison.json against this spec: other settings would overwrite its runs."""
    previous = read_manifest(out)
    if not previous:
        return
    now = spec.describe()
    changed = [f"{key} {previous[key]}, now {now[key]}" for key in SETTINGS
               if key in previous and previous[key] != now[key]]
    levers = {arm["name"]: arm.get("interventions") for arm in previous.get("arms", []) if isinstance(arm, dict)}
    changed += [f"the levers of arm '{arm['name']}'" for arm in now["arms"]
                if arm["name"] in levers and levers[arm["name"]] != arm["interventions"]]
    if changed:
        raise InputError(f"holds runs made with other settings ({'; '.join(changed)}); rerun with --overwrite to "
                         "replace them, or choose another --out", file=str(out))


def plan_runs(spec: ComparisonSpec, store: RunStore) -> Plan:
    """Check every stored run; one task per (arm, block) with anything missing."""
    tasks, stored, missing, repaired = [], {}, 0, 0
    for arm in spec.arms:
        fingerprint = spec.fingerprint(arm)
        for block in range(spec.n_blocks):
            needed = []
            for run in spec.runs_of_block(block):
                check = store.check(arm.name, run, fingerprint)
                if check.status is Status.OK:
                    stored[(arm.name, run)] = check.frame
                    continue
                if check.status is not Status.MISSING:
                    log.warning("%s: %s (%s); computing it again", store.path(arm.name, run), check.status.value,
                                check.reason)
                    store.discard(arm.name, run)
                    repaired += 1
                needed.append(run)
            if needed:
                tasks.append(make_task(spec, arm, block, tuple(needed)))
                missing += len(needed)
    return Plan(tasks, stored, missing, repaired)


def _compute(spec: ComparisonSpec, store: RunStore, plan: Plan, workers: int, scheduler: str | None,
             progress: Progress | None) -> set[tuple[str, int]]:
    fingerprints = {arm.name: spec.fingerprint(arm) for arm in spec.arms}
    computed: set[tuple[str, int]] = set()

    def keep(task: BlockTask, table: pd.DataFrame) -> None:
        for run, rows in table.groupby("run", sort=True):
            store.write(task.arm, int(run), rows, fingerprints[task.arm])
            computed.add((task.arm, int(run)))
        if progress:
            progress(len(computed), plan.missing)

    if progress:
        progress(0, plan.missing)
    execute(plan.tasks, keep, workers=workers, scheduler=scheduler)
    return computed


def _read_back(spec: ComparisonSpec, store: RunStore, keys: set[tuple[str, int]]) -> dict:
    """Fresh runs read back through the store's checks, so they are used exactly as a resumed run would be."""
    fingerprints = {arm.name: spec.fingerprint(arm) for arm in spec.arms}
    tables = {}
    for arm, run in sorted(keys):
        check = store.check(arm, run, fingerprints[arm])
        if check.status is not Status.OK:
            raise RuntimeError(f"{store.path(arm, run)} was just written but reads back {check.status.value}: "
                               f"{check.reason}")
        tables[(arm, run)] = check.frame
    return tables


def _all_keys(spec: ComparisonSpec) -> list[tuple[str, int]]:
    return [(arm.name, run) for arm in spec.arms for run in range(spec.runs)]


def _write_manifest(spec: ComparisonSpec, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).write_text(json.dumps(spec.describe(), indent=2) + "\n")
