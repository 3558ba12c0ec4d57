"""The simulator end to end on the bundled world: step order, reproducibility, invariants, levers."""
import numpy as np
import pytest

from fentflow.errors import InputError, LedgerError
from fentflow.policy.interventions import Intervention
from fentflow.sim.cargo import PILL_GROSS, PILL_LOADS, PILL_PURE, PILLS, PILLS_GE2MG, POWDER_PURE
from fentflow.sim.engine import STEP_ORDER, Sim
from fentflow.sim.modules.base import Module
from fentflow.sim.observables import all_observables


def short_sim(**kwargs) -> Sim:
    kwargs.setdefault("start", "2019-01-01")
    kwargs.setdefault("end", "2020-06-30")
    kwargs.setdefault("seed", 3)
    if "pars" not in kwargs:   # one run at the default parameters unless a test asks for more
        kwargs = {"parameters": "defaults", "replicates": 1, **kwargs}
    return Sim(**kwargs)


@pytest.fixture(scope="module")
def finished():
    sim = short_sim()
    sim.run()
    return sim


def test_step_order_is_the_documented_nine_processes():
    names = [cls.name for cls in STEP_ORDER]
    assert names == ["precursors", "production", "transport", "crossing", "distribution",
                     "market", "demand", "adaptation", "violence"]
    lines = Sim.describe_steps()
    assert lines[0].startswith("1. precursors: Precursor inflow") and len(lines) == 9


def test_every_step_is_timed(finished):
    assert set(finished.timings) == {*[cls.name for cls in STEP_ORDER], "ledger"}
    assert all(seconds > 0 for seconds in finished.timings.values())


def test_results_are_non_negative_and_finite(finished):
    for name, data in finished.results.data.items():
        assert np.isfinite(data).all(), name
        assert (data >= 0).all(), name


def test_same_seed_same_results_different_seed_different():
    a, b, c = short_sim(seed=11), short_sim(seed=11), short_sim(seed=12)
    for sim in (a, b, c):
        sim.run()
    for name in a.results.data:
        assert np.array_equal(a.results[name], b.results[name]), name
    assert not np.array_equal(a.results["seizure_events"], c.results["seizure_events"])


class Leak(Module):
    """A plain-Python step after the market: in week 5 half the retail stock vanishes without being booked."""
    name = "leak"

    def step(self, week):
        if week == 5:
            self.sim.modules["market"].stock[:] *= 0.5


def test_mass_balance_breach_names_the_week_and_the_replicate():
    sim = short_sim(steps=(*STEP_ORDER[:6], Leak, *STEP_ORDER[6:]), pars={"supply_kg_week_2023": [190.0]},
                    replicate_ids=[7])
    with pytest.raises(LedgerError, match="week 5 .*replicate 7.*retail stock"):
        sim.run()


def test_seizures_are_shares_of_attempts(finished):
    r = finished.results
    assert (r["seizure_events"] <= r["attempts"]).all()
    assert (r["seized_pure_kg"] <= r["attempted_pure_kg"] + 1e-12).all()
    shares = all_observables(r, finished.net)["seizure_share"]
    assert shares[["share_pure", "share_gross"]].dropna().stack().between(0, 1).all()


def test_batched_replicates_run_together():
    sim = short_sim(pars={"poe_detection_2023": [0.05, 0.3]})
    sim.run()
    seized = sim.results["seized_gross_kg"].sum(axis=(0, 2))
    assert sim.n_reps == 2 and seized[1] > seized[0]



def test_loads_grow_from_the_2019_to_the_2023_median_and_so_does_the_gross_per_attempt():
    sim = short_sim(start="2019-01-01", end="2023-12-31",
                    pars={"load_gross_median_kg": [2.0, 1.0], "load_gross_median_kg_2023": [2.0, 4.0]})
    sim.run()
    year = sim.calendar.decimal_year
    gross, attempts = sim.results["attempted_gross_kg"].sum(axis=2), sim.results["attempts"].sum(axis=2)  # (week, rep)
    early, late = (year > 2019.6) & (year < 2020), year > 2023.5
    early, late = gross[early].sum(0) / attempts[early].sum(0), gross[late].sum(0) / attempts[late].sum(0)
    assert late[0] / early[0] == pytest.approx(1.0, abs=0.15)          # flat when the anchors agree
    assert late[1] / early[1] == pytest.approx(3.6, rel=0.2)   # 4 kg after mid-2023 / ~1.1 kg in late 2019
    median = sim.modules["production"].load_gross_median(np.searchsorted(year, [2019.5, 2023.5])[:, None])
    np.testing.assert_allclose(median[:, 1], [1.0, 4.0], rtol=0.02)


