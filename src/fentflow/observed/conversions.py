"""Convert between gross lb/kg of pills or powder, pill counts, pure kg and lethal doses.

    >>> from fentflow.observed.conversions import convert
    >>> result = convert("10.2 million pills", year=2022)
    >>> result.pure_kg.point, (result.pure_kg.p05, result.pure_kg.p95)

Identities that are exact stay exact (no sampling): lb <-> kg, pure kg <-> doses
(1 kg = 500,000 doses, DEA), a count of pills. Everything that depends on what a pill weighs,
how much fentanyl it holds or how pure a powder is comes from a seeded Monte Carlo over the
distributions in `fentflow.observed.assumptions`, reported as a point value (arithmetic with the
distributions' means) and the 5%, 50% and 95% quantiles of the draws.

Each quantity draws from its own random stream, named and derived from the seed, so two
conversions with the same seed share their draws (e.g. fentanyl per pill for "1,000 pills"
and for "10.2 million pills").
"""
from __future__ import annotations

import logging
import numbers
from dataclasses import dataclass

import numpy as np

from fentflow.errors import InputError
from fentflow.observed.amounts import Amount, parse_amount
from fentflow.observed.assumptions import YearAssumptions, assumptions_for
from fentflow.sim.rng import named_stream
from fentflow.units import DOSES_PER_PURE_KG, KG_PER_LB, MG_PER_KG

__all__ = ["Amount", "Conversion", "Estimate", "convert", "parse_amount",
           "DEFAULT_SEED", "DEFAULT_DRAWS"]

logger = logging.getLogger(__name__)

DEFAULT_SEED = 20_220_908   # the last day of DEA's 2022 surge; any fixed value would do
DEFAULT_DRAWS = 20_000
MIN_DRAWS, MAX_DRAWS = 100, 10_000_000


@dataclass(frozen=True)
class Estimate:
    """A quantity: a point value and the 5%, 50%, 95% quantiles (all equal when exact)."""

    point: float
    p05: float
    p50: float
    p95: float

    @classmethod
    def exact(cls, value: float) -> Estimate:
        return cls(value, value, value, value)

    @classmethod
    def from_draws(cls, point: float, draws: np.ndarray) -> Estimate:
        p05, p50, p95 = np.percentile(draws, [5, 50, 95])
        return cls(float(point), float(p05), float(p50), float(p95))

    @property
    def is_exact(self) -> bool:
        return self.p05 == self.p95 == self.point

    def scaled(self, factor: float) -> Estimate:
        return Estimate(self.point * factor, self.p05 * factor, self.p50 * factor, self.p95 * factor)


@dataclass(frozen=True)
class Conversion:
    """The result of converting one amount. Quantities that the input does not determine are None
    (a mass of powder says nothing about pills; a pure mass nothing about gross weight)."""

    amount: Amount
    year: int
    pure_kg: Estimate
    doses: Estimate
    pills: Estimate | None
    gross_kg: Estimate | None
    gross_lb: Estimate | None
    assumptions: tuple[str, ...]
    seed: int
    draws: int

    def quantities(self) -> dict[str, Estimate | None]:
        """The quantities in display order, keyed by name."""
        return {"gross_lb": self.gross_lb, "gross_kg": self.gross_kg, "pills": self.pills,
                "pure_kg": self.pure_kg, "doses": self.doses}


def convert(expression: str | Amount, year: int | None = None, seed: int = DEFAULT_SEED,
            draws: int = DEFAULT_DRAWS) -> Conversion:
    """Convert an amount ("13000 lb pills", "10.2 million pills", "980 lb powder", "2 kg pure",
    "36 million doses" or an `Amount`) into gross weight, pills, pure kg and lethal doses.

    Each figure comes with a 90% interval from `draws` draws of the year's assumptions (pill
    mass, mg per pill, purity; `fentflow data` lists their sources); the same seed gives the
    same numbers. Example::

        c = ff.convert("13000 lb pills", year=2023)
        c.pure_kg                     # Estimate(point=141.5, p05=65.7, p50=131.9, p95=264.2)
        c.quantities()                # gross_lb, gross_kg, pills, pure_kg, doses (None where undetermined)
        c.assumptions                 # what each draw assumed, with sources

    An expression that does not parse raises `ff.InputError` saying what is understood.
    """
    amount = expression if isinstance(expression, Amount) else parse_amount(expression)
    _check_draws(draws)
    _check_seed(seed)
    assumed = assumptions_for(year)
    sampler = _Sampler(assumed, seed, draws)
    result = _CONVERTERS[amount.form](amount, sampler)
    logger.debug("converted %s (year %d, seed %d, %d draws)", amount, assumed.year, seed, draws)
    return result


