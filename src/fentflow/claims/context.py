"""What the claim checks share: the baseline run (made once, on first use), observed series, conversions."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import pandas as pd

from fentflow.claims.rules import Band
from fentflow.errors import InputError
from fentflow.observed.conversions import DEFAULT_SEED as CONVERSION_SEED
from fentflow.observed.conversions import Conversion, convert
from fentflow.observed.series import LAST_DATA_YEAR, load_series

log = logging.getLogger(__name__)

BASELINE_START, BASELINE_END = "2015-01-01", f"{LAST_DATA_YEAR}-12-31"   # history: the bundled data's years


class ClaimContext:
    """Inputs for claim checks. Nothing runs until a check asks: a check that needs only public
    data and conversions costs no simulation, and all checks share one baseline run.

    `replicates` (default `DEFAULT_REPLICATES`, as every command) runs that many replicates with
    different random and parameter draws, so model figures come with a 5-95% band.
    `parameters` is "calibrated" (the default, as every command), "defaults", a posterior path or
    a `fentflow.sim.sources` source.
    """

    def __init__(self, world=None, seed: int = 0, replicates: int | None = None, parameters=None) -> None:
        from fentflow.sim.sources import CALIBRATED, DEFAULT_REPLICATES, parameter_source

        replicates = DEFAULT_REPLICATES if replicates is None else replicates
        if replicates < 1:
            raise InputError(f"replicates must be at least 1, got {replicates}", field="replicates")
        self.world = world
        self.seed = int(seed)
        self.replicates = int(replicates)
        self.parameters = parameter_source(CALIBRATED if parameters is None else parameters)

    @functools.cached_property
    def baseline(self):
        """The baseline simulation, 2015-2023, run."""
        from fentflow.sim.engine import Sim  # deferred: checks on public data need no simulator

        log.info("claims: running the baseline %s to %s (seed %d, %d replicates)",
                 BASELINE_START, BASELINE_END, self.seed, self.replicates)
        sim = Sim(self.world, parameters=self.parameters, replicates=self.replicates, start=BASELINE_START,
                  end=BASELINE_END, seed=self.seed)
        sim.run()
        return sim

    @functools.cached_property
    def observables(self) -> dict[str, pd.DataFrame]:
        from fentflow.sim.observables import all_observables

        return all_observables(self.baseline.results, self.baseline.net)

    @staticmethod
    def observed(name: str) -> pd.DataFrame:
        return load_series(name)

    @staticmethod
    def convert(expression: str, year: int) -> Conversion:
        """A conversion with the fixed default seed, so the claims table is reproducible."""
        return _convert(expression, year)

    def model_band(self, observable: str, value: str, where: Callable[[pd.DataFrame], pd.Series] | None = None
                   ) -> Band:
        """Sum `value` over the observable's rows selected by `where`, per replicate, as a band.

        For a share (one row per replicate and year) select one year: the sum is then the share.
        """
        table = self.observables[observable]
        if where is not None:
            table = table[where(table)]
        per_replicate = table.groupby("replicate")[value].sum(min_count=1)
        return Band.of(per_replicate.reindex(range(self.replicates)).to_numpy())


@functools.cache
def _convert(expression: str, year: int) -> Conversion:
    return convert(expression, year=year, seed=CONVERSION_SEED)
