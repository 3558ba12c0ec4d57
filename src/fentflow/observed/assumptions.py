"""The distributions behind unit conversions, by year: pill mass, fentanyl per pill, powder purity.

Figures come from the observed series (`dea_share_2mg`, `dea_purity`); the modelling choices
that turn them into distributions come from `data/conversion_assumptions.toml`, where each
one carries its reason. Constructions:

- **fentanyl per pill** (lognormal): DEA 2022's mean (2.4 mg) and share of pills with >= 2 mg
  (0.6) fix sigma; every year keeps that sigma and places the median so that P(>= 2 mg) equals
  DEA's share for the year.
- **powder purity** (beta): DEA's mean for the year, with a relative spread set in the TOML.
- **pill mass** (lognormal): gross mg per tablet, from a CBP seizure's count and weight.

Years between DEA figures are interpolated linearly; years outside them take the nearest figure.
The simulator can use these too (`YearAssumptions.mg_per_pill.share_at_least(2.0)`).
"""
from __future__ import annotations

import functools
import math
import numbers
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from statistics import NormalDist
from types import MappingProxyType

import numpy as np

from fentflow.errors import InputError
from fentflow.observed.series import load_series
from fentflow.units import DOSES_PER_PURE_KG, LETHAL_DOSE_MG

_STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True)
class LogNormal:
    """X with ln X ~ Normal(mu, sigma)."""

    mu: float
    sigma: float

    @classmethod
    def from_mean(cls, mean: float, sigma: float) -> LogNormal:
        return cls(math.log(mean) - sigma**2 / 2, sigma)

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    @property
    def median(self) -> float:
        return math.exp(self.mu)

    def quantile(self, q: float) -> float:
        return math.exp(self.mu + self.sigma * _STANDARD_NORMAL.inv_cdf(q))

    def share_at_least(self, x: float) -> float:
        return 1.0 - _STANDARD_NORMAL.cdf((math.log(x) - self.mu) / self.sigma)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.lognormal(self.mu, self.sigma, n)


@dataclass(frozen=True)
class Beta:
    """A fraction in (0, 1) with a beta(alpha, beta) distribution."""

    alpha: float
    beta: float

    @classmethod
    def from_mean_relative_sd(cls, mean: float, relative_sd: float) -> Beta:
        variance = (relative_sd * mean) ** 2
        concentration = mean * (1 - mean) / variance - 1
        if concentration <= 0:
            raise ValueError(f"relative sd {relative_sd} is too wide for a beta with mean {mean}")
        return cls(mean * concentration, (1 - mean) * concentration)

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def sd(self) -> float:
        total = self.alpha + self.beta
        return math.sqrt(self.alpha * self.beta / (total**2 * (total + 1)))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.beta(self.alpha, self.beta, n)


@dataclass(frozen=True)
class YearAssumptions:
    """Everything a conversion assumes for one year, with one plain-language line per topic."""

    year: int
    pill_mass_mg: LogNormal
    mg_per_pill: LogNormal
    powder_purity: Beta
    notes: Mapping[str, str]    # topic -> sentence: year, pill_mass, mg_per_pill, purity, dose, lot


def default_year() -> int:
    return int(_settings()["years"]["default"])


def assumptions_for(year: int | None = None) -> YearAssumptions:
    """The distributions for `year` (default: the TOML's default year, 2022)."""
    resolved = _resolve_year(year)
    return _assumptions_for_year(resolved, year is None)


@functools.cache
def _assumptions_for_year(year: int, is_default: bool) -> YearAssumptions:
    pill_mass, pill_mass_note = _pill_mass()
    mg_per_pill, mg_note = _mg_per_pill(year)
    purity, purity_note = _powder_purity(year)
    year_note = (f"year {year} (default: the latest year with DEA's mg-per-pill and purity figures)"
                 if is_default else f"year {year}")
    settings = _settings()
    notes = {
        "year": year_note,
        "pill_mass": pill_mass_note,
        "mg_per_pill": mg_note,
        "purity": purity_note,
        "dose": f"potentially lethal dose = {LETHAL_DOSE_MG:g} mg pure fentanyl (DEA convention: "
                f"1 kg = {DOSES_PER_PURE_KG:,.0f} doses; {settings['dose']['source_url']})",
        "lot": _one_line(settings["lot"]["note"]),
    }
    # Read-only: the result is cached and shared between callers.
    return YearAssumptions(year, pill_mass, mg_per_pill, purity, MappingProxyType(notes))


