"""Numbers as the claims table writes them: counts with separators, 3 significant figures, percents."""
from __future__ import annotations

import math

from fentflow.claims.rules import Band

_WORDS = ((1e9, " billion"), (1e6, " million"))


def count(value: float) -> str:
    """A whole number with thousands separators: 60,971."""
    return f"{value:,.0f}"


def sig(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant figures, in millions or billions when large: 141, 89,500, 70.7 million."""
    if not math.isfinite(value):
        return "n/a"
    for size, word in _WORDS:
        if abs(value) >= size:
            return sig(value / size, digits) + word
    if value == 0:
        return "0"
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, decimals)
    text = f"{rounded:,.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pct(share: float, decimals: int = 1) -> str:
    return "n/a" if not math.isfinite(share) else f"{100 * share:.{decimals}f}%"


def span(low: float, high: float, as_pct: bool = False) -> str:
    """A range as "low-high", in percent or with 3 significant figures: 9.6-11.3%, 22.8-97.3 million."""
    if as_pct:
        return f"{_percent_number(low)}-{_percent_number(high)}%"
    for size, word in _WORDS:
        if abs(low) >= size and abs(high) >= size:
            return f"{sig(low / size)}-{sig(high / size)}{word}"
    return f"{sig(low)}-{sig(high)}"


def band(value: Band, as_pct: bool = False, whole: bool = False) -> str:
    """A model band: the median alone for one replicate, else "median (5-95%: low-high)"."""
    one = pct if as_pct else (count if whole else sig)
    if value.n <= 1:
        return one(value.median)
    return f"{one(value.median)} (5-95% over {value.n} replicates: {one(value.p05)}-{one(value.p95)})"


def _percent_number(share: float) -> str:
    """A share in percent with one decimal, without a trailing ".0": 0.1 -> 10, 0.113 -> 11.3."""
    return f"{100 * share:.1f}".removesuffix(".0")
