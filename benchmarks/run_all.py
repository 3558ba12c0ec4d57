"""Run the benchmark suite and print one table against the targets: `python -m benchmarks.run_all [--quick]`.

`make bench` runs this. The results also go to out/bench/latest.json (see benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import bench_calibration, bench_dask, bench_default, bench_engine_paths, bench_mesa, bench_scaling
from benchmarks.report import console, details_lines, miss_notes, profile_table, results_table

DEFAULT_OUT = Path("out/bench/latest.json")


@dataclass(frozen=True)
class Plan:
    """How much of each benchmark to run: the full suite, or a quick smoke version."""
    default_repeats: int
    single_sims: int
    batch_sizes: tuple[int, ...]
    batch_repeats: int
    mesa_seeds: int
    load_steps: tuple[tuple[float, float], ...]
    load_years: int
    week_years: tuple[int, ...]
    scaling_repeats: int
    dask_runs: int
    dask_rounds: int


FULL = Plan(default_repeats=5, single_sims=10, batch_sizes=(10, 30, 100), batch_repeats=3, mesa_seeds=5,
            load_steps=bench_scaling.LOAD_STEPS, load_years=5, week_years=(1, 10, 100), scaling_repeats=5,
            dask_runs=8, dask_rounds=3)
QUICK = Plan(default_repeats=3, single_sims=3, batch_sizes=(10, 30), batch_repeats=1, mesa_seeds=2,
             load_steps=bench_scaling.LOAD_STEPS[:3], load_years=1, week_years=(1, 10), scaling_repeats=1,
             dask_runs=4, dask_rounds=1)


def run(plan: Plan, say) -> tuple[list, dict[str, float]]:
    say("1/7 default run: time and memory")
    default_row, profile = bench_default.measure_time(plan.default_repeats)
    memory_row = bench_default.measure_memory()
    say("2/7 calibration throughput")
    calibration_row = bench_calibration.measure(plan.batch_sizes, plan.single_sims, plan.batch_repeats)
    say("3/7 fentflow vs Mesa reference")
    mesa_row = bench_mesa.measure(plan.mesa_seeds)
    say("4/7 scaling")
    loads_row = bench_scaling.loads_scaling(plan.load_steps, plan.load_years, plan.scaling_repeats)
    weeks_row = bench_scaling.weeks_scaling(plan.week_years, plan.scaling_repeats)
    say("5/7 Dask, 1 vs 2 workers")
    dask_row = bench_dask.measure(plan.dask_runs, plan.dask_rounds)
    say("6/7 stepped path vs fused loop")
    stepped_row = bench_engine_paths.measure_stepped(plan.default_repeats)
    say("7/7 first run, compiling the kernels from nothing (a minute or more)")
    compile_row = bench_engine_paths.measure_compile()
    return [default_row, memory_row, calibration_row, mesa_row, loads_row, weeks_row, dask_row, stepped_row,
            compile_row], profile


def machine() -> dict:
    import mesa
    import numpy

    import fentflow
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "numpy": numpy.__version__, "mesa": mesa.__version__, "fentflow": fentflow.__version__}


def write_json(path: Path, rows, profile, quick: bool, seconds: float, load: tuple[float, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": quick, "suite_seconds": seconds,
               "load_average_before_after": load,
               "machine": machine(), "measurements": [row.as_dict() for row in rows],
               "profile_seconds": profile}
    path.write_text(json.dumps(payload, indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke version (fewer repeats, smaller sizes)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the results as JSON")
    args = parser.parse_args(argv)
    out = console()
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    rows, profile = run(QUICK if args.quick else FULL, lambda text: out.print(f"[dim]{text}...[/dim]"))
    elapsed = time.perf_counter() - began
    load = (load_before, os.getloadavg()[0])     # other work on the machine makes timings noisy
    title = (f"fentflow benchmarks ({'quick' if args.quick else 'full'}; {os.cpu_count()} CPUs; {elapsed:.0f} s; "
             f"load average {load[0]:.1f} -> {load[1]:.1f})")
    out.print(results_table(rows, title))
    out.print("How each figure was measured:")
    for line in details_lines(rows):
        out.print(line)
    notes = miss_notes(rows, profile, rows[4])
    if notes:
        out.print("Targets missed:")
        for line in notes:
            out.print(line)
    out.print(profile_table(profile))
    write_json(args.out, rows, profile, args.quick, elapsed, load)
    out.print(f"Results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
