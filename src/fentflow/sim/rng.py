"""Common random numbers: one named stream per decision, seeded from the base seed and the name.

Streams never share state, so adding a draw to one decision leaves every other decision's
numbers unchanged, and two scenario arms with the same seed see the same dice wherever
their histories agree. Never use the global `np.random`.
"""
from __future__ import annotations

import zlib

import numpy as np

from fentflow.sim.dice import die_of


def named_stream(seed: int, name: str) -> np.random.Generator:
    """A fresh generator for decision `name` under `seed` (the same numbers every time)."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


class Streams:
    """The streams of one simulation: as NumPy generators for Python code (`streams(name)`), or as
    dice for the compiled kernels (`streams.die(name)`, the same numbers; see `dice.py`).
    A decision's stream is drawn one way or the other, never both."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}
        self._dice: dict[str, np.ndarray] = {}

    def __call__(self, name: str) -> np.random.Generator:
        """The generator of decision `name` (created on first use)."""
        stream = self._streams.get(name)
        if stream is None:
            self._only_one_way(name, self._dice)
            stream = self._streams[name] = named_stream(self.seed, name)
        return stream

    def die(self, name: str) -> np.ndarray:
        """The die (PCG64 state words) of decision `name`, for compiled kernels (created on first use)."""
        die = self._dice.get(name)
        if die is None:
            self._only_one_way(name, self._streams)
            die = self._dice[name] = die_of(named_stream(self.seed, name))
        return die

    @staticmethod
    def _only_one_way(name: str, other: dict) -> None:
        if name in other:
            raise ValueError(f"stream {name!r} is drawn both by compiled kernels and from Python")
