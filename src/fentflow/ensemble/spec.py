"""What a comparison is: its arms, runs, seeds, span, parameter source and report window.

Runs are numbered 0..runs-1 and simulated in *blocks* of `block_size` runs, each block one
vectorised simulation with a replicate per run (several runs advance together for speed).
Block b holds runs b*block_size .. (b+1)*block_size - 1. A run's random numbers are keyed by
the base seed and its run number (`sim/rng.py`), so its result never depends on the block,
the block size, the other runs computed with it or the worker.
Every arm uses the same blocks, seeds and parameter draws: arms differ only by their levers.

`fingerprint(arm)` hashes everything that changes an arm's numbers (levers, span, seed, block
size, parameter draws, world files, model code); the store keeps it in every run file and
recomputes any file whose fingerprint differs.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import fentflow
from fentflow.errors import InputError
from fentflow.policy.scenarios import Scenario
from fentflow.sim.anchor import common_year, counted
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START, Calendar
from fentflow.sim.sources import DEFAULT_REPLICATES, ParameterSource, parameter_source

DEFAULT_RUNS = DEFAULT_REPLICATES     # runs per arm: the count behind every interval
DEFAULT_BLOCK_SIZE = 10
MODEL_CODE = ("sim", "policy/interventions.py", "policy/places.py")    # code whose changes make stored runs stale


@dataclass(frozen=True)
class ComparisonSpec:
    arms: tuple[Scenario, ...]          # the first is the reference arm (usually `baseline`)
    runs: int = DEFAULT_RUNS
    seed: int = 0
    start: str = DEFAULT_START
    end: str = DEFAULT_END
    block_size: int = DEFAULT_BLOCK_SIZE
    parameters: ParameterSource = field(default_factory=parameter_source)   # the shipped calibration, as the CLI
    world_dir: str | None = None
    years: tuple[int, int] | None = None  # report window; default: first lever's year to the end

    def __post_init__(self):
        if len(self.arms) < 2:
            raise InputError("compare needs at least two scenarios: a reference arm and one to compare",
                             field="scenarios")
        names = [arm.name for arm in self.arms]
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate:
            raise InputError(f"scenario '{duplicate}' is given twice (arm names must differ)", field="scenarios")
        if self.runs < 1:
            raise InputError(f"runs must be at least 1, got {self.runs}", field="runs")
        if self.block_size < 1:
            raise InputError(f"block size must be at least 1, got {self.block_size}", field="block-size")
        if self.seed < 0:
            raise InputError(f"seed must be non-negative, got {self.seed}", field="seed")
        self._check_span()

    # The layout of runs -----------------------------------------------------------------
    @property
    def reference(self) -> Scenario:
        return self.arms[0]

    @property
    def n_blocks(self) -> int:
        return -(-self.runs // self.block_size)

    def runs_of_block(self, block: int) -> range:
        """The runs of block `block` (the last block may hold fewer than block_size)."""
        first = block * self.block_size
        return range(first, min(first + self.block_size, self.runs))

    @functools.cached_property
    def anchor_year(self) -> int | None:
        """The counted year every arm's violence is anchored on (`sim/anchor.py`); None when a lever of any
        arm acts before the anchor week, so that no arm is anchored and the pairs stay in step."""
        return common_year(self.arms, Calendar.between(self.start, self.end))

    @property
    def window(self) -> tuple[int, int]:
        """The calendar years the comparison reports on."""
        if self.years is not None:
            return self.years
        span_first, span_last = pd.Timestamp(self.start), pd.Timestamp(self.end)
        starts = [s for s in (arm.first_start() for arm in self.arms) if s is not None]
        first = min(max(min(starts), span_first), span_last) if starts else span_first
        return first.year, span_last.year

    # Identity -----------------------------------------------------------------------------
    def fingerprint(self, arm: Scenario) -> str:
        inputs = {"levers": arm.fingerprint(), "start": self.start, "end": self.end, "seed": self.seed,
                  "parameters": self.parameters.fingerprint(), "anchor": [self.anchor_year, counted(self.anchor_year)],
                  "world": world_fingerprint(self.world_dir), "model": model_fingerprint()}
        return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]

    def describe(self) -> dict:
        """The comparison as JSON-ready data (written to comparison.json)."""
        return {
            "fentflow_version": fentflow.__version__,
            "reference": self.reference.name,
            "arms": [{"name": arm.name, "title": arm.title, "source": arm.source,
                      "fingerprint": self.fingerprint(arm),
                      "interventions": [vars(i) | {"places": list(i.places)} for i in arm.interventions]}
                     for arm in self.arms],
            "runs": self.runs, "seed": self.seed, "start": self.start, "end": self.end,
            "block_size": self.block_size, "parameters": self.parameters.describe(),
            "world": self.world_dir or "bundled default", "window": list(self.window),
            "violence_anchored_on": self.anchor_year,
        }

    def _check_span(self) -> None:
        try:
            first, last = pd.Timestamp(self.start), pd.Timestamp(self.end)
        except (ValueError, TypeError):
            raise InputError(f"'{self.start}' or '{self.end}' is not a date", field="start") from None
        if last <= first:
            raise InputError(f"end {self.end} is not after start {self.start}", field="end")
        if self.years is not None:
            lo, hi = self.years
            if not first.year <= lo <= hi <= last.year:
                raise InputError(f"report years {lo}-{hi} must lie inside the simulated span "
                                 f"{first.year}-{last.year}", field="years")


def parse_years(text: str | None) -> tuple[int, int] | None:
    """'2025-2030' or '2027' -> (first, last)."""
    if text is None:
        return None
    parts = text.split("-")
    try:
        years = tuple(int(p) for p in parts)
    except ValueError:
        raise InputError(f"'{text}' is not a year or a range like 2025-2030", field="years") from None
    if len(years) not in (1, 2) or years[0] > years[-1]:
        raise InputError(f"'{text}' is not a year or a range like 2025-2030", field="years")
    return years[0], years[-1]


def world_fingerprint(world_dir: str | None) -> str:
    from fentflow.world import default_world_path

    return _directory_digest(str(Path(world_dir) if world_dir else default_world_path()), "*")


@functools.cache
def model_fingerprint() -> str:
    package = Path(fentflow.__file__).parent
    digests = [_directory_digest(str(package / part), "*.py") for part in MODEL_CODE]
    return hashlib.sha256("".join(digests).encode()).hexdigest()[:16]


@functools.cache
def _directory_digest(path: str, pattern: str) -> str:
    root = Path(path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob(pattern) if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root.parent)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