class _Sampler:
    """Draws for one conversion; each quantity from its own named stream of the seed."""

    def __init__(self, assumed: YearAssumptions, seed: int, draws: int) -> None:
        self.assumed = assumed
        self.seed = seed
        self.draws = draws

    def _stream(self, name: str) -> np.random.Generator:
        return named_stream(self.seed, name)

    def pill_mass_mg(self) -> np.ndarray:
        return self.assumed.pill_mass_mg.sample(self._stream("pill_mass"), self.draws)

    def mg_per_pill(self) -> np.ndarray:
        return self.assumed.mg_per_pill.sample(self._stream("mg_per_pill"), self.draws)

    def powder_purity(self) -> np.ndarray:
        return self.assumed.powder_purity.sample(self._stream("powder_purity"), self.draws)

    def notes(self, *topics: str) -> tuple[str, ...]:
        return tuple(self.assumed.notes[topic] for topic in topics)


def _from_pills(amount: Amount, sampler: _Sampler) -> Conversion:
    pills, pill_draws, gross_kg = _pills_and_gross_kg(amount, sampler)
    mg_per_pill = sampler.assumed.mg_per_pill
    pure_kg = Estimate.from_draws(pills.point * mg_per_pill.mean / MG_PER_KG,
                                  pill_draws * sampler.mg_per_pill() / MG_PER_KG)
    notes = sampler.notes("year", "pill_mass", "mg_per_pill", "dose", "lot")
    return _conversion(amount, sampler, pure_kg, pills=pills, gross_kg=gross_kg, notes=notes)


def _pills_and_gross_kg(amount: Amount, sampler: _Sampler) -> tuple[Estimate, np.ndarray, Estimate]:
    """Pill count and gross kg, one of them exact (the input), the other through the pill mass."""
    mean_mg = sampler.assumed.pill_mass_mg.mean
    mass_draws_mg = sampler.pill_mass_mg()
    if amount.is_mass:
        pill_draws = amount.kg * MG_PER_KG / mass_draws_mg
        pills = Estimate.from_draws(amount.kg * MG_PER_KG / mean_mg, pill_draws)
        return pills, pill_draws, Estimate.exact(amount.kg)
    gross_kg = Estimate.from_draws(amount.amount * mean_mg / MG_PER_KG,
                                   amount.amount * mass_draws_mg / MG_PER_KG)
    return Estimate.exact(amount.amount), np.full(sampler.draws, amount.amount), gross_kg


def _from_powder(amount: Amount, sampler: _Sampler) -> Conversion:
    purity = sampler.assumed.powder_purity
    pure_kg = Estimate.from_draws(amount.kg * purity.mean, amount.kg * sampler.powder_purity())
    notes = sampler.notes("year", "purity", "dose", "lot")
    return _conversion(amount, sampler, pure_kg, gross_kg=Estimate.exact(amount.kg), notes=notes)


def _from_pure(amount: Amount, sampler: _Sampler) -> Conversion:
    return _conversion(amount, sampler, Estimate.exact(amount.kg), notes=sampler.notes("dose"))


def _from_doses(amount: Amount, sampler: _Sampler) -> Conversion:
    pure_kg = Estimate.exact(amount.amount / DOSES_PER_PURE_KG)
    return _conversion(amount, sampler, pure_kg, doses=Estimate.exact(amount.amount),
                       notes=sampler.notes("dose"))


_CONVERTERS = {"pills": _from_pills, "powder": _from_powder, "pure": _from_pure, "doses": _from_doses}


def _conversion(amount: Amount, sampler: _Sampler, pure_kg: Estimate, *, notes: tuple[str, ...],
                pills: Estimate | None = None, gross_kg: Estimate | None = None,
                doses: Estimate | None = None) -> Conversion:
    return Conversion(
        amount=amount,
        year=sampler.assumed.year,
        pure_kg=pure_kg,
        doses=doses if doses is not None else pure_kg.scaled(DOSES_PER_PURE_KG),
        pills=pills,
        gross_kg=gross_kg,
        gross_lb=_gross_lb(amount, gross_kg),
        assumptions=notes,
        seed=sampler.seed,
        draws=sampler.draws,
    )


def _gross_lb(amount: Amount, gross_kg: Estimate | None) -> Estimate | None:
    if gross_kg is None:
        return None
    if amount.unit == "lb":
        return Estimate.exact(amount.amount)   # the input itself, no round trip through kg
    return gross_kg.scaled(1 / KG_PER_LB)


def _check_draws(draws: int) -> None:
    if not isinstance(draws, numbers.Integral) or not MIN_DRAWS <= draws <= MAX_DRAWS:
        raise InputError(f"draws must be a whole number from {MIN_DRAWS:,} to {MAX_DRAWS:,}, "
                         f"got {draws!r}", field="draws")


def _check_seed(seed: int) -> None:
    if not isinstance(seed, numbers.Integral) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0, got {seed!r}", field="seed")
