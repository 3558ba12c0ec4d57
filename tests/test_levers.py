"""Levers on any place the world has, resolved by one rule (policy/places.py)."""
import numpy as np
import pytest

from fentflow.errors import InputError
from fentflow.policy.interventions import Intervention, Levers
from fentflow.policy.places import Places
from fentflow.policy.scenarios import check_scenario, parse_scenario
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START, Calendar
from fentflow.sim.engine import Sim
from fentflow.sim.network import build_network


@pytest.fixture(scope="module")
def net(world):
    return build_network(world)


def _targets(net, kind, *places):
    return Places.of(net).resolve(kind, places)


def _names(names, indices):
    return {names[i] for i in indices}


def test_each_kind_of_place_stands_for_the_targets_it_holds(net):
    assert _names(net.sites, _targets(net, "raids", "SIN")) == {"SIN-CDS"}
    assert _names(net.sites, _targets(net, "raids", "JAL-CJNG", "MICH")) == {"JAL-CJNG", "MICH-CJNG"}
    assert _names(net.entries, _targets(net, "precursor_control", "COL")) == {"MANZANILLO"}
    assert _names(net.entries, _targets(net, "precursor_control", "AICM")) == {"AICM"}
    assert _names(net.markets, _targets(net, "treatment", "AZ", "NM")) == {"AZ", "NM"}
    arizona = _targets(net, "port_inspection", "AZ")
    assert len(arizona) > 0 and all(net.crossing_us_state[i] == "AZ" and net.crossing_is_port[i] for i in arizona)
    tucson = _targets(net, "between_enforcement", "Tucson Sector")
    assert all(net.crossing_unit[i] == "Tucson Sector" for i in tucson) and len(tucson) > 0
    sonora = _targets(net, "between_enforcement", "SON")
    assert len(sonora) > 0 and not net.crossing_is_port[sonora].any()
    assert len(_targets(net, "domestic_enforcement")) == len(net.markets)     # no places: all of them


@pytest.mark.parametrize("kind, place, words", [
    ("raids", "CA", "raids acts on production sites, and 'CA' (a U.S. state) has none"),
    ("treatment", "SIN", "treatment acts on U.S. markets, and 'SIN' (a Mexican state) has none"),
    ("precursor_control", "SIN-CDS", "precursor_control acts on precursor entry points"),
    ("port_inspection", "MANZANILLO", "port_inspection acts on ports of entry"),
    ("raids", "Atlantis", "unknown place 'Atlantis'"),
])
def test_a_lever_aimed_where_it_cannot_act_names_file_and_field(net, kind, place, words):
    text = f'name = "x"\n[[interventions]]\nkind = "{kind}"\nstart = "2025-01-01"\nend = "2026-12-31"\n' \
           f'strength = 0.5\nplaces = ["{place}"]\n'
    with pytest.raises(InputError) as caught:
        check_scenario(parse_scenario(text, source="x.toml"), net, DEFAULT_START, DEFAULT_END)
    assert caught.value.file == "x.toml" and caught.value.field == "interventions[1].places"
    assert words in caught.value.problem


def test_the_national_potency_shock_takes_no_places():
    with pytest.raises(InputError, match="acts nationally"):
        Intervention("potency_shock", "2025-01-01", "2025-12-31", 0.5, ("SIN",))


def test_a_placed_lever_fills_only_its_places_and_weeks(net):
    calendar = Calendar.between("2024-01-01", "2025-12-31")
    levers = Levers(calendar, net, (Intervention("raids", "2025-01-01", "2025-06-30", 2.0, ("SIN", "SON")),))
    raids = levers["raids"]
    assert raids.shape == (calendar.n_weeks, len(net.sites))
    on = _names(net.sites, np.flatnonzero(raids.max(axis=0) > 0))
    assert on == {"SIN-CDS", "SON-CDS"} and raids.max() == 2.0
    assert (raids[calendar.week_start.year == 2024] == 0).all()


def test_treatment_in_one_state_moves_only_that_state_into_treatment():
    span = {"start": "2024-01-01", "end": "2024-12-31", "seed": 2}
    base, arm = Sim(**span), Sim(interventions=(Intervention("treatment", "2024-03-01", "2024-12-31", 3.0, ("CA",)),),
                                 **span)
    base.run(), arm.run()
    treated = arm.results["people_in_treatment"][-1, 0] - base.results["people_in_treatment"][-1, 0]
    california = arm.net.markets.index("CA")
    assert treated[california] > 0
    assert (np.delete(treated, california) == 0).all()
