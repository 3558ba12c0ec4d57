"""Benchmark 3: fentflow vs the Mesa reference (one agent per shipment), same span, parameters and seeds.

Both run the open-loop parameters (feedbacks off, see mesa_model.py) over the same span and
seeds, timed alternately after one warm-up each so that load on the machine hits both alike.
fentflow still runs all nine steps (distribution, market, demand, violence and the ledger
included) while the reference runs only steps 1-4, so the ratio understates fentflow's
advantage on equal work. Reported: single run vs single run (the headline) and fentflow's
time per simulation when the seeds run as one batch.
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


def fentflow_run(seed: int, n_reps: int = 1) -> None:
    pars = {name: [value] * n_reps for name, value in open_loop().items()}
    ff.Sim(world(), pars, start=START, end=END, seed=seed).run()


def mesa_run(seed: int, net, full_pars: dict) -> None:
    run_reference(full_pars, START, END, seed, net=net)


def measure(seeds: int) -> Measurement:
    net = build_network(world())
    full_pars = ff.Pars(open_loop()).replicate(0)
    fentflow_run(0), mesa_run(0, net, full_pars)                         # warm-up
    fentflow_times, mesa_times = [], []
    for seed in range(1, seeds + 1):
        fentflow_times.append(seconds(lambda: fentflow_run(seed)))
        mesa_times.append(seconds(lambda: mesa_run(seed, net, full_pars)))
    batch_per_sim = seconds(lambda: fentflow_run(1, n_reps=seeds)) / seeds
    ff_s, mesa_s = statistics.median(fentflow_times), statistics.median(mesa_times)
    detail = (f"{START[:4]}-{END[:4]}, {seeds} seeds: fentflow {ff_s * 1e3:.0f} ms/run, "
              f"Mesa {mesa_s * 1e3:.0f} ms/run (medians); fentflow batched R={seeds}: "
              f"{batch_per_sim * 1e3:.0f} ms/sim, ratio x{mesa_s / batch_per_sim:.1f}")
    data = {"fentflow_s": fentflow_times, "mesa_s": mesa_times, "fentflow_batched_s_per_sim": batch_per_sim}
    return Measurement("Speed ratio fentflow / Mesa reference", mesa_s / ff_s, "x", TARGET_RATIO, True, detail, data)
