"""Common random numbers: every draw keyed by (seed, decision, replicate, unit).

A decision (raid, seizures, overdose, ...) gets one key per replicate, made from the base
seed, the decision's name and the replicate's *global* index (its run number in an ensemble),
never from its position in a batch. The compiled kernels turn a key and a unit (a (week,
place), or an event there such as a seized load) into a die (`dice.roll`). So:

- replicate k gives the same numbers alone, in a batch of any size, in any block, on any worker;
- adding a draw to one decision leaves every other decision's numbers unchanged;
- two scenario arms with the same seed see the same dice wherever their histories agree, week
  by week and place by place, even when a lever changes what crosses.

Python code draws from `Streams.generator(name, r)`, a NumPy generator of its own per
replicate. Never use the global `np.random`.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


def named_stream(seed: int, name: str) -> np.random.Generator:
    """A fresh generator for decision `name` under `seed` (the same numbers every time)."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


def decision_keys(seed: int, name: str, replicates: Sequence[int]) -> np.ndarray:
    """The keys of decision `name`, one pair of 64-bit words per replicate (by global index), (rep, 2)."""
    crc = zlib.crc32(name.encode("utf-8"))
    return np.array([np.random.SeedSequence([int(seed), crc, int(r)]).generate_state(2, np.uint64)
                     for r in replicates], np.uint64).reshape(len(replicates), 2)


def die_words(key: np.ndarray, counter: int) -> list[int]:
    """`dice.roll` in plain Python (a reference for tests): the four words of unit `counter`'s die."""
    mask = (1 << 64) - 1

    def mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    s = int(key[0]) ^ mix(int(counter) ^ int(key[1]))
    words = []
    for _ in range(4):
        s = (s + 0x9E3779B97F4A7C15) & mask
        words.append(mix(s))
    words[3] |= 1
    return words


def generator_of(words: Sequence[int]) -> np.random.Generator:
    """NumPy's generator in the state of a die's four words: it draws what the die draws."""
    bits = np.random.PCG64()
    bits.state = {"bit_generator": "PCG64", "state": {"state": (int(words[0]) << 64) | int(words[1]),
                                                      "inc": (int(words[2]) << 64) | int(words[3])},
                  "has_uint32": 0, "uinteger": 0}
    return np.random.Generator(bits)


class Streams:
    """The random numbers of one simulation of the replicates `replicates` (global indices)."""

    def __init__(self, seed: int, replicates: Sequence[int]):
        self.seed = int(seed)
        self.replicates = tuple(int(r) for r in replicates)

    def keys(self, name: str) -> np.ndarray:
        """The keys of decision `name` for compiled kernels, (rep, 2) (see `dice.roll`)."""
        return decision_keys(self.seed, name, self.replicates)

    def generator(self, name: str, r: int) -> np.random.Generator:
        """A NumPy generator of decision `name` for the replicate in position `r`, for draws made in Python."""
        crc = zlib.crc32(name.encode("utf-8"))
        return np.random.default_rng([self.seed, crc, self.replicates[r]])
