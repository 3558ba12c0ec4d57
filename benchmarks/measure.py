"""What every benchmark shares: timing with warm-up and medians, the measurement record, targets.

Timings on a shared machine are noisy, so every figure is a median of repeats after a
warm-up, and every comparison (fentflow vs Mesa, 1 vs 2 workers) is measured in one run.
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class Measurement:
    """One row of the table: a measured figure beside its target."""
    name: str
    figure: float
    unit: str
    target: float
    higher_is_better: bool
    detail: str = ""
    data: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.figure >= self.target if self.higher_is_better else self.figure <= self.target

    @property
    def factor(self) -> float:
        """How far from the target, as a factor >= 1 when missed (< 1 is the margin when met)."""
        if self.figure <= 0:
            return float("inf")
        return self.target / self.figure if self.higher_is_better else self.figure / self.target

    def verdict(self) -> str:
        if self.passed:
            return "PASS"
        return f"MISS x{self.factor:.2f}" if self.factor < 10 else f"MISS x{self.factor:.0f}"

    def as_dict(self) -> dict:
        return {"name": self.name, "figure": self.figure, "unit": self.unit, "target": self.target,
                "higher_is_better": self.higher_is_better, "passed": self.passed, "factor": self.factor,
                "detail": self.detail, "data": self.data}


def seconds(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def median_seconds(fn: Callable[[], object], repeats: int, warmup: int = 1,
                   budget: float = float("inf")) -> tuple[float, list[float]]:
    """Median wall time of up to `repeats` calls after `warmup` untimed ones; also every timing.

    Stops repeating once the timed calls have taken `budget` seconds (long runs are less noisy).
    """
    for _ in range(warmup):
        fn()
    times = [seconds(fn)]
    while len(times) < repeats and sum(times) < budget:
        times.append(seconds(fn))
    return statistics.median(times), times


@lru_cache(maxsize=1)
def world():
    """The bundled world, loaded once per process (loading is not what we measure)."""
    import fentflow as ff
    return ff.World.load()
