"""Benchmark: wall time of a full calibration (ABC-SMC + posterior predictive + outputs).

    .venv/bin/python benchmarks/bench_calibration_full.py --budget default --workers 2

The issue's target: the default budget finishes in at most 30 minutes on a 2-core machine.
The run starts afresh (no resume) and writes `benchmark.json` beside its outputs, with the
machine's load average before and after (other processes on a shared machine slow it down).
This is a measurement, not a test: nothing here fails on a slow machine.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import time
from pathlib import Path

from fentflow.calibrate.budget import get_budget
from fentflow.calibrate.run import calibrate_and_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", default="default")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/bench-calibration"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("fentflow.sim.engine").setLevel(logging.WARNING)

    load_before = os.getloadavg()
    began = time.perf_counter()
    report = calibrate_and_report(args.budget, args.out, workers=args.workers, seed=args.seed, resume=False)
    total = time.perf_counter() - began
    result = report.result
    record = {
        "budget": args.budget, "budget_settings": get_budget(args.budget).__dict__, "workers": args.workers,
        "seed": args.seed, "cpu_count": os.cpu_count(), "machine": platform.processor() or platform.machine(),
        "generations": len(result.generations), "simulations": result.simulations,
        "calibration_s": round(result.wall_s, 1), "total_s": round(total, 1),
        "simulations_per_s": round(result.simulations / result.wall_s, 2),
        "load_average_before": load_before, "load_average_after": os.getloadavg(),
        "final_epsilon": float(result.generations["epsilon"].iloc[-1]),
    }
    (args.out / "benchmark.json").write_text(json.dumps(record, indent=1))
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
