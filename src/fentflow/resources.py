"""Refuse, before any work, a run that cannot fit in this machine's memory.

The figure per replicate-week was measured: peak memory of `fentflow run --replicates 1` and
`--replicates 129` over 2015-2030 (835 weeks) is 0.46 and 2.50 GB, about 19 KB a replicate-week
for the results, the loads and the road to the border, and the output tables.
"""
from __future__ import annotations

import os

from fentflow.errors import InputError

BYTES_PER_REPLICATE_WEEK = 19_500
BASE_BYTES = 500 * 2**20
GB = 2**30


def needed_bytes(replicates: int, weeks: int) -> int:
    return BASE_BYTES + replicates * weeks * BYTES_PER_REPLICATE_WEEK


def available_bytes() -> int | None:
    """Memory available now (Linux's MemAvailable), else the physical memory; None when unknown."""
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(replicates: int, weeks: int, option: str = "--replicates") -> None:
    """An `InputError` with the memory the run would need, when it is more than is available."""
    need, have = needed_bytes(replicates, weeks), available_bytes()
    if have is not None and need > have:
        most = max(1, (have - BASE_BYTES) // (weeks * BYTES_PER_REPLICATE_WEEK))
        raise InputError(f"{replicates} replicates over {weeks} weeks need about {need / GB:,.1f} GB of memory; "
                         f"{have / GB:,.1f} GB are available (at most about {most} replicates fit)", field=option)