def test_between_ports_detection_moves_from_its_2019_to_its_2023_anchor():
    sim = short_sim(start="2019-01-01", end="2023-12-31",
                    pars={"between_detection": [0.05], "between_detection_2023": [0.2]})
    weeks = np.searchsorted(sim.calendar.decimal_year, [2019.0, 2021.5, 2023.9])
    between = sim.modules["crossing"].detection(weeks)[:, 0, ~sim.net.crossing_is_port]
    np.testing.assert_allclose(between[:, 0], [0.05, 0.1, 0.2], rtol=0.03)   # geometric: 0.1 halfway


# Processes one by one -----------------------------------------------------------------
class ShipmentCheck(Module):
    """After production: this week's cargo carries exactly what each site shipped, in consistent fields."""
    name = "shipment_check"
    weeks = 0

    def step(self, week):
        production = self.sim.modules["production"]
        cargo = production.cargo[0]
        np.testing.assert_allclose(cargo[:, PILL_PURE] + cargo[:, POWDER_PURE], production.shipped[0],
                                   rtol=1e-12, atol=1e-12)
        assert np.all(cargo[:, PILL_PURE] <= cargo[:, PILL_GROSS]) and np.all(cargo[:, PILLS_GE2MG] <= cargo[:, PILLS])
        np.testing.assert_allclose(cargo[:, PILLS], cargo[:, PILL_GROSS] * 1e6 / self.pars["pill_mass_mg"][0])
        self.weeks += int(production.shipped[0].sum() > 0)


def test_cargo_carries_exactly_what_sites_ship():
    sim = short_sim(steps=(*STEP_ORDER[:2], ShipmentCheck, *STEP_ORDER[2:]))
    for week in range(30):
        sim.step(week)
    assert sim.modules["shipment_check"].weeks > 20


def test_each_sites_cargo_goes_to_its_own_routes_and_mexico_takes_their_risk(finished):
    sim = short_sim()
    for week in range(10):
        sim.step(week)
    transport, net = sim.modules["transport"], sim.net
    shares = np.bincount(net.route_site, transport.route_share[0], minlength=net.n_sites)
    np.testing.assert_allclose(shares, 1.0)
    risk = np.bincount(net.route_site, transport.route_share[0] * transport.route_risk[0], minlength=net.n_sites)
    np.testing.assert_allclose(transport.seized_by_site[0], risk * transport.dispatched[0], rtol=1e-12)
    assert sim.loads_on_road > 0 and transport.leaving[0, :, PILL_LOADS].sum() > 0


def test_distribution_shares_sum_to_one(finished):
    np.testing.assert_allclose(finished.modules["distribution"].shares.sum(axis=2), 1.0)


def test_no_supply_means_no_deaths_and_baseline_violence():
    # conflict that brings half the rise far above what 10 kg a week makes
    sim = short_sim(pars={"supply_kg_week_2023": 10.0, "overdose_hazard": 1e-6, "violence_state_drift": 0.0,
                          "violence_half_conflict": 10.0})
    sim.run()
    assert sim.results["deaths"].sum() < 50
    homicides = sim.results["homicides"].sum(axis=(0, 1))
    violence = sim.modules["violence"].state
    baseline = violence.baseline[0] * np.exp(violence.state_shift[0]) * 1.5   # 2015 share x state factor, 1.5 years
    assert homicides.sum() == pytest.approx(baseline.sum(), rel=0.1)


# Levers -----------------------------------------------------------------------------
def _attempt_share(sim, unit):
    attempts = sim.results["attempts"][:, 0, :]
    mask = np.array([u == unit for u in sim.net.crossing_unit])
    late = attempts[-26:]
    return late[:, mask].sum() / late.sum()


def test_port_inspection_surge_displaces_loads_the_balloon_effect():
    surge = Intervention("port_inspection", "2019-01-01", "2020-12-31", 3.0, ("San Diego Field Office",))
    base, pushed = short_sim(seed=5), short_sim(seed=5, interventions=[surge])
    base.run()
    pushed.run()
    # Attempts are blind to detection but for the balloon effect: without it the share would not move.
    assert _attempt_share(pushed, "San Diego Field Office") < 0.85 * _attempt_share(base, "San Diego Field Office")
    assert _attempt_share(pushed, "Tucson Field Office") > _attempt_share(base, "Tucson Field Office")


