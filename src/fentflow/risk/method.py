"""The risk index's method, declared once: indicators, goalposts, weights, aggregation, levels.

Every number the index uses is here, with the reason for it; docs/risk.md explains the method
and `describe_method()` prints it. The sensitivity analysis perturbs exactly these numbers.

    risk = ((hazard + 1) ** w_hazard * (exposure + 1) ** w_exposure) - 1        (0-10)
    hazard   = weighted mean of the violence indicators' scores                  (0-10)
    exposure = weighted mean of the supply-chain activity indicators' scores     (0-10)
    score of an indicator = 10 * clip(log10(x / low) / log10(high / low), 0, 1)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

HAZARD, EXPOSURE = "hazard", "exposure"
SCALE_MAX = 10.0   # scores run 0-10, as INFORM's do


@dataclass(frozen=True)
class Indicator:
    """One input of the index: what it measures, its goalposts and its weight in its dimension."""

    name: str
    label: str            # short text for maps and driver lists
    dimension: str        # HAZARD or EXPOSURE
    unit: str
    low: float            # goalposts: at or below `low` scores 0, at or above `high` scores 10,
    high: float           # log-linear between (the inputs span orders of magnitude)
    weight: float         # weight within its dimension (weights of a dimension sum to 1)
    source: str
    why: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("homicide_rate", "homicide rate", HAZARD, "victims per 100,000", 1.0, 100.0, 0.5,
              "SESNSP victims of intentional homicide / CONAPO population where the year is observed "
              "(2015-2024); the model's simulated homicides otherwise",
              "Goalposts 1 and 100 per 100,000 span Mexico's states (Yucatán 1.4, Colima 118 in 2023); on the "
              "log scale 10 per 100,000, the level commonly called epidemic, scores 5."),
    Indicator("conflict_intensity", "conflict intensity", HAZARD, "rivalry-weighted pure kg/yr", 10.0, 10_000.0,
              0.5, "model: conflict_index (rivalry x remembered fentanyl flow), mean over the year",
              "The model's fentanyl-driven violence pressure: rivalry (1 - Herfindahl index of territorial "
              "control) x pure kg a year moving through the state. Same goalposts as the activity indicators."),
    Indicator("production", "production", EXPOSURE, "pure kg/yr", 10.0, 10_000.0, 1 / 3,
              "model: produced_kg of the state's production sites, summed over the year",
              "Pills and powder made in the state. 10 kg to 10 t covers the default world's states "
              "(Sinaloa about 6 t in 2023); three decades, one third of the scale each."),
    Indicator("transit", "transit", EXPOSURE, "pure kg/yr", 10.0, 10_000.0, 1 / 3,
              "model: fentanyl_flow_kg minus production and precursor entry (route legs leaving, crossing "
              "or ending at the border in the state), summed over the year",
              "Product on the move toward the border: what makes border and corridor states targets."),
    Indicator("precursor_entry", "precursor entry", EXPOSURE, "fentanyl-equivalent kg/yr", 10.0, 10_000.0, 1 / 3,
              "model: precursor_inflow_kg at the state's entry points (ports, airport), summed over the year",
              "Where precursors arrive (Manzanillo, Lázaro Cárdenas, ...): the control of ports is fought over "
              "(article claim C2)."),
)

DIMENSION_WEIGHTS: Mapping[str, float] = MappingProxyType({HAZARD: 0.5, EXPOSURE: 0.5})

LEVELS: tuple[str, ...] = ("Low", "Moderate", "High", "Very high", "Extreme")
# A score below CUT_POINTS[0] is Low, from CUT_POINTS[i] up to CUT_POINTS[i+1] is LEVELS[i+1].
# These are the fixed class boundaries of INFORM's risk index (2.0, 3.5, 5.0, 6.5 on 0-10).
CUT_POINTS: tuple[float, ...] = (2.0, 3.5, 5.0, 6.5)
LEVEL_COLOURS: Mapping[str, str] = MappingProxyType({
    "Low": "#ffffb2", "Moderate": "#fecc5c", "High": "#fd8d3c", "Very high": "#f03b20", "Extreme": "#bd0026",
})   # ColorBrewer YlOrRd-5: ordered, print- and colour-blind-friendly

DRIVER_COUNT = 2           # the main drivers listed per state
DRIVER_MIN_SCORE = 0.5     # an indicator scoring below this (of 10) is never called a driver


@dataclass(frozen=True)
class IndexMethod:
    """A complete, immutable set of the index's choices; `METHOD` is the documented default."""

    indicators: tuple[Indicator, ...] = INDICATORS
    dimension_weights: Mapping[str, float] = field(default_factory=lambda: DIMENSION_WEIGHTS)
    cut_points: tuple[float, ...] = CUT_POINTS
    levels: tuple[str, ...] = LEVELS

    def __post_init__(self) -> None:
        if len(self.levels) != len(self.cut_points) + 1:
            raise ValueError("there must be one more level than cut points")
        if list(self.cut_points) != sorted(self.cut_points):
            raise ValueError(f"cut points must increase: {self.cut_points}")
        if abs(sum(self.dimension_weights.values()) - 1.0) > 1e-9:
            raise ValueError(f"dimension weights must sum to 1: {dict(self.dimension_weights)}")
        for dimension in (HAZARD, EXPOSURE):
            total = sum(i.weight for i in self.in_dimension(dimension))
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"weights of the {dimension} indicators must sum to 1, not {total:g}")

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.indicators]

    def in_dimension(self, dimension: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.dimension == dimension)

    def with_weights(self, indicator_weights: Mapping[str, float], hazard_weight: float) -> IndexMethod:
        """A copy with other weights (those of each dimension are renormalised to sum to 1)."""
        indicators = []
        for dimension in (HAZARD, EXPOSURE):
            members = self.in_dimension(dimension)
            total = sum(indicator_weights.get(i.name, i.weight) for i in members)
            indicators += [replace(i, weight=indicator_weights.get(i.name, i.weight) / total) for i in members]
        order = {name: k for k, name in enumerate(self.names)}
        return replace(self, indicators=tuple(sorted(indicators, key=lambda i: order[i.name])),
                       dimension_weights=MappingProxyType({HAZARD: hazard_weight, EXPOSURE: 1.0 - hazard_weight}))


METHOD = IndexMethod()


def describe_method(method: IndexMethod = METHOD) -> list[str]:
    """The method as lines of text (for the CLI, the report and docs/risk.md)."""
    lines = [f"risk = ((hazard + 1)^{method.dimension_weights[HAZARD]:g} x (exposure + 1)^"
             f"{method.dimension_weights[EXPOSURE]:g}) - 1, on 0-10"]
    for i in method.indicators:
        lines.append(f"{i.dimension}: {i.name} (weight {i.weight:.3g}; {i.unit}; "
                     f"goalposts {i.low:g}-{i.high:g}, log scale)")
    bounds = ", ".join(f"{level} from {cut:g}" for level, cut in zip(method.levels[1:], method.cut_points))
    lines.append(f"levels: {method.levels[0]} below {method.cut_points[0]:g}, {bounds}")
    return lines
