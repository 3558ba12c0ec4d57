"""Benchmark 3: fentflow vs the Mesa reference (one agent per shipment), same span, parameters and seeds.

Both run the open-loop parameters (feedbacks off, see mesa_model.py) over the same span and
seeds, timed alternately after one warm-up each so that load on the machine hits both alike.
fentflow still runs all nine steps (distribution, market, demand, violence and the ledger
included) while the reference runs only steps 1-4, so the ratio understates fentflow's
advantage on equal work. Reported: single run vs single run (the headline), fentflow's
time per simulation when the seeds run as one batch, and, for equal work, the time the same
single runs spent in steps 1-4 (`sim.timings`; without building the simulation or the ledger).
"""
from __future__ import annotations

import statistics

import fentflow as ff
from benchmarks.equivalence import open_loop
from benchmarks.measure import Measurement, seconds, world
from benchmarks.mesa_model import run_reference
from fentflow.sim.network import build_network

START, END = "2019-01-01", "2023-12-31"
TARGET_RATIO = 300.0


REFERENCE_STEPS = ("precursors", "production", "transport", "crossing")   # the steps the reference models


def fentflow_run(seed: int, n_reps: int = 1) -> float:
    """One run (a batch of `n_reps`); returns the seconds its steps 1-4 took (`sim.timings`)."""
    pars = {name: [value] * n_reps for name, value in open_loop().items()}
    sim = ff.Sim(world(), pars, start=START, end=END, seed=seed)
    sim.run()
    return sum(sim.timings[name] for name in REFERENCE_STEPS)


def mesa_run(seed: int, net, full_pars: dict) -> None:
    run_reference(full_pars, START, END, seed, net=net)


def measure(seeds: int) -> Measurement:
    net = build_network(world())
    full_pars = ff.Pars(open_loop()).replicate(0)
    fentflow_run(0), mesa_run(0, net, full_pars)                         # warm-up
    fentflow_times, mesa_times, step_times = [], [], []
    for seed in range(1, seeds + 1):
        fentflow_times.append(seconds(lambda: step_times.append(fentflow_run(seed))))
        mesa_times.append(seconds(lambda: mesa_run(seed, net, full_pars)))
    batch_per_sim = seconds(lambda: fentflow_run(1, n_reps=seeds)) / seeds
    ff_s, mesa_s, steps_s = (statistics.median(times) for times in (fentflow_times, mesa_times, step_times))
    detail = (f"{START[:4]}-{END[:4]}, {seeds} seeds: fentflow {ff_s * 1e3:.0f} ms/run, "
              f"Mesa {mesa_s * 1e3:.0f} ms/run (medians); fentflow batched R={seeds}: "
              f"{batch_per_sim * 1e3:.0f} ms/sim, ratio x{mesa_s / batch_per_sim:.1f}; the reference's steps "
              f"1-4 alone in fentflow's runs: {steps_s * 1e3:.1f} ms/run, ratio x{mesa_s / steps_s:.0f}")
    data = {"fentflow_s": fentflow_times, "mesa_s": mesa_times, "fentflow_batched_s_per_sim": batch_per_sim,
            "fentflow_steps_1_4_s": step_times}
    return Measurement("Speed ratio fentflow / Mesa reference", mesa_s / ff_s, "x", TARGET_RATIO, True, detail, data)
