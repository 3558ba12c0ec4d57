"""Step 9. Competition and violence by state.

Expected homicides in a state = baseline x (1 + a rise that saturates with conflict).
The baseline is a share of the state's SESNSP count in 2015, the pre-fentanyl year (not a
year the calibration fits), times a state factor (lognormal, mean 1) for the local
violence the model does not explain. Conflict = rivalry (1 -
Herfindahl index of territorial control) x the pure tonnes a year that enter, are produced
in, or pass through the state (remembered over a quarter); the local rise is
`violence_flow_effect` x conflict / (conflict + `violence_half_conflict`), the national rise
(the trade's spill-over: fragmented groups, other markets) the same curve of the mean
conflict over states with `violence_national_effect`. The state factor starts lognormal
(sd `violence_state_sd`) and drifts as a random walk (`violence_state_drift` a year^½,
mean kept at 1): states move apart over the years, as SESNSP's do. Both scale with the state's own level,
so violence is not piled onto the few biggest corridors.
Homicides are drawn (Poisson).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.dice import new_die, place_unit, poisson, roll, standard_normal
from fentflow.sim.kernels import add_flow, inlined, kernel, set_stock
from fentflow.sim.modules.base import Module
from fentflow.sim.results import FLOW, STOCK, rows
from fentflow.units import WEEKS_PER_YEAR

FLOW_MEMORY_WEEKS = 13.0


class ViolencePars(NamedTuple):
    """The parameters violence's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    violence_flow_effect: np.ndarray
    violence_half_conflict: np.ndarray
    violence_national_effect: np.ndarray
    violence_state_drift: np.ndarray


class ViolenceState(NamedTuple):
    flow: np.ndarray           # (rep, state) pure kg this week
    flow_kg_week: np.ndarray   # (rep, state) remembered weekly flow
    conflict: np.ndarray       # (rep, state) rivalry x remembered flow, pure t/yr
    homicides: np.ndarray      # (rep, state) this week
    baseline: np.ndarray       # (rep, state) homicides a year not driven by fentanyl flows, before the state factor
    state_shift: np.ndarray    # (rep, state) ln state factor: local violence the model does not hold (drifts)
    rivalry: np.ndarray        # (state,)
    site_state: np.ndarray     # (site,)
    violence_keys: np.ndarray  # (rep, 2) the violence decision's keys, drawn per (week, state) (`dice.roll`)
    die: np.ndarray            # (1,) `dice.DIE` scratch: the die rolled for each unit
    produced_in: np.ndarray    # (state,) scratch: pure kg produced in each state this week
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `ViolencePars`


RESULTS = {
    "homicides": ("victims", FLOW, "intentional homicides (SESNSP-comparable)"),
    "fentanyl_flow_kg": ("pure kg", FLOW, "fentanyl entering, produced in or passing through the state"),
    "conflict_index": ("pure t/yr", STOCK, "rivalry x remembered flow"),
}
HOMICIDES, FLOW_KG, CONFLICT_INDEX = rows(RESULTS, "homicides", "fentanyl_flow_kg", "conflict_index")


class Violence(Module):
    name = "violence"

    def __init__(self, sim):
        super().__init__(sim)
        net, shape = self.net, (self.n_reps, len(self.net.states))
        self.state = ViolenceState(
            *(np.zeros(shape) for _ in range(4)),
            baseline=self.par("violence_baseline_share") * net.state_homicides_2015[None, :],
            state_shift=self._initial_shift(shape),
            rivalry=np.array(net.rivalry, float), site_state=np.array(net.site_state, np.int64),
            violence_keys=self.keys("violence"), die=new_die(), produced_in=np.zeros(shape[1]),
            pars=self.kernel_pars(ViolencePars))

    def _initial_shift(self, shape) -> np.ndarray:
        """(rep, state) ln of lognormal factors with mean 1 at the start, sd `violence_state_sd`."""
        z = np.stack([self.rng("violence_state", r).standard_normal(shape[1]) for r in range(shape[0])])
        sd = self.par("violence_state_sd")
        return sd * z - sd ** 2 / 2

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("state", self.net.states, RESULTS)

@kernel
def violence_step(week, st, inflow_by_state, produced, transit_by_state, out, periods):
    """Flows through each state, remembered over a quarter, meet rivalry and raise the baseline; Poisson draws."""
    p = st.pars
    flow, remembered, conflict, rivalry, site_state = st.flow, st.flow_kg_week, st.conflict, st.rivalry, st.site_state
    shift, baseline, homicides, keys = st.state_shift, st.baseline, st.homicides, st.violence_keys
    n_reps, n_states = flow.shape
    die, produced_in = st.die[0], st.produced_in
    for r in range(n_reps):
        produced_in[:] = 0.0
        for s in range(site_state.size):
            produced_in[site_state[s]] += produced[r, s]
        for k in range(n_states):
            flow[r, k] = inflow_by_state[r, k] + produced_in[k] + transit_by_state[r, k]
            remembered[r, k] += (flow[r, k] - remembered[r, k]) / FLOW_MEMORY_WEEKS
            conflict[r, k] = rivalry[k] * remembered[r, k] * WEEKS_PER_YEAR / 1000.0
        national = conflict[r].mean()
        national_rise = _rise(p.violence_national_effect[r], national, p.violence_half_conflict[r])
        step = p.violence_state_drift[r] / np.sqrt(WEEKS_PER_YEAR)
        effect, half = p.violence_flow_effect[r], p.violence_half_conflict[r]
        for k in range(n_states):
            roll(die, keys[r], place_unit(week, k))
            shift[r, k] += step * standard_normal(die) - step * step / 2   # random walk, mean factor 1
            rise = _rise(effect, conflict[r, k], half)
            expected = baseline[r, k] * np.exp(shift[r, k]) * (1.0 + rise + national_rise) / WEEKS_PER_YEAR
            homicides[r, k] = poisson(die, expected)
    add_flow(out[HOMICIDES], week, homicides, periods)
    add_flow(out[FLOW_KG], week, flow, periods)
    set_stock(out[CONFLICT_INDEX], week, conflict, periods)


@inlined
def _rise(effect, conflict, half):
    """The rise over the baseline that conflict brings: `effect` at saturation, half of it at `half`."""
    return effect * conflict / (conflict + half)
