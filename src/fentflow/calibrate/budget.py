"""Calibration budgets: population size, generations and simulations, named for how they are used.

- `tiny`: the test suite (seconds; short spans only make sense with it).
- `small`: quick looks, about 10 minutes on 2 cores (8 min measured; the bar shows the time left).
- `recovery`: one trial of the 20-trial recovery study (`fentflow validate recovery`), about
  50 s on 2 cores, so that the study fits in CI (`fentflow validate recovery --trials 20 --budget recovery`:
  15 min 39 s measured with the cargo engine).
- `default`: the shipped posterior; at most 30 minutes on 2 cores (`benchmarks/bench_calibration_full.py`).
- `large`: a longer run for a cluster (`--scheduler`).

`chunk` is how many proposals are simulated together as the replicates of one `Sim` (the
engine is built for batches: a replicate costs far less in a batch than alone). Chunks are
fixed per budget because the sampler seeds each chunk's proposals and runs by the chunk's number
(`sampler.py`): a particle's draws depend on which chunk it falls in and where, though not on the
other particles in it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from fentflow.errors import InputError


@dataclass(frozen=True)
class Budget:
    name: str
    population: int            # accepted particles per generation
    generations: int           # at most this many generations
    max_simulations: int       # stop after the generation that reaches this many simulations
    min_acceptance: float      # stop when a generation's acceptance rate falls below this
    chunk: int                 # proposals per batched simulation
    predictive_draws: int      # posterior-predictive simulations for bands and estimates


BUDGETS: dict[str, Budget] = {
    budget.name: budget for budget in (
        Budget("tiny", population=16, generations=2, max_simulations=200, min_acceptance=0.01, chunk=16,
               predictive_draws=16),
        Budget("small", population=150, generations=6, max_simulations=1_800, min_acceptance=0.02, chunk=50,
               predictive_draws=100),
        Budget("recovery", population=100, generations=5, max_simulations=700, min_acceptance=0.02, chunk=50,
               predictive_draws=100),
        Budget("default", population=400, generations=20, max_simulations=20_000, min_acceptance=0.02, chunk=100,
               predictive_draws=400),
        Budget("large", population=1_000, generations=20, max_simulations=100_000, min_acceptance=0.01, chunk=100,
               predictive_draws=1_000),
    )
}


def get_budget(name: str, max_simulations: int | None = None) -> Budget:
    """The named budget; `max_simulations` replaces its cap (a longer or shorter run of the same design)."""
    try:
        budget = BUDGETS[name]
    except KeyError:
        raise InputError(f"unknown budget {name!r}; choose one of {', '.join(BUDGETS)}", field="budget") from None
    if max_simulations is None:
        return budget
    if max_simulations < 1:
        raise InputError(f"must be at least 1, not {max_simulations}", field="max_simulations")
    return replace(budget, max_simulations=max_simulations)
