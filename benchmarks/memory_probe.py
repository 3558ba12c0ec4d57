"""Peak memory of one default run, measured in a fresh process (run as `python -m benchmarks.memory_probe`).

Printed as JSON:
- `run_peak_mb` (the headline): the process's peak resident set size during the run minus its
  resident size just before it (after imports and loading the world). The kernel's peak
  (VmHWM, which `resource.getrusage` ru_maxrss reports) is reset before the run by writing 5
  to /proc/self/clear_refs, so import-time peaks do not hide the run's own;
- `process_peak_mb`: the whole process's peak RSS, interpreter and libraries included;
- `tracemalloc_peak_mb`: the peak of Python-tracked allocations (numpy arrays included) during a
  second run, traced from its start: what the simulation's own data structures reached.
"""
from __future__ import annotations

import json
import resource
import sys
import tracemalloc
from pathlib import Path

STATUS = Path("/proc/self/status")


def _status_mb(field: str) -> float:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0          # kB
    raise KeyError(field)


def reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark to the current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # kilobytes on Linux


def main(start: str, end: str) -> dict:
    import fentflow as ff
    world = ff.World.load()
    before = _status_mb("VmRSS")
    import_peak = max_rss_mb()
    reset = reset_peak_rss()
    ff.Sim(world, parameters="defaults", replicates=1, start=start, end=end, seed=0).run()
    run_peak = _status_mb("VmHWM")
    tracemalloc.start()
    ff.Sim(world, parameters="defaults", replicates=1, start=start, end=end, seed=1).run()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rss_before_mb": before, "run_peak_mb": run_peak - before if reset else float("nan"),
            "peak_reset": reset, "process_peak_mb": max(import_peak, max_rss_mb()),
            "tracemalloc_peak_mb": traced / 2**20}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))
