"""Step 7. Demand and mortality per market: people with OUD, in treatment (MOUD), overdose deaths.

People with opioid use disorder start at the NSDUH national count, spread over markets by
their share of overdose deaths (an assumption: no state OUD series was found), with MOUD at
its national share. People in treatment use less, and so are at less risk, by
`moud_hazard_ratio`; `users` counts people at full-use equivalents. Hazard rises with
exposure (the share of their need that fentanyl met) and with potency outrunning
tolerance; naloxone reverses a share of overdoses.
Deaths are drawn (Poisson) and replaced by new people with OUD, so prevalence stays at its
level unless treatment moves people out of active use.
"""
from __future__ import annotations

import numpy as np

from fentflow.sim.curves import log_path
from fentflow.sim.modules.base import Module

MAX_EXPOSURE = 1.0  # exposure is the share of opioid use supplied by fentanyl


class Demand(Module):
    name = "demand"

    def __init__(self, sim):
        super().__init__(sim)
        national = sim.world.national
        oud = national["people_with_oud"]["value"] * self.net.market_oud_weight
        self.moud_share = float(national["moud_share_of_need"]["value"])
        self.treated = np.tile(oud * self.moud_share, (self.n_reps, 1))
        self.active = np.tile(oud * (1 - self.moud_share), (self.n_reps, 1))
        self.tolerance = np.full_like(self.active, np.nan)
        self.deaths = np.zeros_like(self.active)
        self._leave = 1.0 / self.par("treatment_retention_weeks")
        self._enter = self._leave * self.moud_share / (1 - self.moud_share)   # before the treatment lever
        self._reversal_by_week = self._reversal(np.arange(sim.calendar.n_weeks)[:, None])  # (week, rep, 1)

    def declare_results(self) -> None:
        declare, markets = self.sim.results.declare, self.net.markets
        declare("deaths", "deaths", "flow", "market", markets, "synthetic-opioid overdose deaths")
        declare("people_active_use", "persons", "stock", "market", markets, "people with OUD not in treatment")
        declare("people_in_treatment", "persons", "stock", "market", markets, "people with OUD on MOUD")

    def step(self, week: int) -> None:
        market = self.sim.modules["market"]
        self._treatment_flows(week)
        exposure = self._exposure(market.consumed)
        hazard = self.par("overdose_hazard") * exposure * self._potency_factor(market.potency)
        expected = self.users * hazard * (1.0 - self._reversal_by_week[week])
        self.deaths = self.rng("overdose").poisson(expected).astype(float)
        self.record("deaths", week, self.deaths)
        self.record("people_active_use", week, self.active)
        self.record("people_in_treatment", week, self.treated)

    @property
    def users(self) -> np.ndarray:
        """People using, in full-use equivalents: those in treatment count for `moud_hazard_ratio`."""
        return self.active + self.treated * self.par("moud_hazard_ratio")

    def _treatment_flows(self, week: int) -> None:
        enter = self._enter * (1.0 + self.sim.levers["treatment"][week])
        starting, stopping = self.active * enter, self.treated * self._leave
        self.active += stopping - starting
        self.treated += starting - stopping

    def _exposure(self, consumed: np.ndarray) -> np.ndarray:
        full_need = self.users * self.par("need_mg_per_user_week") / 1e6
        share = np.divide(consumed, full_need, out=np.zeros_like(consumed), where=full_need > 0)
        return np.minimum(share, MAX_EXPOSURE)

    def _potency_factor(self, potency: np.ndarray) -> np.ndarray:
        """(potency / tolerance) ** k, tolerance following potency with a lag."""
        known = potency > 0
        self.tolerance = np.where(np.isnan(self.tolerance) & known, potency, self.tolerance)
        ratio = np.divide(potency, self.tolerance, out=np.ones_like(potency), where=known & (self.tolerance > 0))
        self.tolerance = np.where(known, self.tolerance + (potency - self.tolerance) / self.par("tolerance_weeks"),
                                  self.tolerance)
        return ratio ** self.par("potency_hazard_exponent")

    def _reversal(self, week) -> np.ndarray:
        """Share of fatal overdoses reversed, (rep, 1); (week, rep, 1) for a (week, 1) array of weeks."""
        year = self.sim.calendar.decimal_year[week]
        base = log_path(year, 2015.5, self.pars["naloxone_reversal_2015"], 2023.5, self.pars["naloxone_reversal_2023"])
        boost = self.sim.levers["naloxone"][week]
        return (base + boost * (1 - base))[..., None]
