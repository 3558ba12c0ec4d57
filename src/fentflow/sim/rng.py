"""Common random numbers: one named stream per decision, seeded from the base seed and the name.

Streams never share state, so adding a draw to one decision leaves every other decision's
numbers unchanged, and two scenario arms with the same seed see the same dice wherever
their histories agree. Never use the global `np.random`.
"""
from __future__ import annotations

import zlib

import numpy as np


def named_stream(seed: int, name: str) -> np.random.Generator:
    """A fresh generator for decision `name` under `seed` (the same numbers every time)."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


class Streams:
    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        """The generator of decision `name` (created on first use)."""
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = named_stream(self.seed, name)
        return stream
