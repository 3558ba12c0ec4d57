"""Step 5. U.S. distribution from the crossings to markets, and domestic (DEA-type) seizures.

What crosses at each crossing spreads to markets by a gravity model (population, distance
decay), so California and Arizona crossings feed the West first. Domestic enforcement seizes
a share of what arrives, pills and powder alike; what is left joins the retail stock.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim import load_kernels as kernels
from fentflow.sim.modules.base import Module
from fentflow.sim.modules.crossing import LETHAL_MG
from fentflow.sim.network import distribution_shares

# What a market holds, per form: the columns of the (rep, market, field) arrays.
FIELDS = ("pill_pure_kg", "pills", "pills_ge2mg", "powder_pure_kg", "powder_gross_kg")
PURE = [FIELDS.index("pill_pure_kg"), FIELDS.index("powder_pure_kg")]
MAX_SEIZURE_RATE = 0.95


class Distribution(Module):
    name = "distribution"

    def __init__(self, sim):
        super().__init__(sim)
        self.shares = distribution_shares(self.net, self.pars)   # (rep, crossing, market)
        self.delivered = np.zeros((self.n_reps, len(self.net.markets), len(FIELDS)))

    def declare_results(self) -> None:
        declare, markets = self.sim.results.declare, self.net.markets
        declare("arrived_pure_kg", "pure kg", "flow", "market", markets, "fentanyl reaching the market")
        declare("domestic_seized_pure_kg", "pure kg", "flow", "market", markets, "domestic seizures, pure")
        declare("domestic_seized_pills", "pills", "flow", "market", markets, "domestic seizures of pills")
        declare("domestic_seized_pills_ge2mg", "pills", "flow", "market", markets,
                "domestic seizures of pills with >= 2 mg")
        declare("domestic_seized_powder_gross_kg", "gross kg", "flow", "market", markets,
                "domestic seizures of powder, gross")

    def step(self, week: int) -> None:
        arrived = self._arrivals(self.sim.modules["crossing"].passed)
        rate = np.minimum(self.pars["domestic_seizure_rate"] * (1.0 + self.sim.levers["domestic_enforcement"][week]),
                          MAX_SEIZURE_RATE)
        seized = arrived * rate[:, None, None]
        self.delivered = arrived - seized
        seized_pure = seized[:, :, PURE].sum(axis=2)
        self.sim.ledger.book("seized", seized_pure.sum(axis=1))
        self.record("arrived_pure_kg", week, arrived[:, :, PURE].sum(axis=2))
        self.record("domestic_seized_pure_kg", week, seized_pure)
        for field in ("pills", "pills_ge2mg", "powder_gross_kg"):
            self.record(f"domestic_seized_{field}", week, seized[:, :, FIELDS.index(field)])

    def _arrivals(self, loads: dict[str, np.ndarray]) -> np.ndarray:
        """(rep, market, field) arriving this week from every crossing."""
        at_crossing = kernels.market_fields(loads["rep"], loads["crossing"], loads["form"], loads["gross_kg"],
                                            loads["pure_kg"], loads["pills"], loads["mg_per_pill"], LETHAL_MG,
                                            self.n_reps, len(self.net.crossings))   # (rep, crossing, field)
        return np.matmul(at_crossing.transpose(0, 2, 1), self.shares).transpose(0, 2, 1)  # (rep, market, field)