def test_precursor_control_bites_then_erodes():
    control = Intervention("precursor_control", "2019-06-01", "2020-06-30", 0.5)
    base, cut = short_sim(seed=2), short_sim(seed=2, interventions=[control])
    base.run()
    cut.run()
    ratio = cut.results["precursor_inflow_kg"].sum(axis=(1, 2)) / base.results["precursor_inflow_kg"].sum(axis=(1, 2))
    week = cut.calendar.week_of
    assert ratio[week("2019-06-10")] == pytest.approx(0.5, abs=0.08)
    assert ratio[week("2020-06-01")] > ratio[week("2019-06-10")] + 0.1


@pytest.mark.parametrize("kind,strength,result,direction", [
    ("raids", 10.0, "destroyed_kg", +1),
    ("domestic_enforcement", 2.0, "domestic_seized_pure_kg", +1),
    ("treatment", 5.0, "deaths", -1),
    ("naloxone", 0.8, "deaths", -1),
    ("potency_shock", 1.0, "deaths", +1),
])
def test_each_lever_moves_its_outcome(kind, strength, result, direction):
    lever = Intervention(kind, "2019-01-01", "2020-06-30", strength)
    base, treated = short_sim(seed=9), short_sim(seed=9, interventions=[lever])
    base.run()
    treated.run()
    change = treated.results[result].sum() - base.results[result].sum()
    assert np.sign(change) == direction


@pytest.mark.parametrize("kwargs,message", [
    (dict(kind="bombing", start="2020", end="2021", strength=1), "unknown intervention"),
    (dict(kind="raids", start="2020", end="2021", strength=-1), "strength"),
    (dict(kind="potency_shock", start="2020", end="2021", strength=0.5, places=("CA",)), "takes no places"),
])
def test_bad_interventions_are_input_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        Intervention(**kwargs)


def test_unknown_place_and_bad_window_are_input_errors():
    with pytest.raises(InputError, match="unknown place 'Atlantis'"):
        short_sim(interventions=[Intervention("port_inspection", "2019", "2020", 1.0, ("Atlantis",))])
    with pytest.raises(InputError, match="acts on ports of entry, and 'Tucson Sector'"):
        short_sim(interventions=[Intervention("port_inspection", "2019", "2020", 1.0, ("Tucson Sector",))])
    with pytest.raises(InputError, match="before it starts"):
        short_sim(interventions=[Intervention("raids", "2020-05-01", "2019-01-01", 1.0)])


def test_a_large_share_of_a_border_city_passes_as_freely_as_all_of_it(world):
    from fentflow.sim.network import network_of, route_appeal
    from fentflow.sim.pars import Pars
    net = network_of(world)
    culiacan = net.route_site == net.sites.index("SIN-CDS")
    tijuana = culiacan & (net.route_crossing == net.crossings.index("2504"))   # San Ysidro: CDS holds 0.45
    nogales = culiacan & (net.route_crossing == net.crossings.index("2604"))   # CDS holds 0.90
    appeal = route_appeal(net, Pars({"plaza_passage_share": [1.0, 0.45], "plaza_access_exponent": 6.0}))
    ratio = appeal[:, tijuana][:, 0] / appeal[:, nogales][:, 0]
    assert ratio[1] / ratio[0] == pytest.approx((0.9 / 0.45) ** 6)   # both at full passage once 0.45 suffices


def test_loads_already_on_the_road_meet_the_detection_of_the_week_they_arrive():
    """A load is inspected as it sets off, but with its arrival week's detection: an inspection surge
    catches more of the loads reaching the border in its first week, all of which set off before it."""
    surge = Intervention("port_inspection", "2019-07-01", "2019-12-31", 2.0)
    base, surged = short_sim(), short_sim(interventions=[surge])
    base.run(), surged.run()
    first = int(np.searchsorted(base.calendar.week_start, np.datetime64("2019-07-01")))
    before, during = (sim.results["seizure_events"][:, 0].sum(axis=1) for sim in (base, surged))
    np.testing.assert_array_equal(before[:first], during[:first])
    assert during[first] > before[first]
