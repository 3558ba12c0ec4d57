"""The mass-balance ledger, in pure (fentanyl-equivalent) kg per replicate.

    entered = seized + destroyed + consumed + stock + in transit

holds after every week to floating-point precision. Modules book every movement out of
the system here (compiled kernels add to `arrays` in place); the stocks and goods in transit
are summed once, by `fused.held`, at check time.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.errors import LedgerError
from fentflow.sim.kernels import kernel

RELATIVE_TOLERANCE = 1e-9
OUTFLOWS = ("seized", "destroyed", "consumed")


class LedgerArrays(NamedTuple):
    entered: np.ndarray    # (rep,) pure kg, running totals
    seized: np.ndarray
    destroyed: np.ndarray
    consumed: np.ndarray


class Ledger:
    """The running totals (`arrays`, booked by the kernels in place); the check itself is compiled
    (`first_broken`, called by the week in `fused.py` against the stocks it sums)."""

    def __init__(self, n_reps: int):
        self.arrays = LedgerArrays(*(np.zeros(n_reps) for _ in LedgerArrays._fields))
        self.entered = self.arrays.entered
        self.out = {name: getattr(self.arrays, name) for name in OUTFLOWS}

    def enter(self, kg: np.ndarray) -> None:
        self.entered += kg

    def book(self, outflow: str, kg: np.ndarray) -> None:
        self.out[outflow] += kg

    def fail(self, week: int, date: str, r: int, replicate: int, held: dict[str, np.ndarray]) -> None:
        """Raise the error for a broken balance in `week`, at position `r` of the batch (replicate
        `replicate`, by its global index), with every part of the account; `held` are the stocks."""
        accounted = sum(self.out.values()) + sum(held.values())
        gap = self.entered - accounted
        parts = ", ".join(f"{k} {v[r]:.6g}" for k, v in {**self.out, **held}.items())
        raise LedgerError(f"mass balance broken in week {week} ({date}), replicate {replicate}: "
                          f"entered {self.entered[r]:.6g} kg but accounted {accounted[r]:.6g} kg "
                          f"(gap {gap[r]:.3g} kg; {parts})")


@kernel
def first_broken(ledger, site_stock, in_transit, retail_stock):
    """The first replicate whose balance is broken (-1 if none), given the three stocks per replicate
    (`fused.STOCKS`): outflows summed first, then the stocks."""
    for r in range(ledger.entered.size):
        accounted = ledger.seized[r] + ledger.destroyed[r] + ledger.consumed[r]
        accounted += site_stock[r] + in_transit[r] + retail_stock[r]
        if abs(ledger.entered[r] - accounted) > RELATIVE_TOLERANCE * max(1.0, ledger.entered[r]):
            return r
    return -1
