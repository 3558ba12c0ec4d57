"""A pyABC sampler that simulates proposals in batches: one `Sim` with R replicates per chunk.

pyABC's own samplers evaluate one particle at a time (`simulate_one`: propose, simulate,
judge); fentflow's engine is built for batches and runs a replicate roughly 20x cheaper in
a batch of 100 than alone. `BatchSampler` keeps every piece of ABC-SMC logic pyABC's —
proposals from its priors and perturbation kernel, its
distance, epsilon and acceptor, its importance weights, its populations and history — and
changes only where the simulations happen:

1. propose a chunk of parameters in this process (pyABC's priors and transition, seeded per
   chunk; the transition draws the chunk at once, see `_propose`);
2. simulate the chunk as one batched `Sim` on a worker (`batch.chunk_statistics`);
3. judge the particles here, in proposal order, until `n` are accepted.

Determinism: chunk k of generation t draws its proposals from the legacy NumPy generator
(which pyABC uses) seeded with `derive_seed(seed, "propose", t + 1, k)` and simulates with
`derive_seed(seed, "simulate", t + 1, k)`; the population is the first `n` accepted particles
in proposal order, and only the evaluations up to the n-th acceptance are counted. So a
calibration is the same whatever the number of workers, and a resumed one continues as if
never stopped. Chunks computed beyond the n-th acceptance (kept in flight so that workers do
not idle) are discarded; to waste few, no new chunk is submitted while those in flight are
expected (at the running acceptance rate) to bring 1.5 times the particles still missing.

pyABC passes `simulate_one` as a `functools.partial` of its `_simulate_one` (or
`_simulate_one_from_prior`); this sampler reads that partial's arguments, which is pyABC's
internal contract of version 0.13: `_plan()` checks it and fails loudly if it changes.
"""
from __future__ import annotations

import functools
import itertools
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyabc.inference_util import inference_util as pyabc_inference
from pyabc.parameters import Parameter
from pyabc.population import Particle
from pyabc.sampler import Sampler

from fentflow.calibrate.accepted import save as save_accepted
from fentflow.calibrate.batch import Chunk, chunk_statistics
from fentflow.calibrate.executor import HOLD, Executor
from fentflow.calibrate.priors import FittedParameter, natural_columns
from fentflow.calibrate.seeds import derive_seed
from fentflow.calibrate.statistics import TargetSet

log = logging.getLogger(__name__)

HOLD_MARGIN = 1.5     # submit no more while chunks in flight should bring 1.5x the particles still missing


@dataclass(frozen=True)
class Progress:
    """Where a generation stands, reported after each chunk."""

    t: int                  # generation (-1 for a calibration sample from the prior)
    accepted: int
    needed: int
    evaluated: int          # proposals judged so far in this generation
    epsilon: float
    earlier: int = 0        # simulations of the generations stored before this run (a resumed or longer one)


class BatchSampler(Sampler):
    def __init__(self, executor: Executor, fitted: Sequence[FittedParameter], targets: TargetSet, chunk: int,
                 seed: int, world: str | None = None, fixed: dict[str, float] | None = None,
                 progress: Callable[[Progress], None] | None = None, accepted_folder: Path | None = None):
        super().__init__()
        self.accepted_folder = accepted_folder     # where each generation's accepted particles go (`accepted.py`)
        self.executor = executor
        self.fitted = tuple(fitted)
        self.targets = targets
        self.chunk = int(chunk)
        self.seed = int(seed)
        self.world = world
        self.fixed = dict(fixed or {})
        self.progress = progress
        self.earlier = 0        # simulations already in the history this run goes on from (`calibration._run`)
        self._last_rate = 1.0

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None):
        plan = _plan(simulate_one)
        epsilon = np.inf if plan.from_prior else float(plan.args["eps"](t))
        sample = self._create_empty_sample()
        proposals: deque[list[tuple[int, dict]]] = deque()
        state = _Tally(needed=n, rate=1.0 if plan.from_prior or t == 0 else self._last_rate)
        results = self.executor.ordered(chunk_statistics, self._chunks(plan, t, proposals, state))
        try:
            for statistics in results:
                for (m, theta), stats in zip(proposals.popleft(), statistics):
                    particle = _judge(plan, t, m, theta, stats)
                    sample.append(particle)
                    state.count(particle.accepted)
                    if state.accepted >= n or state.evaluated >= max_eval:
                        break
                if self.progress:
                    self.progress(Progress(t, state.accepted, n, state.evaluated, epsilon, self.earlier))
                if state.accepted >= n or state.evaluated >= max_eval:
                    break
        finally:
            results.close()     # cancels chunks still in flight
        accepted, evaluated = state.accepted, state.evaluated
        self._last_rate = max(accepted / max(evaluated, 1), 1e-3)
        # pyABC draws nothing else from NumPy's global generator before the next generation, but leave it in a
        # state that does not depend on how many chunks were in flight.
        np.random.seed(derive_seed(self.seed, "after", t + 1))
        self.nr_evaluations_ = evaluated
        if accepted < n:
            log.warning("generation %d: only %d of %d particles accepted in %d evaluations", t, accepted, n, evaluated)
            sample.ok = False
        elif self.accepted_folder is not None and t >= 0:
            save_accepted(self.accepted_folder, t, sample.accepted_particles)
        return sample

    def _chunks(self, plan: _Plan, t: int, proposals: deque, state: _Tally):
        """Chunk after chunk, holding back while those in flight should already suffice."""
        for k in itertools.count():
            while proposals and len(proposals) * self.chunk * state.rate_estimate() >= HOLD_MARGIN * state.missing:
                yield HOLD
            yield self._propose_chunk(plan, t, k, proposals)

    def _propose_chunk(self, plan: _Plan, t: int, k: int, proposals: deque) -> Chunk:
        np.random.seed(derive_seed(self.seed, "propose", t + 1, k))
        chunk = _propose(plan, t, self.chunk, self.fitted)
        proposals.append(chunk)
        params = natural_columns(self.fitted, [theta for _, theta in chunk])
        return Chunk(params=params, seed=derive_seed(self.seed, "simulate", t + 1, k), targets=self.targets,
                     world=self.world, fixed=self.fixed)


