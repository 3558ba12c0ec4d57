"""The mass-balance ledger, in pure (fentanyl-equivalent) kg per replicate.

    entered = seized + destroyed + consumed + stock + in transit

holds after every step to floating-point precision. Modules book every movement out of
the system here; stocks and goods in transit are read from their owners at check time.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fentflow.errors import LedgerError

RELATIVE_TOLERANCE = 1e-9
OUTFLOWS = ("seized", "destroyed", "consumed")


class Ledger:
    def __init__(self, n_reps: int):
        self.entered = np.zeros(n_reps)
        self.out = {name: np.zeros(n_reps) for name in OUTFLOWS}
        self._stocks: dict[str, Callable[[], np.ndarray]] = {}

    def enter(self, kg: np.ndarray) -> None:
        self.entered += kg

    def book(self, outflow: str, kg: np.ndarray) -> None:
        self.out[outflow] += kg

    def register_stock(self, name: str, read: Callable[[], np.ndarray]) -> None:
        """A module's stock (or goods in transit), read at every check."""
        self._stocks[name] = read

    def stocks(self) -> dict[str, np.ndarray]:
        return {name: read() for name, read in self._stocks.items()}

    def check(self, week: int, date: str) -> None:
        held = self.stocks()
        accounted = sum(self.out.values()) + sum(held.values())
        gap = self.entered - accounted
        tolerance = RELATIVE_TOLERANCE * np.maximum(1.0, self.entered)
        broken = np.flatnonzero(np.abs(gap) > tolerance)
        if broken.size:
            r = int(broken[0])
            parts = ", ".join(f"{k} {v[r]:.6g}" for k, v in {**self.out, **held}.items())
            raise LedgerError(f"mass balance broken in week {week} ({date}), replicate {r}: "
                              f"entered {self.entered[r]:.6g} kg but accounted {accounted[r]:.6g} kg "
                              f"(gap {gap[r]:.3g} kg; {parts})")
