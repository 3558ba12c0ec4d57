"""Step 1. Precursor inflow to Mexican entry points, port seizures, export controls.

Precursors are tracked only as fentanyl-equivalent kg (what they could become). Inflow
grows geometrically at one rate to mid-2019, others to mid-2021 and mid-2023 and after, anchored
on its 2023 level (so it can accelerate and level off as the data say), responds to the retail price
(production follows profit), and is cut by precursor controls whose effect erodes as
supply substitutes other sources (article claim C11).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from fentflow.sim.curves import segmented_growth
from fentflow.sim.kernels import add_flow, inlined, kernel
from fentflow.sim.modules.base import Module
from fentflow.sim.results import FLOW, rows

# Manzanillo's precursor seizures began in 2022, "before 2022 they were not regulated" (SEMAR, as reported by
# EFE / La Nación, 24 Jul 2023: https://www.lanacion.com.ar/agencias/manzanillo-una-barrera-en-el-pacifico-mexicano-contra-el-fentanilo-nid24072023/)
PORT_SEIZURES_FROM = 2022.0
PRICE_RESPONSE_BOUNDS = (0.2, 5.0)
# Supply's growth rate may change at these years; its level is anchored at the last one (`supply_kg_week_2023`).
SUPPLY_KNOTS = (2019.5, 2021.5, 2023.5)
SUPPLY_RATES = ("supply_growth_to_2019", "supply_growth_2019_2021", "supply_growth_2021_2023", "supply_growth_after_2023")


def rates_after_the_data(data_end: int) -> tuple[str, ...]:
    """The growth rates whose segment lies mostly after data ending with year `data_end`.

    No series informs them, so a calibration holds them at 0, supply level from the last knot
    inside the data: the assumption the shipped model makes after mid-2023
    (`supply_growth_after_2023`), made the same way for a fit through an earlier year."""
    end = data_end + 1.0
    starts, ends = (-math.inf, *SUPPLY_KNOTS), (*SUPPLY_KNOTS, math.inf)
    return tuple(name for name, start, stop in zip(SUPPLY_RATES, starts, ends)
                 if min(max(end - start, 0.0), stop - start) < (stop - start) / 2)


class PrecursorsPars(NamedTuple):
    """The parameters precursors's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    supply_price_elasticity: np.ndarray


class PrecursorsState(NamedTuple):
    control_effect: np.ndarray    # (rep, entry) share of inflow currently blocked
    last_control: np.ndarray      # (entry,) the control lever's strength last week
    delivered: np.ndarray         # (rep, site) precursors reaching sites this week
    inflow_by_state: np.ndarray   # (rep, state)
    inflow: np.ndarray            # (rep, entry) this week's arrivals ...
    seized: np.ndarray            # ... and port seizures
    supply_by_week: np.ndarray    # (week, rep) the trajectory, before price response and controls
    port_seizure: np.ndarray      # (week, rep) the port-seizure rate in force
    control_lever: np.ndarray     # (week, entry) precursor-control strength
    substitution_decay: np.ndarray  # (rep,)
    entry_share: np.ndarray       # (entry,)
    entry_to_site: np.ndarray     # (entry, site)
    entry_state: np.ndarray       # (entry,) state index
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `PrecursorsPars`


RESULTS = {
    "precursor_inflow_kg": ("fent-eq kg", FLOW, "precursors arriving at each entry point"),
    "precursor_seized_kg": ("fent-eq kg", FLOW, "precursors seized at each entry point"),
}
INFLOW_KG, SEIZED_KG = rows(RESULTS, "precursor_inflow_kg", "precursor_seized_kg")


