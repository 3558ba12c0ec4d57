"""Claim rows C11 and C12 come from a paired comparison, with intervals, and verdicts that follow their rules."""
import pytest

from fentflow.claims import ClaimContext, claim_rows
from fentflow.ensemble import ComparisonSpec, DefaultParameters, compare, evidence, write_report
from fentflow.policy.scenarios import load_scenario

SPAN = ("2024-07-01", "2026-12-31")


@pytest.fixture(scope="module")
def comparison_dir(tmp_path_factory):
    """A small `fentflow compare` folder holding the claim arms (window 2025-2026)."""
    out = tmp_path_factory.mktemp("claims-compare")
    spec = ComparisonSpec(tuple(load_scenario(name) for name in evidence.CLAIM_ARMS), runs=3, block_size=3,
                          start=SPAN[0], end=SPAN[1], seed=2, parameters=DefaultParameters())
    write_report(compare(spec, out, workers=0), out, charts=False)
    return out


@pytest.fixture(scope="module")
def rows(comparison_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(evidence.ENV_COMPARISON, str(comparison_dir))
        return claim_rows(ClaimContext(seed=2), ["C11", "C12"])


def by_check(rows, claim, check):
    [row] = [row for row in rows if row.id == claim and row.check == check]
    return row


def test_c11_and_c12_rows_exist_with_sources_rules_and_intervals(rows):
    assert [(row.id, row.check) for row in rows] == [
        ("C11", "2019-like precursor control"), ("C11", "stronger precursor control"),
        ("C12", "demand vs enforcement"), ("C12", "seizures alone")]
    for row in rows:
        assert row.source_url.startswith("http") and row.rule and row.reason
        assert "90%" in row.fentflow


def test_c11_verdicts_follow_the_rule(rows):
    for check in ("2019-like precursor control", "stronger precursor control"):
        row = by_check(rows, "C11", check)
        n = row.numbers
        assert n["runs"] == 3 and n["erosion_p05"] <= n["erosion_p50"] <= n["erosion_p95"]
        holds = n["largest_cut_p95"] < 0.5 and n["erosion_p05"] > 0
        assert row.verdict == ("consistent" if holds else "inconsistent")
    weak, strong = (by_check(rows, "C11", c).numbers for c in ("2019-like precursor control",
                                                               "stronger precursor control"))
    assert strong["cut_first_year_p50"] > weak["cut_first_year_p50"] > 0     # a stronger control cuts more


def test_c12_verdicts_follow_the_rule(rows):
    demand = by_check(rows, "C12", "demand vs enforcement").numbers
    wins = all(demand[f"margin_vs_{arm}_p05"] > 0 for arm in ("port_surge", "precursor_crackdown", "raids_tripled"))
    assert by_check(rows, "C12", "demand vs enforcement").verdict == ("consistent" if wins else "inconsistent")
    seizures = by_check(rows, "C12", "seizures alone")
    stops = any(seizures.numbers[f"cut_{arm}_p95"] >= 0.5 for arm in ("port_surge", "precursor_crackdown",
                                                                       "raids_tripled"))
    assert seizures.verdict == ("inconsistent" if stops else "consistent")
    assert demand["averted_treatment_p50"] > 0
    # read from a folder, nothing is simulated: a straddling raids margin cannot be tested against its driver
    if demand["margin_vs_raids_tripled_p05"] <= 0 <= demand["margin_vs_raids_tripled_p95"]:
        assert "not run" in by_check(rows, "C12", "demand vs enforcement").fentflow


def test_a_sensitivity_fixes_one_parameter_in_every_run_and_keeps_the_rest():
    from fentflow.sim.sources import WithFixed, parameter_source

    base = parameter_source("calibrated")
    fixed = WithFixed(base, (("raid_capacity_loss", 0.0),))
    values = fixed.values([0, 1, 2], seed=0)
    assert values["raid_capacity_loss"] == [0.0, 0.0, 0.0]
    assert {k: v for k, v in values.items() if k != "raid_capacity_loss"} == base.values([0, 1, 2], seed=0)
    assert [fixed.draw_of(k, 0) for k in range(3)] == [base.draw_of(k, 0) for k in range(3)]
    assert fixed.fingerprint() != base.fingerprint() and "raid_capacity_loss = 0" in fixed.describe()
    with pytest.raises(ValueError, match="outside its bounds"):
        WithFixed(base, (("raid_capacity_loss", 2.0),))


def test_a_sensitivity_reruns_only_its_arms_and_is_none_when_the_comparison_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv(evidence.ENV_COMPARISON, raising=False)
    monkeypatch.setenv(evidence.ENV_CACHE, str(tmp_path))
    monkeypatch.setattr(evidence, "CLAIM_SPAN", SPAN)
    context = ClaimContext(seed=1, replicates=2, parameters="defaults")
    again = evidence.sensitivity_comparison(context, ("raids_tripled",), (("raid_capacity_loss", 0.0),))
    assert again.computed == 2 * 2 and "raid_capacity_loss = 0" in again.description["parameters"]
    main = evidence.policy_comparison(context)
    assert main.computed == 2 * len(evidence.CLAIM_ARMS)      # its own store: the sensitivity did not replace it
    monkeypatch.setenv(evidence.ENV_COMPARISON, str(tmp_path))
    assert evidence.sensitivity_comparison(ClaimContext(), ("raids_tripled",), (("raid_capacity_loss", 0.0),)) is None


def test_without_a_folder_the_claims_simulate_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(evidence.ENV_COMPARISON, raising=False)
    monkeypatch.setenv(evidence.ENV_CACHE, str(tmp_path))
    monkeypatch.setattr(evidence, "CLAIM_SPAN", SPAN)
    first = evidence.policy_comparison(ClaimContext(seed=1, replicates=2))     # runs: the context's replicates
    assert first.computed == 2 * len(evidence.CLAIM_ARMS) and first.reused == 0
    again = evidence.policy_comparison(ClaimContext(seed=1, replicates=2))     # another context: read back
    assert again.computed == 0 and again.reused == first.computed
    assert again.differences.equals(first.differences)


def test_a_folder_without_the_claim_arms_is_an_input_error(tmp_path, monkeypatch):
    from fentflow.errors import InputError

    out = tmp_path / "small"
    spec = ComparisonSpec((load_scenario("baseline"), load_scenario("port_surge")), runs=1, block_size=1,
                          start=SPAN[0], end=SPAN[1])
    compare(spec, out, workers=0)
    monkeypatch.setenv(evidence.ENV_COMPARISON, str(out))
    with pytest.raises(InputError, match="no arm 'precursor_crackdown'"):
        claim_rows(ClaimContext(), ["C11"])
