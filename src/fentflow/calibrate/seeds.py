"""Seeds derived by fentflow: every random choice of a calibration comes from the master seed.

A seed is a pure function of the master seed and a purpose with its indices (generation,
chunk, trial...), through NumPy's `SeedSequence`, so the same calibration gets the same
numbers however many workers compute it and whether or not it was interrupted and resumed.
"""
from __future__ import annotations

import zlib

import numpy as np

SEED_BITS = 31   # the simulator and the legacy NumPy global generator both take 32-bit seeds


def derive_seed(master: int, purpose: str, *indices: int) -> int:
    """A 31-bit seed for `purpose` (e.g. "simulate", generation 3, chunk 7) under `master`."""
    key = [int(master), zlib.crc32(purpose.encode("utf-8")), *(int(i) for i in indices)]
    if any(part < 0 for part in key):
        raise ValueError(f"seeds and indices must be non-negative, got {key}")
    return int(np.random.SeedSequence(key).generate_state(1)[0] >> (32 - SEED_BITS))
