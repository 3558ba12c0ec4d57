"""The rules that turn numbers into verdicts, each a small pure function with known-value tests.

Every claim check states which rule it used (the `rule` text of its row) and with which
tolerance. The rules:

- `inside`: a figure inside an interval (e.g. DEA's lethal doses inside the conversion's 90%
  interval). A claim of "more than X" is a lower bound: it is consistent when X does not exceed
  the interval's top; "less than X" when X is not below its bottom.
- `within_factor`: two figures within a factor of each other (ratio in [1/f, f]).
- `band_contains`: a public figure inside the model's 5-95% band over replicates, widened by
  a factor (counts, masses) or by plus/minus an absolute amount (shares). With one replicate
  the band is the single value, so the widening is the whole tolerance.
- `ranges_overlap`: a claimed range (e.g. "10-15%") overlapping a reference range.
- `count_plausible`: a recorded count of events at one place (e.g. 22 of 26 lab seizures in
  Sinaloa) not in the model's upper tail: the binomial probability of at least that many,
  with the model's share of the events there, is at least `TAIL_ALPHA`.
- `poisson_range`: the central 90% range of a count of rare events (raids) whose expected
  number is a model figure; a recorded count inside it is consistent.
- `margin_verdict`: a paired margin (e.g. deaths averted by one lever minus another's), by its
  90% interval: above zero consistent, below zero inconsistent; straddling zero is not
  checkable when the margin's sign is set by an `assumption` with no public source (the row
  then names the missing evidence), else inconsistent (the claimed "more than" is not shown).
  `combined_verdict` joins several: any inconsistent wins, then any not checkable.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from fentflow.claims.row import CONSISTENT, INCONSISTENT, NOT_CHECKABLE

# The default model has not been calibrated yet: within a factor of 1.5 separates "the right
# size" from "off". Calibration will tighten this; a check may state its own tolerance.
MODEL_FACTOR = 1.5
# Shares (e.g. of pills >= 2 mg): DEA's own two published 2021 values differ by 0.02.
SHARE_TOLERANCE = 0.05

# A recorded count in the model's upper 5% tail is called inconsistent with the model.
TAIL_ALPHA = 0.05

BOUNDS = ("exact", "lower", "upper")


@dataclass(frozen=True)
class Band:
    """A model quantity over replicates: median and 5%-95% band (all equal for one replicate)."""

    median: float
    p05: float
    p95: float
    n: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Band:
        array = np.asarray(list(values), dtype=float)
        array = array[np.isfinite(array)]
        if array.size == 0:
            return cls(math.nan, math.nan, math.nan, 0)
        p05, p50, p95 = np.percentile(array, [5, 50, 95])
        return cls(float(p50), float(p05), float(p95), int(array.size))

    def widened_by_factor(self, factor: float) -> tuple[float, float]:
        return self.p05 / factor, self.p95 * factor

    def widened_by(self, amount: float) -> tuple[float, float]:
        return self.p05 - amount, self.p95 + amount


def verdict(ok: bool) -> str:
    return CONSISTENT if ok else INCONSISTENT


def inside(value: float, low: float, high: float, bound: str = "exact") -> bool:
    """Is `value` compatible with [low, high]? bound says how the claim states it:
    "exact" (about X), "lower" (more than X) or "upper" (less than X)."""
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {BOUNDS}, not {bound!r}")
    if not all(math.isfinite(x) for x in (value, low, high)):
        return False
    if bound == "lower":
        return value <= high
    if bound == "upper":
        return value >= low
    return low <= value <= high


def within_factor(value: float, reference: float, factor: float) -> bool:
    """Is value / reference within [1/factor, factor]? Both must be positive."""
    if factor < 1:
        raise ValueError(f"factor must be >= 1, not {factor}")
    if not (value > 0 and reference > 0):
        return False
    return 1 / factor <= value / reference <= factor


def band_contains(band: Band, value: float, *, factor: float | None = None, plus_minus: float | None = None) -> bool:
    """Is the public `value` inside the model band widened by a factor or by +/- an amount?"""
    if (factor is None) == (plus_minus is None):
        raise ValueError("give exactly one of factor and plus_minus")
    low, high = band.widened_by_factor(factor) if factor is not None else band.widened_by(plus_minus)
    return inside(value, low, high)


def ranges_overlap(low: float, high: float, other_low: float, other_high: float) -> bool:
    """Do the closed ranges [low, high] and [other_low, other_high] share a point?"""
    return max(low, other_low) <= min(high, other_high)


def at_least_probability(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): the chance of k or more of n events at one place, if
    each falls there with probability p."""
    from scipy.stats import binom

    if not 0 <= k <= n or not 0 <= p <= 1:
        raise ValueError(f"need 0 <= k <= n and 0 <= p <= 1, not k={k}, n={n}, p={p}")
    return float(binom.sf(k - 1, n, p))


def count_plausible(k: int, n: int, p: float, alpha: float = TAIL_ALPHA) -> bool:
    """Is a record of k of n events at one place outside the model's upper `alpha` tail?"""
    return at_least_probability(k, n, p) >= alpha


def poisson_range(low_mean: float, high_mean: float, coverage: float = 0.90) -> tuple[int, int]:
    """Central `coverage` range of a Poisson count whose mean lies in [low_mean, high_mean]: from the
    lower quantile at the lowest mean to the upper quantile at the highest."""
    from scipy.stats import poisson

    tail = (1 - coverage) / 2
    return int(poisson.ppf(tail, low_mean)), int(poisson.ppf(1 - tail, high_mean))


def margin_verdict(low: float, high: float, sign_set_by_assumption: bool) -> str:
    """The verdict on "A does more than B" from the 90% interval [low, high] of A minus B, paired.

    Clear of zero either way, the interval decides. Straddling zero, the model cannot tell, and
    when what sets the sign is an unsourced assumption no public figure can settle it inside the
    model: not checkable. Straddling with every driver sourced, the claim is simply not shown."""
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise ValueError(f"need a finite interval low <= high, not [{low}, {high}]")
    if low > 0:
        return CONSISTENT
    if high < 0:
        return INCONSISTENT
    return NOT_CHECKABLE if sign_set_by_assumption else INCONSISTENT


def combined_verdict(verdicts: Iterable[str]) -> str:
    """One verdict for a claim that must hold in several comparisons: inconsistent if any is,
    else not checkable if any is, else consistent."""
    verdicts = list(verdicts)
    for worst in (INCONSISTENT, NOT_CHECKABLE):
        if worst in verdicts:
            return worst
    return CONSISTENT