class Precursors(Module):
    name = "precursors"

    def __init__(self, sim):
        super().__init__(sim)
        net, year = self.net, sim.calendar.decimal_year
        self.supply_by_week = self.trajectory(year[:, None])
        port_seizure = np.where((year >= PORT_SEIZURES_FROM)[:, None], self.pars["precursor_port_seizure_rate"][None, :], 0.0)
        n_entries = len(net.entries)
        self.state = PrecursorsState(
            control_effect=np.zeros((self.n_reps, n_entries)), last_control=np.zeros(n_entries),
            delivered=np.zeros((self.n_reps, net.n_sites)), inflow_by_state=np.zeros((self.n_reps, len(net.states))),
            inflow=np.zeros((self.n_reps, n_entries)), seized=np.zeros((self.n_reps, n_entries)),
            supply_by_week=self.supply_by_week, port_seizure=port_seizure,
            control_lever=sim.levers["precursor_control"], substitution_decay=np.exp(-1.0 / self.pars["substitution_weeks"]),
            entry_share=np.array(net.entry_share, float), entry_to_site=np.array(net.entry_to_site, float),
            entry_state=np.array(net.entry_state, np.int64), pars=self.kernel_pars(PrecursorsPars))
        self.delivered, self.inflow_by_state = self.state.delivered, self.state.inflow_by_state

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("entry", self.net.entries, RESULTS)

    def trajectory(self, year) -> np.ndarray:
        """Supply before price response and controls, (rep,) kg/week."""
        rates = [self.pars[name] for name in SUPPLY_RATES]
        return self.pars["supply_kg_week_2023"] * segmented_growth(year, SUPPLY_KNOTS, rates)

@kernel
def precursors_step(week, st, price_index, site_appeal, ledger, out, periods):
    """Inflow by entry point after the price response and controls; port seizures; routing to sites."""
    p = st.pars
    control = _control(st, week)
    for r in range(st.inflow.shape[0]):
        response = min(max(price_index[r] ** p.supply_price_elasticity[r], PRICE_RESPONSE_BOUNDS[0]),
                       PRICE_RESPONSE_BOUNDS[1])
        total = st.supply_by_week[week, r] * response
        for e in range(st.entry_share.size):
            st.inflow[r, e] = total * (1.0 - control[r, e]) * st.entry_share[e]
            st.seized[r, e] = st.inflow[r, e] * st.port_seizure[week, r]
        ledger.entered[r] += st.inflow[r].sum()
        ledger.seized[r] += st.seized[r].sum()
        _route_to_sites(st, r, site_appeal[r])
        st.inflow_by_state[r] = 0.0
        for e in range(st.entry_share.size):
            st.inflow_by_state[r, st.entry_state[e]] += st.inflow[r, e]
    inflow, seized = st.inflow, st.seized     # `st` read for the last time before recording (`kernels.py`)
    add_flow(out[INFLOW_KG], week, inflow, periods)
    add_flow(out[SEIZED_KG], week, seized, periods)


@inlined
def _control(st, week):
    """At each entry point a new control blocks its full strength at once; the effect then decays as
    supply substitutes."""
    for e in range(st.last_control.size):
        strength = st.control_lever[week, e]
        rise = max(strength - st.last_control[e], 0.0)
        for r in range(st.control_effect.shape[0]):
            st.control_effect[r, e] = min(st.control_effect[r, e] * st.substitution_decay[r] + rise, strength)
        st.last_control[e] = strength
    return st.control_effect


@inlined
def _route_to_sites(st, r, appeal):
    """Entry -> site, weighted toward sites where production pays: entry_to_site x appeal, normalised per entry."""
    n_entries, n_sites = st.entry_to_site.shape
    st.delivered[r] = 0.0
    for e in range(n_entries):
        normaliser = 0.0
        for s in range(n_sites):
            normaliser += appeal[s] * st.entry_to_site[e, s]
        arriving = (st.inflow[r, e] - st.seized[r, e]) / max(normaliser, 1e-300)
        for s in range(n_sites):
            st.delivered[r, s] += arriving * st.entry_to_site[e, s]
    for s in range(n_sites):
        st.delivered[r, s] *= appeal[s]
