"""The calibration's prior for pyABC: independent uniforms on a box (the fitting scale).

pyABC asks for the prior density of every accepted particle (its importance weight is prior
density / kernel density). `pyabc.Distribution.pdf` asks scipy's frozen uniform of each of the
27 parameters, about 60 µs a call in scipy's argument handling, some 7 s of the driver's CPU in
a default calibration. `BoxPrior.pdf` computes what those calls return, factor by factor and
multiplied in the same order: scipy's uniform density at x is 1.0 / width where (x - low) /
width lies in [0, 1], 0.0 outside it, nan at nan. So the weights, and the posterior, are
the same bit for bit (`tests/test_calibrate_parts.py` compares the two on the box's edges).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from functools import reduce

import pyabc


class BoxPrior(pyabc.Distribution):
    """`pyabc.Distribution` of independent `pyabc.RV("uniform", low, width)`, with a fast `pdf`."""

    def __init__(self, boxes: Mapping[str, tuple[float, float]]):
        super().__init__(**{name: pyabc.RV("uniform", low, width) for name, (low, width) in boxes.items()})
        self.boxes = dict(boxes)

    def pdf(self, x) -> float:
        if sorted(x.keys()) != sorted(self.boxes):
            raise ValueError(f"parameters {sorted(x.keys())} are not the prior's {sorted(self.boxes)}")
        return reduce(lambda s, t: s * t, (_uniform_density(value, *self.boxes[key]) for key, value in x.items()))

    def copy(self) -> BoxPrior:
        return BoxPrior(self.boxes)


def _uniform_density(value: float, low: float, width: float) -> float:
    """scipy.stats.uniform(low, width).pdf(value), as scipy computes it."""
    standardized = (value - low) / width
    if math.isnan(standardized):
        return math.nan
    return 1.0 / width if 0.0 <= standardized <= 1.0 else 0.0
