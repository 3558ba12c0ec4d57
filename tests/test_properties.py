"""Property-based invariants over random valid parameters (hypothesis).

For any parameters inside their prior ranges: the mass balance closes every week (the
engine raises otherwise), every result is finite and non-negative, seizure and detection
shares lie in [0, 1], and seized never exceeds attempted.
"""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fentflow.sim.engine import Sim
from fentflow.sim.observables import seizure_share
from fentflow.sim.pars import PARAMETERS

UNCERTAIN = [p for p in PARAMETERS if p.prior[0] != "fixed"]


@st.composite
def parameter_sets(draw):
    return {p.name: draw(st.floats(p.prior[1], p.prior[2], allow_nan=False)) for p in UNCERTAIN}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pars=parameter_sets(), seed=st.integers(0, 2**31 - 1))
def test_invariants_hold_for_any_valid_parameters(world, pars, seed):
    sim = Sim(world, pars, start="2020-01-01", end="2021-03-31", seed=seed)
    sim.run()  # raises LedgerError if the mass balance breaks in any week
    for name, data in sim.results.data.items():
        assert np.isfinite(data).all() and (data >= 0).all(), name
    r = sim.results
    assert (r["seized_pure_kg"] <= r["attempted_pure_kg"] + 1e-9).all()
    assert (r["seizure_events"] <= r["attempts"]).all()
    shares = seizure_share(r, sim.net)[["share_pure", "share_gross"]].to_numpy()
    finite = shares[np.isfinite(shares)]
    assert ((finite >= 0) & (finite <= 1)).all()
    detection = sim.modules["crossing"].detection(sim.calendar.n_weeks - 1)
    assert ((detection >= 0) & (detection <= 1)).all()
    assert (sim.modules["adaptation"].crossing_loss <= 1).all()
