"""Benchmark 4: how run time grows as loads per week and weeks each grow by 10x.

Loads are multiplied by raising `supply_kg_week_2023` (up to its bound, 2000 kg/week) and
then by making loads smaller (`load_gross_median_kg` / 10), which keeps the mass and
multiplies the count. Runs start in 2024, after every trajectory has levelled off (supply,
pill share, potency and detection are flat from 2023.5), so loads per week stay constant over
the span. Feedbacks are off (open-loop parameters), so that 10x the supply means 10x the loads
rather than a lower price and, through it, less supply.

Near-linear means time ~ size ** exponent with the exponent <= 1.0 (issue 12; growth per 10x of about
10 or less). The figure is the exponent of the last 10x step, between the two largest sizes,
where fixed costs matter least and a super-linear term would show first; the detail gives
every step. A fixed cost per week (the nine steps' array work, whatever the number of loads)
makes the growth in loads sub-linear; the fit time/week = fixed + per_load x loads separates
the two.
"""
from __future__ import annotations

import math

import numpy as np

import fentflow as ff
from benchmarks.equivalence import open_loop
from benchmarks.measure import Measurement, median_seconds, world

START = "2024-01-01"
# The scaling runs' own reference point, held fixed (not the model's defaults, which move with each
# calibration) so that the exponents compare across model changes.
REFERENCE_SUPPLY = 190.0
REFERENCE_LOAD_MEDIAN = 2.5
# (supply kg/week, median load kg): each step multiplies the loads per week by about 10
LOAD_STEPS = ((19.0, 2.5), (190.0, 2.5), (1900.0, 2.5), (1900.0, 0.25))
MAX_EXPONENT = 1.0
REPEAT_BUDGET_S = 15.0      # stop repeating a point once its runs have taken this long


def _span_end(years: int) -> str:
    return f"{2024 + years - 1}-12-31"


def timed_run(supply: float, load_kg: float, years: int, repeats: int, warmup: int) -> tuple[float, float, int]:
    """Median seconds of one run, the loads reaching the border per week, and the weeks."""
    pars = open_loop({"supply_kg_week_2023": supply, "load_gross_median_kg": load_kg,
                      "load_gross_median_kg_2023": load_kg})   # both anchors: the runs start after 2023
    holder = {}

    def run():
        holder["sim"] = ff.Sim(world(), pars, start=START, end=_span_end(years), seed=1)
        holder["results"] = holder["sim"].run()

    median, _ = median_seconds(run, repeats, warmup, budget=REPEAT_BUDGET_S)
    weeks = holder["sim"].calendar.n_weeks
    return median, float(holder["results"]["attempts"].sum()) / weeks, weeks


def _last_exponent(times: list[float], sizes: list[float]) -> float:
    """The exponent in time ~ size ** exponent between the two largest sizes (1 = linear)."""
    return math.log(times[-1] / times[-2]) / math.log(sizes[-1] / sizes[-2])


def loads_scaling(steps: tuple[tuple[float, float], ...], years: int, repeats: int) -> Measurement:
    timed = [timed_run(supply, load_kg, years, repeats, warmup=int(i == 0))
             for i, (supply, load_kg) in enumerate(steps)]
    times, loads, weeks = ([row[i] for row in timed] for i in range(3))
    per_load, fixed = np.polyfit(loads, np.array(times) / np.array(weeks), 1)     # seconds per week
    growth = [b / a for a, b in zip(times, times[1:])]
    detail = (", ".join(f"{n:,.0f} loads/wk: {t * 1e3:.0f} ms" for n, t in zip(loads, times))
              + f" ({years} y); growth per 10x: {', '.join(f'x{g:.2f}' for g in growth)}; "
              f"fit: {fixed * 1e3:.2f} ms/week fixed + {per_load * 1e6:.2f} us/load")
    return Measurement("Scaling, loads/week x10", _last_exponent(times, loads), "exponent", MAX_EXPONENT, False, detail,
                       {"loads_per_week": loads, "seconds": times, "growth": growth,
                        "fixed_s_per_week": fixed, "s_per_load": per_load})


def weeks_scaling(years: tuple[int, ...], repeats: int) -> Measurement:
    timed = [timed_run(REFERENCE_SUPPLY, REFERENCE_LOAD_MEDIAN, y, repeats, warmup=int(i == 0))
             for i, y in enumerate(years)]
    times, weeks = [row[0] for row in timed], [row[2] for row in timed]
    growth = [b / a for a, b in zip(times, times[1:])]
    detail = (", ".join(f"{y} y: {t * 1e3:.0f} ms" for y, t in zip(years, times))
              + f" ({timed[0][1]:,.0f} loads/wk); growth per 10x: {', '.join(f'x{g:.2f}' for g in growth)}")
    return Measurement("Scaling, weeks x10", _last_exponent(times, weeks), "exponent", MAX_EXPONENT, False, detail,
                       {"years": list(years), "seconds": times, "growth": growth})
