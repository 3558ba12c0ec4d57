"""Benchmark 2: calibration throughput — full simulations per second over the calibration span.

A "full simulation" is one parameter set run over 2015-2023 (the span with data) at monthly
resolution, which is what calibration keeps. Parameter sets are drawn from the priors declared
in `ff.PARAMETERS` (a fixed seed, so every run of the benchmark sees the same draws), because
the number of seizures drawn, and so a little of the cost, depends on them. Measured one at a time and batched (R
parameter sets advanced together as one vectorised Sim); the best batch size is then run on
both cores (two Dask workers, one batch each). Each batch and the two-worker run are timed
`repeats` times and the median kept: one timing of a 0.2-0.7 s call moves by a tenth with the
machine's load.
"""
from __future__ import annotations

import numpy as np

import fentflow as ff
from benchmarks.bench_dask import local_client, wall_time
from benchmarks.measure import Measurement, median_seconds, seconds, world

START, END = "2015-01-01", "2023-12-31"
TARGET_PER_SECOND = 500.0
PRIOR_SEED = 20240101


def prior_draws(n: int, seed: int = PRIOR_SEED) -> dict[str, np.ndarray]:
    """`n` parameter sets from the declared priors (fixed parameters keep their default).

    One stream per parameter, so a smaller batch holds the first sets of a larger one.
    """
    draws = {}
    for i, par in enumerate(ff.PARAMETERS):
        kind, *bounds = par.prior
        rng = np.random.default_rng([seed, i])
        if kind == "uniform":
            draws[par.name] = rng.uniform(*bounds, size=n)
        elif kind == "loguniform":
            draws[par.name] = np.exp(rng.uniform(*np.log(bounds), size=n))
    return draws


def run_batch(pars: dict[str, np.ndarray], seed: int = 0) -> ff.Sim:
    sim = ff.Sim(world(), pars, start=START, end=END, seed=seed, resolution="month")
    sim.run()
    return sim


def one_at_a_time(n: int) -> float:
    """Simulations per second, one Sim per parameter set."""
    draws = prior_draws(n)
    run_batch({k: v[:1] for k, v in draws.items()})                      # warm-up
    elapsed = sum(seconds(lambda i=i: run_batch({k: v[i:i + 1] for k, v in draws.items()}, seed=i))
                  for i in range(n))
    return n / elapsed


def batched(size: int, repeats: int = 1) -> float:
    """Simulations per second, `size` parameter sets in one vectorised Sim (median of `repeats` timings)."""
    draws = prior_draws(size)
    return size / median_seconds(lambda: run_batch(draws), repeats, warmup=0)[0]


def on_both_cores(size: int, repeats: int = 1) -> float:
    """Simulations per second, two batches of `size` at once on two Dask workers (one per core; median of
    `repeats` timings)."""
    draws = prior_draws(2 * size)
    halves = [{k: v[i * size:(i + 1) * size] for k, v in draws.items()} for i in range(2)]
    with local_client(2) as client:
        return 2 * size / median_seconds(lambda: wall_time(client, [(0, halves[0]), (1, halves[1])]), repeats,
                                         warmup=0)[0]


def measure(batch_sizes: tuple[int, ...], singles: int, repeats: int = 3) -> Measurement:
    rates = {"1 at a time": one_at_a_time(singles)}
    rates |= {f"batch R={r}": batched(r, repeats) for r in batch_sizes}
    best_batch = max(batch_sizes, key=lambda r: rates[f"batch R={r}"])
    rates[f"2 workers x batch R={best_batch}"] = on_both_cores(best_batch, repeats)
    best = max(rates, key=rates.get)
    detail = "; ".join(f"{k}: {v:.1f}/s" for k, v in rates.items()) + f" (best: {best})"
    return Measurement("Calibration throughput, 2015-2023 monthly", rates[best], "sims/s", TARGET_PER_SECOND,
                       True, detail, {"rates": rates, "best": best})