def _resolve_year(year: int | None) -> int:
    if year is None:
        return default_year()
    span = _settings()["years"]
    if not isinstance(year, numbers.Integral) or isinstance(year, bool):
        raise InputError(f"year must be a whole number, got {year!r}", field="year")
    if not span["first"] <= year <= span["last"]:
        raise InputError(f"year {year} is outside {span['first']}-{span['last']}", field="year")
    return int(year)


def _pill_mass() -> tuple[LogNormal, str]:
    spec = _settings()["pill_mass_mg"]
    distribution = LogNormal.from_mean(spec["mean"], spec["sigma_log"])
    note = (f"pill mass: lognormal, mean {distribution.mean:.0f} mg gross per tablet "
            f"({spec['confidence']}: {spec['basis']}; {spec['source_url']}), 90% within "
            f"{distribution.quantile(0.05):.0f}-{distribution.quantile(0.95):.0f} mg "
            f"(spread: {spec['spread_confidence']})")
    return distribution, note


def _mg_per_pill(year: int) -> tuple[LogNormal, str]:
    sigma = mg_per_pill_sigma()
    shares = _dea_shares()
    share, how = _interpolate(shares, year)
    distribution = LogNormal(math.log(LETHAL_DOSE_MG) + sigma * _STANDARD_NORMAL.inv_cdf(share), sigma)
    anchor = _settings()["mg_per_pill"]["anchor_year"]
    note = (f"fentanyl per pill: lognormal, mean {distribution.mean:.2f} mg, P(>= 2 mg) = {share:.2f} "
            f"(DEA share, {how}); sigma {sigma:.2f} fixed by DEA {anchor}'s mean "
            f"{_dea_mg_per_pill(anchor):g} mg and share {shares[anchor]:g}")
    return distribution, note


def _powder_purity(year: int) -> tuple[Beta, str]:
    relative_sd = _settings()["powder_purity"]["relative_sd"]
    mean, how = _interpolate(_dea_purities(), year)
    distribution = Beta.from_mean_relative_sd(mean, relative_sd)
    note = (f"powder purity: beta, mean {mean:.1%} (DEA, {how}), sd {relative_sd:.0%} of the mean "
            f"(an assumption: the relative spread of the pill-content fit)")
    return distribution, note


@functools.cache
def mg_per_pill_sigma() -> float:
    """Sigma of ln(mg per pill) such that the anchor year's mean and >= 2 mg share both hold.

    With ln X ~ N(mu, s): P(X >= 2) = p gives mu = ln 2 + s z_p, and E[X] = m gives
    mu + s^2/2 = ln m, so s^2/2 + z_p s - ln(m/2) = 0.
    """
    anchor = _settings()["mg_per_pill"]["anchor_year"]
    z_share = _STANDARD_NORMAL.inv_cdf(_dea_shares()[anchor])
    log_ratio = math.log(_dea_mg_per_pill(anchor) / LETHAL_DOSE_MG)
    return -z_share + math.sqrt(z_share**2 + 2 * log_ratio)


def _interpolate(points: Mapping[int, float], year: int) -> tuple[float, str]:
    """Value for `year` from yearly figures: exact, linear between, or nearest outside."""
    years = sorted(points)
    if year in points:
        return points[year], f"{year} figure"
    if year < years[0]:
        return points[years[0]], f"{year} held at the earliest figure ({years[0]})"
    if year > years[-1]:
        return points[years[-1]], f"{year} held at the latest figure ({years[-1]})"
    before = max(y for y in years if y < year)
    after = min(y for y in years if y > year)
    weight = (year - before) / (after - before)
    value = points[before] + weight * (points[after] - points[before])
    return value, f"{year} interpolated between {before} and {after}"


@functools.cache
def _dea_shares() -> dict[int, float]:
    frame = load_series("dea_share_2mg")
    return dict(zip(frame["year"].astype(int), frame["share"].astype(float), strict=True))


@functools.cache
def _dea_purities() -> dict[int, float]:
    frame = load_series("dea_purity").query("measure == 'powder_purity'")
    return dict(zip(frame["year"].astype(int), frame["value"].astype(float), strict=True))


def _dea_mg_per_pill(year: int) -> float:
    frame = load_series("dea_purity").query("measure == 'mg_per_pill' and year == @year")
    return float(frame["value"].iloc[0])


@functools.cache
def _settings() -> dict:
    path = resources.files(__package__).joinpath("data", "conversion_assumptions.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _one_line(text: str) -> str:
    return " ".join(text.split())
