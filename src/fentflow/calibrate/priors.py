"""The calibrated parameters and their priors, read from the declarations in `sim/pars.py`.

Priors are declared once, beside each parameter (`Par.prior`). Calibration fits the
parameters of `FITTED`, chosen because the targets inform them or because the seizure share
depends on them; every other parameter keeps its default (docs/calibration.md lists both
sets and why). A `("loguniform", lo, hi)` prior is fitted on the log10 scale, where it is
uniform, so the ABC-SMC perturbation kernel moves it by factors, not by amounts.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from fentflow.errors import InputError
from fentflow.sim.pars import PAR_BY_NAME

FITTED: tuple[str, ...] = (
    # supply: the size and timing of the flow
    "supply_kg_week_2023", "supply_growth_to_2019", "supply_growth_2019_2021",
    "supply_growth_2021_2023",
    # crossing: detection at and between ports (the seizure share itself), load size
    "poe_detection_2019", "poe_detection_2023", "between_detection", "between_detection_2023", "between_ports_weight",
    "load_gross_median_kg", "load_gross_median_kg_2023",
    # gross <-> pure: what a pound of seized fentanyl holds
    "pill_share_2023", "powder_purity_2023", "pill_mg_median_2017", "pill_mg_median_2023",
    # routes: the field-office split
    "foreign_plaza_access", "plaza_access_exponent", "plaza_passage_share",
    # U.S. side: domestic seizures, use and mortality
    "domestic_seizure_rate", "need_mg_per_user_week", "overdose_hazard", "lethal_pill_hazard",
    # violence in Mexico
    "violence_baseline_share", "violence_flow_effect", "violence_national_effect",
    "violence_state_sd", "violence_state_drift",
)

LOG_PREFIX = "log10_"


@dataclass(frozen=True)
class FittedParameter:
    """One calibrated parameter: its name, the scale it is fitted on and its prior there."""

    name: str
    log_scale: bool
    low: float          # prior bounds on the fitting scale
    high: float

    @property
    def fit_name(self) -> str:
        """Its name inside pyABC (log10_<name> when fitted on the log scale)."""
        return LOG_PREFIX + self.name if self.log_scale else self.name

    def to_natural(self, value: float) -> float:
        return 10.0 ** value if self.log_scale else value

    def to_fit_scale(self, value: float) -> float:
        return math.log10(value) if self.log_scale else value

    @property
    def natural_bounds(self) -> tuple[float, float]:
        return self.to_natural(self.low), self.to_natural(self.high)


def fitted_parameters(names: Sequence[str] = FITTED) -> tuple[FittedParameter, ...]:
    """The calibrated parameters with their declared priors."""
    return tuple(_fitted(name) for name in names)


def _fitted(name: str) -> FittedParameter:
    par = PAR_BY_NAME.get(name)
    if par is None:
        raise InputError(f"unknown parameter {name!r} (see `fentflow params`)", field="parameters")
    kind, *bounds = par.prior
    if kind == "uniform":
        return FittedParameter(name, False, float(bounds[0]), float(bounds[1]))
    if kind == "loguniform":
        return FittedParameter(name, True, math.log10(bounds[0]), math.log10(bounds[1]))
    raise InputError(f"parameter {name!r} has a {kind!r} prior and cannot be calibrated", field="parameters")


def pyabc_prior(fitted: Sequence[FittedParameter]):
    """Independent uniform priors on the fitting scale (scipy's uniform takes loc and width)."""
    from fentflow.calibrate.box_prior import BoxPrior   # deferred: reading a posterior needs no pyABC

    return BoxPrior({p.fit_name: (p.low, p.high - p.low) for p in fitted})


def to_natural(fitted: Sequence[FittedParameter], theta: Mapping[str, float]) -> dict[str, float]:
    """A pyABC parameter (fitting scale) as simulator parameters (natural scale)."""
    return {p.name: p.to_natural(float(theta[p.fit_name])) for p in fitted}


def natural_columns(fitted: Sequence[FittedParameter], thetas: Sequence[Mapping[str, float]]) -> dict[str, np.ndarray]:
    """Many pyABC parameters as one array per simulator parameter (a batch for `Pars`)."""
    return {p.name: np.array([p.to_natural(float(theta[p.fit_name])) for theta in thetas]) for p in fitted}


def sample_prior(fitted: Sequence[FittedParameter], n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """`n` independent prior draws, natural scale (synthetic truths, prior-predictive checks)."""
    return {p.name: np.array([p.to_natural(v) for v in rng.uniform(p.low, p.high, n)]) for p in fitted}