@dataclass
class _Tally:
    """Particles judged and accepted so far in a generation."""

    needed: int
    rate: float                 # acceptance rate assumed until this generation has its own
    accepted: int = 0
    evaluated: int = 0

    def count(self, accepted: bool) -> None:
        self.evaluated += 1
        self.accepted += bool(accepted)

    @property
    def missing(self) -> int:
        return self.needed - self.accepted

    def rate_estimate(self) -> float:
        if self.evaluated >= 50:
            return max(self.accepted / self.evaluated, 1e-3)
        return self.rate


@dataclass(frozen=True)
class _Plan:
    """What pyABC asks of this generation: where proposals come from and how particles are judged."""

    from_prior: bool
    args: dict


def _plan(simulate_one) -> _Plan:
    functions = {pyabc_inference._simulate_one: False, pyabc_inference._simulate_one_from_prior: True}
    if not isinstance(simulate_one, functools.partial) or simulate_one.func not in functions:
        raise RuntimeError("pyABC's simulate function is not the one BatchSampler knows (pyabc 0.13); "
                           "check fentflow.calibrate.sampler against the installed pyABC")
    args = dict(simulate_one.keywords)
    if args.get("evaluate") is False:
        raise RuntimeError("BatchSampler does not support pyABC's look-ahead (preliminary) sampling")
    return _Plan(functions[simulate_one.func], args)


def _propose(plan: _Plan, t: int, size: int, fitted: Sequence[FittedParameter]) -> list[tuple[int, Parameter]]:
    """`size` proposals: prior draws in generation 0, else draws of the fitted transition inside the prior.

    pyABC's `generate_valid_proposal` does the same one particle at a time (redrawing until the
    prior density is positive); here the transition draws a whole chunk at once and proposals
    outside the prior's box are redrawn, which is the same distribution.
    """
    a = plan.args
    if plan.from_prior or t == 0:
        return [(0, a["parameter_priors"][0].rvs()) for _ in range(size)]
    if len(a["m"]) != 1:
        raise RuntimeError("BatchSampler supports a single model")
    m = int(a["m"][0])
    transition = a["transitions"][m]
    low, high = _box(transition.names, fitted)
    kept: list[np.ndarray] = []
    n_kept = 0
    while n_kept < size:
        draws = transition.draw(size)
        kept.append(draws[((draws >= low) & (draws <= high)).all(axis=1)])
        n_kept += len(kept[-1])
    chosen = np.concatenate(kept)[:size]
    return [(m, Parameter(dict(zip(transition.names, row)))) for row in chosen.tolist()]


def _box(names: Sequence[str], fitted: Sequence[FittedParameter]) -> tuple[np.ndarray, np.ndarray]:
    """The prior's support on the fitting scale, per name (all priors are uniform there)."""
    by_name = {p.fit_name: p for p in fitted}
    return (np.array([by_name[name].low for name in names]), np.array([by_name[name].high for name in names]))


def _judge(plan: _Plan, t: int, m: int, theta, stats: dict[str, float]) -> Particle:
    """pyABC's `evaluate_proposal` with the statistics already simulated."""
    a = plan.args
    if plan.from_prior:
        return Particle(m=m, parameter=theta, weight=1.0, sum_stat=stats, distance=np.inf, accepted=True,
                        proposal_id=0, preliminary=False)
    result = a["acceptor"](distance_function=a["distance_function"], eps=a["eps"], x=stats, x_0=a["x_0"], t=t,
                           par=theta)
    weight = a["weight_function"](m, theta, result.weight) if result.accept else 0.0
    return Particle(m=m, parameter=theta, weight=weight, sum_stat=stats, distance=result.distance,
                    accepted=result.accept, proposal_id=a["proposal_id"], preliminary=False)
