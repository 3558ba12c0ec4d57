"""The mass-balance ledger, in pure (fentanyl-equivalent) kg per replicate.

    entered = seized + destroyed + consumed + stock + in transit

holds after every step to floating-point precision. Modules book every movement out of
the system here (compiled kernels add to `arrays` in place); stocks and goods in transit
are read from their owners at check time.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numba
import numpy as np

from fentflow.errors import LedgerError

RELATIVE_TOLERANCE = 1e-9
OUTFLOWS = ("seized", "destroyed", "consumed")


class LedgerArrays(NamedTuple):
    entered: np.ndarray    # (rep,) pure kg, running totals
    seized: np.ndarray
    destroyed: np.ndarray
    consumed: np.ndarray


class Ledger:
    def __init__(self, n_reps: int):
        self.arrays = LedgerArrays(*(np.zeros(n_reps) for _ in LedgerArrays._fields))
        self.entered = self.arrays.entered
        self.out = {name: getattr(self.arrays, name) for name in OUTFLOWS}
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

    def check(self, week: int, date: str, replicate_ids=None) -> None:
        held = self.stocks()
        accounted = sum(self.out.values()) + sum(held.values())
        broken = np.flatnonzero(_broken(self.entered, accounted))
        if broken.size:
            r = int(broken[0])
            self.fail(week, date, r, r if replicate_ids is None else replicate_ids[r])

    def fail(self, week: int, date: str, r: int, replicate: int | None = None) -> None:
        """Raise the error for a broken balance in `week`, in position `r` (replicate `replicate`, by its
        global index), with every part of the account."""
        held = self.stocks()
        accounted = sum(self.out.values()) + sum(held.values())
        gap = self.entered - accounted
        parts = ", ".join(f"{k} {v[r]:.6g}" for k, v in {**self.out, **held}.items())
        raise LedgerError(f"mass balance broken in week {week} ({date}), replicate {r if replicate is None else replicate}: "
                          f"entered {self.entered[r]:.6g} kg but accounted {accounted[r]:.6g} kg "
                          f"(gap {gap[r]:.3g} kg; {parts})")


def _broken(entered: np.ndarray, accounted: np.ndarray) -> np.ndarray:
    return np.abs(entered - accounted) > RELATIVE_TOLERANCE * np.maximum(1.0, entered)


@numba.njit(cache=True)
def first_broken(ledger, site_stock, in_transit, retail_stock):
    """The first replicate whose balance is broken (-1 if none), given the three stocks per replicate.

    Sums in the order `Ledger.check` makes them: outflows, then the stocks as registered."""
    for r in range(ledger.entered.size):
        accounted = ledger.seized[r] + ledger.destroyed[r] + ledger.consumed[r]
        accounted += site_stock[r] + in_transit[r] + retail_stock[r]
        if abs(ledger.entered[r] - accounted) > RELATIVE_TOLERANCE * max(1.0, ledger.entered[r]):
            return r
    return -1
