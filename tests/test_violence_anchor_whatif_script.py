"""scripts/violence_anchor_whatif.py: the anchored projection of homicides of docs/validation.md (check 2)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fentflow.calibrate.batch import chunks_of
from fentflow.calibrate.posterior import load_default_posterior, parameter_columns
from fentflow.calibrate.statistics import TargetSet


@pytest.fixture(scope="module")
def script(repo_script):
    return repo_script("violence_anchor_whatif")


def test_the_shift_matches_the_count_and_leaves_states_without_one(script):
    shift = script.anchor_shift(np.array([[9.5, 3.0], [39.5, 3.0]]), np.array([19.5, np.nan]))
    np.testing.assert_allclose(shift, [[np.log(2.0), 0.0], [np.log(0.5), 0.0]])


def test_every_state_has_a_count_in_the_fitted_years(script):
    from fentflow.sim.engine import Sim

    states = Sim(end="2015-01-31").net.states
    assert np.isfinite(script.observed_counts(states, 2021)).all()


def test_anchored_runs_start_the_next_year_from_the_counts(script):
    posterior = load_default_posterior()
    params = {name: posterior[name].to_numpy(float)[:3] for name in parameter_columns(posterior)}

    [chunk] = chunks_of(params, 3, 7, TargetSet(end="2022-12-31", data_end=2022))

    def miss_2022(anchor_year):
        sim = script.simulate(chunk, anchor_year)
        periods = np.flatnonzero(pd.DatetimeIndex(sim.results.period_start).year == 2022)
        simulated = sim.results["homicides"][periods].sum(axis=0)
        observed = script.observed_counts(sim.net.states, 2021)
        return np.median(np.abs(np.log((simulated + 0.5) / (observed + 0.5))))

    # a year after the anchor, each state is near its count; without it, where seven years of drift left it
    assert miss_2022(2021) < 0.3 < miss_2022(None)
