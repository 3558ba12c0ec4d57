"""Step 7. Demand and mortality per market: people with OUD, in treatment (MOUD), overdose deaths.

People with opioid use disorder start at the NSDUH national count, spread over markets by
their share of overdose deaths (an assumption: no state OUD series was found), with MOUD at
its national share. People in treatment use less, and so are at less risk, by
`moud_hazard_ratio`; `users` counts people at full-use equivalents. Hazard rises with
exposure (fentanyl's share of the opioid use it displaces: the share of users' need that
fentanyl met, at most 1) and with the supply's potency, read as DEA reads it: the share of
pills carrying >= 2 mg (`lethal_pill_hazard` more hazard per unit of that share). Naloxone
reverses a share of overdoses.
Deaths are drawn (Poisson) and replaced by new people with OUD, so prevalence stays at its
level unless treatment moves people out of active use.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from fentflow.sim.curves import log_path
from fentflow.sim.dice import new_die, place_unit, poisson, roll
from fentflow.sim.kernels import add_flow, inlined, kernel, set_stock
from fentflow.sim.modules.base import Module
from fentflow.sim.results import FLOW, STOCK, rows

MAX_EXPOSURE = 1.0  # exposure is fentanyl's share of opioid use: it cannot exceed all of it


class DemandPars(NamedTuple):
    """The parameters demand's kernel reads: the fields of its records (`Module.kernel_pars`)."""
    moud_hazard_ratio: np.ndarray
    overdose_hazard: np.ndarray
    need_mg_per_user_week: np.ndarray
    lethal_pill_hazard: np.ndarray


class DemandState(NamedTuple):
    active: np.ndarray       # (rep, market) people with OUD not in treatment
    treated: np.ndarray      # (rep, market) people on MOUD
    users: np.ndarray        # (rep, market) full-use equivalents: active + treated x moud_hazard_ratio
    deaths: np.ndarray       # (rep, market) this week
    leave: np.ndarray        # (rep,) weekly rate of leaving treatment
    enter: np.ndarray        # (rep,) weekly rate of entering it, before the treatment lever
    treatment: np.ndarray    # (week, market) the treatment lever
    reversal: np.ndarray     # (week, rep) share of fatal overdoses reversed by naloxone, before the lever
    naloxone: np.ndarray     # (week, market) the naloxone lever
    overdose_keys: np.ndarray  # (rep, 2) the overdose decision's keys, drawn per (week, market) (`dice.roll`)
    die: np.ndarray          # (1,) `dice.DIE` scratch: the die rolled for each unit
    pars: np.ndarray        # (rep,) records: the parameters its kernel reads, named by `DemandPars`


RESULTS = {
    "deaths": ("deaths", FLOW, "synthetic-opioid overdose deaths"),
    "people_active_use": ("persons", STOCK, "people with OUD not in treatment"),
    "people_in_treatment": ("persons", STOCK, "people with OUD on MOUD"),
}
DEATHS, ACTIVE_USE, IN_TREATMENT = rows(RESULTS, "deaths", "people_active_use", "people_in_treatment")


class Demand(Module):
    name = "demand"

    def __init__(self, sim):
        super().__init__(sim)
        national = sim.world.national
        oud = national["people_with_oud"]["value"] * self.net.market_oud_weight
        self.moud_share = float(national["moud_share_of_need"]["value"])
        treated = np.tile(oud * self.moud_share, (self.n_reps, 1))
        active = np.tile(oud * (1 - self.moud_share), (self.n_reps, 1))
        leave = 1.0 / self.pars["treatment_retention_weeks"]
        self.state = DemandState(
            active=active, treated=treated, users=active + treated * self.par("moud_hazard_ratio"),
            deaths=np.zeros_like(active), leave=leave,
            enter=leave * self.moud_share / (1 - self.moud_share), treatment=sim.levers["treatment"],
            reversal=self._reversal(np.arange(sim.calendar.n_weeks)[:, None]), naloxone=sim.levers["naloxone"],
            overdose_keys=self.keys("overdose"), die=new_die(), pars=self.kernel_pars(DemandPars))

    def declare_results(self) -> None:
        self.results_block = self.sim.results.declare_block("market", self.net.markets, RESULTS)

    def _reversal(self, week) -> np.ndarray:
        """Share of fatal overdoses reversed before the lever, (rep,); (week, rep) for a (week, 1) array of weeks."""
        year = self.sim.calendar.decimal_year[week]
        return log_path(year, 2015.5, self.pars["naloxone_reversal_2015"], 2023.5, self.pars["naloxone_reversal_2023"])


@kernel
def demand_step(week, st, consumed, lethal_share, out, periods):
    """Treatment flows, then overdose deaths (Poisson) from exposure and the share of lethal pills."""
    p = st.pars
    active, treated, users, deaths, keys = st.active, st.treated, st.users, st.deaths, st.overdose_keys
    enter, leave, treatment, naloxone, reversal = st.enter, st.leave, st.treatment, st.naloxone, st.reversal
    moud, hazard_rate, lethal, need = p.moud_hazard_ratio, p.overdose_hazard, p.lethal_pill_hazard, p.need_mg_per_user_week
    n_reps, n_markets = active.shape
    die = st.die[0]
    for r in range(n_reps):
        base = reversal[week, r]
        for m in range(n_markets):
            entering = enter[r] * (1.0 + treatment[week, m])
            reversed_share = base + naloxone[week, m] * (1 - base)
            starting, stopping = active[r, m] * entering, treated[r, m] * leave[r]
            active[r, m] += stopping - starting
            treated[r, m] += starting - stopping
            users[r, m] = active[r, m] + treated[r, m] * moud[r]
            hazard = hazard_rate[r] * _exposure(users[r, m], need[r], consumed[r, m])
            hazard *= 1.0 + lethal[r] * lethal_share[r]
            expected = users[r, m] * hazard * (1.0 - reversed_share)
            roll(die, keys[r], place_unit(week, m))
            deaths[r, m] = poisson(die, expected)
    add_flow(out[DEATHS], week, deaths, periods)
    set_stock(out[ACTIVE_USE], week, active, periods)
    set_stock(out[IN_TREATMENT], week, treated, periods)


@inlined
def _exposure(users, need_mg, consumed):
    """The share of users' full need that fentanyl met this week (at most MAX_EXPOSURE)."""
    full_need = users * need_mg / 1e6
    share = consumed / full_need if full_need > 0 else 0.0
    return min(share, MAX_EXPOSURE)
