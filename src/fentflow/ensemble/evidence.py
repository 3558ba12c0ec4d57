"""The policy comparison behind claim rows C11 (precursor controls) and C12 (demand vs enforcement).

Where the comparison comes from, in order:

1. `FENTFLOW_CLAIMS_COMPARISON=DIR`: a `fentflow compare --out DIR` folder holding the arms
   below with `baseline` as reference (e.g. a large run made for the purpose); read, never
   simulated, every run file checked.
2. Otherwise a small comparison of the bundled scenarios below, as many runs as the claim
   context's replicates (`DEFAULT_REPLICATES` unless asked), over `CLAIM_SPAN` (2019-2030; the scenarios act from
   2025) with the context's seed, kept in a resumable store in the cache folder
   (`$FENTFLOW_CACHE`, else `$XDG_CACHE_HOME/fentflow`, else `~/.cache/fentflow`): the first
   check simulates (15-30 seconds on one core), later checks read it back in about a second;
   a change of model code, world or scenarios makes it recompute.

One comparison serves both claims and every check of one `ClaimContext`.

`sensitivity_comparison` runs some of the arms again with parameters fixed at other values (e.g.
C12's raids without the assumed capacity loss), same runs, seed and draws otherwise, cached the
same way; when the comparison is read from a folder there is none (None): it is not simulated.
"""
from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import weakref
from pathlib import Path

import numpy as np

from fentflow.ensemble import paired
from fentflow.ensemble.compare import compare
from fentflow.ensemble.comparison import Comparison
from fentflow.ensemble.lock import store_lock
from fentflow.ensemble.spec import ComparisonSpec
from fentflow.errors import InputError
from fentflow.policy.scenarios import load_scenario
from fentflow.sim.calendar import DEFAULT_END
from fentflow.sim.sources import WithFixed

log = logging.getLogger(__name__)

REFERENCE = "baseline"
CLAIM_ARMS = (REFERENCE, "precursor_crackdown", "precursor_crackdown_strong", "port_surge", "raids_tripled",
              "treatment")
# From 2019: the 2025-2030 differences match a 2015 start within a few tenths of a percent, in 60% of the time.
CLAIM_SPAN = ("2019-01-01", DEFAULT_END)
ENV_COMPARISON, ENV_CACHE = "FENTFLOW_CLAIMS_COMPARISON", "FENTFLOW_CACHE"

_BY_CONTEXT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SENSITIVITY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def policy_comparison(context) -> Comparison:
    """The comparison for this claim context (made or read once per context)."""
    if context not in _BY_CONTEXT:
        _BY_CONTEXT[context] = _from_folder() or _simulated(context)
    return _BY_CONTEXT[context]


def sensitivity_comparison(context, arms: tuple[str, ...], fixed: tuple[tuple[str, float], ...]
                           ) -> Comparison | None:
    """`REFERENCE` and `arms` with the parameters in `fixed` set to those values in every run, or None
    when the claims read their comparison from a folder (nothing is simulated then)."""
    if os.environ.get(ENV_COMPARISON):
        return None
    made = _SENSITIVITY.setdefault(context, {})
    key = (arms, fixed)
    if key not in made:
        made[key] = _simulated(context, (REFERENCE, *arms), WithFixed(context.parameters, fixed))
    return made[key]


def paired_sums(comparison: Comparison, metric: str, arm: str, years) -> tuple[np.ndarray, np.ndarray]:
    """A national metric summed over `years`, for the reference and `arm`, matched run by run."""
    values = paired.annual_values(comparison.runs, metric)[list(years)].sum(axis=1)
    return paired.paired_values(values, comparison.reference, arm)


def levers(comparison: Comparison, arm: str) -> list[dict]:
    """The interventions of an arm, as comparison.json records them."""
    return next(entry["interventions"] for entry in comparison.description["arms"] if entry["name"] == arm)


def cache_dir() -> Path:
    """The first of $FENTFLOW_CACHE, $XDG_CACHE_HOME/fentflow, ~/.cache/fentflow that is a writable folder,
    else a folder in the system's temporary directory (a cache may always be made again)."""
    chosen = [Path(os.environ[ENV_CACHE])] if os.environ.get(ENV_CACHE) else []
    if os.environ.get("XDG_CACHE_HOME"):
        chosen.append(Path(os.environ["XDG_CACHE_HOME"]) / "fentflow")
    with contextlib.suppress(RuntimeError, KeyError):   # no home directory at all
        chosen.append(Path.home() / ".cache" / "fentflow")
    for folder in chosen:
        if _writable_folder(folder):
            return folder
    fallback = Path(tempfile.gettempdir()) / f"fentflow-cache-{os.getuid()}"
    log.warning("no writable cache folder among %s; using %s", ", ".join(map(str, chosen)), fallback)
    return fallback


def _writable_folder(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def _from_folder() -> Comparison | None:
    folder = os.environ.get(ENV_COMPARISON)
    if not folder:
        return None
    log.info("claims C11/C12: reading the comparison in %s", folder)
    comparison = Comparison.load(folder, list(CLAIM_ARMS))
    if comparison.reference != REFERENCE:
        raise InputError(f"the comparison's reference arm is '{comparison.reference}', not '{REFERENCE}'",
                         file=folder)
    return comparison


def _simulated(context, arms: tuple[str, ...] = CLAIM_ARMS, parameters=None) -> Comparison:
    runs = context.replicates
    parameters = context.parameters if parameters is None else parameters
    world_dir = str(context.world.path) if context.world is not None else None
    spec = ComparisonSpec(arms=tuple(load_scenario(name) for name in arms), runs=runs, seed=context.seed,
                          start=CLAIM_SPAN[0], end=CLAIM_SPAN[1], block_size=runs, world_dir=world_dir,
                          parameters=parameters)
    subset = "" if arms == CLAIM_ARMS else "-" + "-".join(arms)
    folder = cache_dir() / f"claims-comparison{subset}-seed{context.seed}-runs{runs}-{parameters.fingerprint()}"
    log.info("claims C11/C12: comparing %s (%d runs) in %s", ", ".join(arms), runs, folder)
    with store_lock(folder, wait=True):     # a cache other processes share: the second reuses the first's runs
        return compare(spec, folder, workers=0, overwrite=True)   # a cache: other settings are simply redone
