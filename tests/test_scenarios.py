"""Scenario files: the bundled ones load and document themselves; bad files fail with file, field and exit 2."""
import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from fentflow.errors import InputError
from fentflow.ensemble.cli import scenarios_command
from fentflow.policy.scenarios import bundled_names, check_scenario, load_scenario, parse_scenario
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START
from fentflow.sim.engine import Sim
from fentflow.sim.network import build_network

BUNDLED = {"baseline", "port_surge", "precursor_crackdown", "precursor_crackdown_strong", "raids_tripled",
           "treatment", "naloxone_saturation", "combined", "potency_up_30", "potency_down_30"}

GOOD = """
name = "surge"
[[interventions]]
kind = "port_inspection"
start = "2025-01-01"
end = "2026-12-31"
strength = 1.0
places = ["San Diego Field Office"]
"""


@pytest.fixture(scope="module")
def net(world):
    return build_network(world)


def test_every_bundled_scenario_loads_checks_and_documents_its_assumptions(net):
    assert set(bundled_names()) == BUNDLED
    for name in BUNDLED:
        scenario = load_scenario(name)
        check_scenario(scenario, net, DEFAULT_START, DEFAULT_END)
        assert scenario.name == name and scenario.title and scenario.description and scenario.assumptions
        assert (len(scenario.interventions) == 0) == (name == "baseline")


def test_the_scenario_levers_are_what_their_files_say():
    surge = load_scenario("port_surge").interventions[0]
    assert (surge.kind, surge.strength, surge.places) == ("port_inspection", 1.0, ("San Diego Field Office",))
    assert load_scenario("raids_tripled").interventions[0].strength == 2.0          # x 3
    assert {i.kind for i in load_scenario("combined").interventions} == {
        "port_inspection", "between_enforcement", "precursor_control", "raids", "domestic_enforcement",
        "treatment", "naloxone"}


def _potency_and_deaths(interventions, world):
    """Mean retail mg per unit over Feb-Jun 2025, and deaths Jan-Jun 2025, of one short run from mid-2024."""
    sim = Sim(world, start="2024-07-01", end="2025-06-30", seed=4, parameters="defaults", replicates=1,
              interventions=interventions)
    sim.run()
    in_2025 = sim.calendar.decimal_year >= 2025.0
    settled = sim.calendar.decimal_year >= 2025.3       # most of the retail stock is shocked product
    return sim.results["potency_mg_per_unit"][settled].mean(), sim.results["deaths"][in_2025].sum()


def test_the_potency_probes_move_potency_and_deaths_the_way_their_names_say(world):
    base_mg, base_deaths = _potency_and_deaths((), world)
    for name, factor, direction in (("potency_up_30", 1.3, 1), ("potency_down_30", 0.7, -1)):
        scenario = load_scenario(name)
        assert [(i.kind, i.start, i.end) for i in scenario.interventions] == [
            ("potency_shock", "2025-01-01", "2026-12-31")]
        mg, deaths = _potency_and_deaths(scenario.interventions, world)
        assert mg / base_mg == pytest.approx(factor, abs=0.1)
        assert np.sign(deaths - base_deaths) == direction


def test_a_scenario_file_by_path(tmp_path, net):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    scenario = load_scenario(path)
    check_scenario(scenario, net, DEFAULT_START, DEFAULT_END)
    assert scenario.name == "surge" and scenario.source == str(path)


def test_the_fingerprint_follows_the_levers_not_the_prose():
    one = parse_scenario(GOOD)
    assert parse_scenario(GOOD.replace('name = "surge"', 'name = "other"\ntitle = "x"')).fingerprint() == \
        one.fingerprint()
    assert parse_scenario(GOOD.replace("strength = 1.0", "strength = 2.0")).fingerprint() != one.fingerprint()


@pytest.mark.parametrize("change, field, words", [
    (('kind = "port_inspection"', 'kind = "teleport"'), "interventions[1].kind", "unknown intervention"),
    (("strength = 1.0", "strength = 12"), "interventions[1].strength", "outside [0, 10]"),
    (("strength = 1.0", 'strength = "big"'), "interventions[1].strength", "must be a number"),
    (('end = "2026-12-31"', 'end = "2024-12-31"'), "interventions[1].end", "before it starts"),
    (('start = "2025-01-01"', 'start = "soon"'), "interventions[1].start", "not a date"),
    (('end = "2026-12-31"\n', ""), "interventions[1].end", "missing"),
    (("strength = 1.0", "strength = 1.0\nstrenght = 2"), "interventions[1].strenght", "unknown key"),
    (('name = "surge"', 'name = "surge"\nintervention = 1'), "intervention", "unknown key"),
    (('name = "surge"', 'name = "Surge Now"'), "name", "lower-case"),
])
def test_bad_files_name_the_field(change, field, words):
    with pytest.raises(InputError) as caught:
        parse_scenario(GOOD.replace(*change), source="bad.toml")
    assert caught.value.file == "bad.toml" and caught.value.field == field
    assert words in caught.value.problem


def test_places_are_checked_against_the_world(net):
    unknown = parse_scenario(GOOD.replace("San Diego Field Office", "Atlantis"))
    with pytest.raises(InputError, match="unknown place 'Atlantis'"):
        check_scenario(unknown, net, DEFAULT_START, DEFAULT_END)
    wrong_kind = parse_scenario(GOOD.replace("San Diego Field Office", "Tucson Sector"))
    with pytest.raises(InputError, match=r"acts on ports of entry, and 'Tucson Sector' \(a Border Patrol sector\)"):
        check_scenario(wrong_kind, net, DEFAULT_START, DEFAULT_END)
    assert parse_scenario(GOOD.replace("San Diego Field Office", "2504")).interventions[0].places == ("2504",)


def test_a_window_outside_the_span_and_bad_toml_and_unknown_names(net):
    with pytest.raises(InputError, match="outside the simulated span"):
        check_scenario(parse_scenario(GOOD), net, "2015-01-01", "2020-12-31")
    with pytest.raises(InputError, match="not valid TOML"):
        parse_scenario("kind = = 1")
    with pytest.raises(InputError, match="no scenario 'nonesuch'"):
        load_scenario("nonesuch")


def cli():
    app = typer.Typer()
    app.command("scenarios")(scenarios_command)
    app.command("other")(lambda: None)   # two commands: Typer keeps the command name
    return app


def test_cli_lists_shows_and_rejects(tmp_path):
    runner = CliRunner()
    listed = runner.invoke(cli(), ["scenarios"])
    assert listed.exit_code == 0 and "precursor_crackdown" in listed.output
    shown = runner.invoke(cli(), ["scenarios", "treatment"])
    assert shown.exit_code == 0 and "MOUD" in shown.output
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("strength = 1.0", "strength = 99"))
    result = runner.invoke(cli(), ["scenarios", str(bad)])
    assert result.exit_code == 2
    assert "error:" in result.output and "interventions[1].strength" in result.output
    assert "Traceback" not in result.output
