"""Would anchoring each state's violence on its last counted year help the model predict the next? A what-if.

A run's state factor (step 9, `violence.py`) starts from a draw and drifts as a random walk
from 2015. It never sees SESNSP's counts after 2015, so a projection past the data gives each
state the band of seven or more years of drift, around the level the model explains. A state
whose violence kept moving for reasons the model does not hold lies outside that band.

This script asks what conditioning would do, without changing the model. It runs draws of a
posterior fitted through `--fit-through` twice, with the same random numbers: as fentflow runs
them, and anchored. In the anchored runs, at the first week after the fitted years, each run's
state factors move so that the run's homicides of the last fitted year would have matched
SESNSP's: ln factor += ln((observed + 0.5) / (simulated + 0.5)). Both sets of runs are then
scored on the held-out years as `fentflow validate out-of-sample` scores them
(`validation.held_out_scores`).

    fentflow validate out-of-sample --budget default --seed 0 --fit-through 2021 --out out/validation/out-of-sample
    PYTHONPATH=src .venv/bin/python scripts/violence_anchor_whatif.py out/validation/out-of-sample/posterior.parquet
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

SERIES = "sesnsp_homicides"
CHUNK = 100


def anchor_shift(simulated: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """The change of each run's ln state factor, (rep, state), that matches `observed` (state,) counts of a year
    that the runs simulated as `simulated` (rep, state); 0 where a state has no count."""
    shift = np.log((observed[None, :] + 0.5) / (simulated + 0.5))
    return np.where(np.isfinite(observed)[None, :], shift, 0.0)


def observed_counts(states, year: int) -> np.ndarray:
    """SESNSP's homicide victims of `year` by state, in `states`' order (NaN where there is none)."""
    from fentflow.observed.series import load_series

    table = load_series(SERIES)
    counts = table[table["year"] == year].set_index("abbr")["victims"].astype(float)
    return counts.reindex(list(states)).to_numpy()


def simulate(chunk, anchor_year: int | None):
    """A chunk (`calibrate.batch.Chunk`) run week by week, anchored after `anchor_year` when it is given; returns
    the Sim."""
    from fentflow.calibrate.batch import chunk_sim

    sim = chunk_sim(chunk)
    after = np.flatnonzero(np.asarray(sim.calendar.year) > anchor_year) if anchor_year is not None else []
    first_after = int(after[0]) if len(after) else None         # a span that ends with the anchor year: none
    for week in range(sim.calendar.n_weeks):
        if week == first_after:
            _anchor(sim, anchor_year)
        sim.step(week)
    return sim


def _anchor(sim, year: int) -> None:
    periods = np.flatnonzero(pd.DatetimeIndex(sim.results.period_start).year == year)
    simulated = sim.results["homicides"][periods].sum(axis=0)                    # (rep, state)
    sim.modules["violence"].state.state_shift[...] += anchor_shift(simulated, observed_counts(sim.net.states, year))


def held_out(posterior: pd.DataFrame, draws: int, seed: int, fit_through: int, predict_through: int,
             anchored: bool) -> dict[str, pd.DataFrame]:
    """`validation.held_out_scores` of `draws` posterior draws (chosen and seeded as the out-of-sample check does)."""
    from fentflow.calibrate.batch import chunks_of
    from fentflow.calibrate.fitcheck import align
    from fentflow.calibrate.posterior import parameter_columns
    from fentflow.calibrate.predictive import Predictive, choose_draws
    from fentflow.calibrate.seeds import derive_seed
    from fentflow.calibrate.statistics import TargetSet
    from fentflow.calibrate.validation import held_out_scores
    from fentflow.sim.observables import all_observables

    chosen = choose_draws(posterior, draws, seed)
    params = {c: chosen[c].to_numpy(float) for c in parameter_columns(posterior)}
    targets = TargetSet(end=f"{predict_through}-12-31", data_end=predict_through)     # the check's span
    parts = []
    for chunk in chunks_of(params, CHUNK, derive_seed(seed, "predictive"), targets):
        sim = simulate(chunk, fit_through if anchored else None)
        aligned = align(all_observables(sim.results, sim.net), sim.calendar)
        parts.append(aligned.assign(replicate=aligned["replicate"].astype(int) + chunk.offset))
    predictive = Predictive(chosen, pd.concat(parts, ignore_index=True), pd.DataFrame(), pd.DataFrame())
    return held_out_scores(predictive, fit_through)


def main() -> None:
    from fentflow.calibrate.posterior import read_posterior
    from fentflow.calibrate.validation import pooled_coverage

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posterior", help="A posterior fitted through --fit-through (its posterior.parquet).")
    parser.add_argument("--draws", type=int, default=400, help="Posterior draws (the out-of-sample check's 400).")
    parser.add_argument("--seed", type=int, default=0, help="The out-of-sample check's seed.")
    parser.add_argument("--fit-through", type=int, default=2021)
    parser.add_argument("--predict-through", type=int, default=2023)
    args = parser.parse_args()
    posterior = read_posterior(args.posterior)
    rows = []
    for anchored in (False, True):
        tables = held_out(posterior, args.draws, args.seed, args.fit_through, args.predict_through, anchored)
        errors = tables["errors"].set_index("series")
        rows.append({"runs": "anchored" if anchored else "as fentflow runs them",
                     "held-out coverage": pooled_coverage(tables["errors"]),
                     "homicides: coverage": errors.at[SERIES, "coverage_90"], "homicides: MALE": errors.at[SERIES, "male"],
                     "fitted years' coverage": pooled_coverage(tables["errors_in_sample"])})
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
