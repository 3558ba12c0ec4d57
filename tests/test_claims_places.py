"""Claims C1-C4, C9 and C13 (where production, precursors, crossings, violence, raids and risk are):
rows with sources, verdicts that follow their rules, and each rule failing on a counterpart that should fail."""
import math

import pandas as pd
import pytest

from fentflow.claims import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, claim_rows, registered
from fentflow.claims import c01_production_states as c01
from fentflow.claims import c02_precursor_ports as c02
from fentflow.claims import c03_port_crossings as c03
from fentflow.claims import c04_western_violence as c04
from fentflow.claims import c09_culiacan_raid as c09
from fentflow.claims import c13_risk_map as c13
from fentflow.claims.figures import _figure, _figures, figure
from fentflow.claims.rules import at_least_probability, count_plausible, poisson_range
from fentflow.observed.series import load_series

NEW_CLAIMS = ["C1", "C2", "C3", "C4", "C9", "C13"]


@pytest.fixture(scope="module")
def rows(claim_context):
    return claim_rows(claim_context, NEW_CLAIMS)


def by_check(rows, claim_id, check):
    [row] = [row for row in rows if row.id == claim_id and row.check == check]
    return row


def test_all_thirteen_claims_have_a_check():
    assert [entry.id for entry in registered()] == [f"C{n}" for n in range(1, 14)]


def test_every_new_row_has_a_source_a_rule_and_numbers(rows):
    assert {row.id for row in rows} == set(NEW_CLAIMS)
    for row in rows:
        assert row.source_url.startswith("http") and row.rule and row.reason and row.fentflow, row
        assert row.verdict == NOT_CHECKABLE or row.numbers, row


# The rules these claims added --------------------------------------------------------------------

def test_binomial_tail_known_values():
    assert at_least_probability(22, 26, 0.6) == pytest.approx(0.006629, rel=1e-3)
    assert at_least_probability(0, 26, 0.3) == 1.0
    assert at_least_probability(26, 26, 0.5) == pytest.approx(0.5 ** 26)
    assert count_plausible(22, 26, 0.75) and not count_plausible(22, 26, 0.6)
    with pytest.raises(ValueError):
        at_least_probability(27, 26, 0.5)


def test_poisson_range_known_values():
    assert poisson_range(25, 25) == (17, 33)
    assert poisson_range(0.0, 0.0) == (0, 0)
    low, high = poisson_range(10, 40)
    assert low == poisson_range(10, 10)[0] and high == poisson_range(40, 40)[1]


def test_claim_figures_carry_marks_and_urls():
    assert figure("teu_mexico_2017").value == 6_375_338
    assert math.isnan(figure("ofac_manzanillo_2021").value)
    good = pd.Series({"key": "k", "claim": "C2", "value": "1", "unit": "TEU", "period": "2017", "what": "w",
                      "confidence": "stated", "source_url": "https://example.org", "primary_url": "", "note": ""})
    assert _figure(good).value == 1
    with pytest.raises(ValueError, match="confidence"):
        _figure(good.copy().replace({"stated": "sure"}))
    with pytest.raises(ValueError, match="primary_url"):
        _figure(good.copy().replace({"": "www.example.org"}))
    with pytest.raises(KeyError, match="claim_figures.csv"):
        figure("no such figure")


def test_every_claim_figure_names_its_publishers_page_or_says_it_was_not_located():
    for key, fig in _figures().items():
        assert fig.primary_url.startswith("https://") or "not located" in fig.note, key
    assert figure("global_guardian_map_2023").primary_url == "https://globalguardian.com/risk-map"


# C1 ------------------------------------------------------------------------------------------------

def lab_record():
    labs = load_series("mexico_fentanyl_labs")
    return labs[(labs["what"] == c01.LAB_RECORD) & (labs["state"] != "ALL")]


def test_c1_record_supports_sinaloa_only_and_fails_the_claim(rows):
    row = by_check(rows, "C1", "SEDENA lab record")
    assert row.numbers["labs_SIN"] == 22 and row.numbers["labs_JAL"] == 0 and row.numbers["labs_total"] == 26
    assert row.verdict == INCONSISTENT


def test_c1_record_rule_passes_when_every_named_state_has_a_lab():
    record = lab_record()
    extra = pd.concat([record.iloc[[0]].assign(state=s, labs=1) for s in ("JAL", "MICH", "GRO")])
    assert c01._against_lab_record(pd.concat([record, extra])).verdict == CONSISTENT


def test_c1_model_row_reads_the_binomial_tail(rows, claim_context, monkeypatch):
    row = by_check(rows, "C1", "fentflow model")
    n = row.numbers
    assert n["sinaloa_raid_share"] == pytest.approx(0.63)          # world production.csv capacity share
    assert n["tail_probability"] == pytest.approx(at_least_probability(22, 26, n["sinaloa_raid_share"]))
    assert row.verdict == (CONSISTENT if n["tail_probability"] >= 0.05 else INCONSISTENT)
    assert 0.5 < n["sinaloa_share"] < n["named_share"] <= 1
    # A model whose raids fall in Sinaloa 90% of the time makes SEDENA's record likely; one at 30% does not.
    monkeypatch.setattr(c01, "_raid_share", lambda sim, state_of: 0.9)
    assert c01._against_model(claim_context, lab_record()).verdict == CONSISTENT
    monkeypatch.setattr(c01, "_raid_share", lambda sim, state_of: 0.3)
    assert c01._against_model(claim_context, lab_record()).verdict == INCONSISTENT


# C2 ------------------------------------------------------------------------------------------------

def test_c2_record_and_model(rows):
    record = by_check(rows, "C2", "port record")
    assert record.numbers["manzanillo_share"] == pytest.approx(2_830_370 / 6_375_338)
    assert record.verdict == CONSISTENT
    model = by_check(rows, "C2", "fentflow model")
    assert model.numbers["model_MANZANILLO"] == pytest.approx(0.40)     # the world's entry share
    assert model.verdict == CONSISTENT and "assumption" in model.reason


def test_c2_rules_fail_on_counterparts_that_should_fail(claim_context, monkeypatch):
    real = c02.figure
    bigger_veracruz = lambda key: (real(key) if key != "teu_veracruz_2017"  # noqa: E731
                                   else real(key).__class__(**{**vars(real(key)), "value": 4e6}))
    monkeypatch.setattr(c02, "figure", bigger_veracruz)
    assert c02._against_port_record().verdict == INCONSISTENT
    monkeypatch.setattr(c02, "container_share", lambda key: 0.9)
    assert c02._against_model(claim_context).verdict == INCONSISTENT


# C3 ------------------------------------------------------------------------------------------------

def test_c3_port_share_from_cbp_and_the_model(rows):
    record = by_check(rows, "C3", "CBP record")
    assert record.numbers["cbp_port_share_2023"] == pytest.approx(23_927 / 26_718, rel=1e-3)
    assert record.verdict == CONSISTENT
    model = by_check(rows, "C3", "fentflow model")
    agree = all(abs(model.numbers[f"model_port_share_{fy}"] - model.numbers[f"cbp_port_share_{fy}"]) <= 0.10
                for fy in c03.FISCAL_YEARS)
    assert model.verdict == (CONSISTENT if agree else INCONSISTENT)
    assert 0 < model.numbers["model_attempted_port_share"] < 1


def test_c3_rules_fail_when_most_is_seized_between_ports(claim_context):
    component = load_series("cbp_sw_component")
    swapped = component.assign(component=component["component"].map({"port": "between", "between": "port"}))
    observed = c03.port_share(swapped.assign(replicate=0)).iloc[0]
    assert (observed < 0.5).all()
    assert c03._against_cbp_record(swapped, observed).verdict == INCONSISTENT
    assert c03._against_model(claim_context, swapped, observed).verdict == INCONSISTENT


# C4 ------------------------------------------------------------------------------------------------

def test_c4_west_to_rest_from_sesnsp_and_the_model(rows):
    record = by_check(rows, "C4", "SESNSP record")
    assert record.numbers["west_rate_2022"] / record.numbers["rest_rate_2022"] == pytest.approx(2.06, abs=0.01)
    assert record.verdict == CONSISTENT
    model = by_check(rows, "C4", "fentflow model")
    within = all(1 / 1.5 <= model.numbers[f"sesnsp_ratio_{y}"] / model.numbers[f"model_ratio_{y}"] <= 1.5
                 for y in c04.YEARS)
    assert model.verdict == (CONSISTENT if within else INCONSISTENT)


def test_c4_rules_fail_when_the_west_is_calm(claim_context):
    sesnsp = load_series("sesnsp_homicides")
    calm = sesnsp.assign(victims=sesnsp["victims"].where(~sesnsp["abbr"].isin(c04.WEST), sesnsp["victims"] // 5))
    assert c04._against_sesnsp(calm).verdict == INCONSISTENT
    assert c04._against_model(claim_context, calm).verdict == INCONSISTENT


# C9 ------------------------------------------------------------------------------------------------

def test_c9_rows(rows):
    record = by_check(rows, "C9", "SEDENA record")
    assert record.numbers["sedena_kg"] == 542 and record.verdict == CONSISTENT
    stock = by_check(rows, "C9", "site stock").numbers
    overlap = stock["pure_kg_p05"] <= stock["model_stock_p95"] and stock["model_stock_p05"] <= stock["pure_kg_p95"]
    assert by_check(rows, "C9", "site stock").verdict == (CONSISTENT if overlap else INCONSISTENT)
    raids = by_check(rows, "C9", "raid rate")
    assert raids.numbers["sedena_labs"] == 3 + 3 + 5 + 3 + 10
    assert raids.numbers["model_expected_raids"] == pytest.approx(5.0 * 5, rel=0.01)   # 5 raids/year, 5 years
    assert raids.verdict == CONSISTENT and "by construction" in raids.reason


def test_c9_rules_fail_on_counterparts_that_should_fail(claim_context, monkeypatch):
    labs = load_series("mexico_fentanyl_labs")
    assert c09._raid_rate(claim_context, labs.assign(labs=labs["labs"] * 10)).verdict == INCONSISTENT
    monkeypatch.setattr(c09, "CLAIMED_KG", 50_000)       # far more than any modelled site holds
    assert c09._site_stock(claim_context).verdict == INCONSISTENT
    assert c09._against_sedena().verdict == INCONSISTENT


# C13 -----------------------------------------------------------------------------------------------

def test_c13_counts_states_at_high_or_above(rows, claim_context, monkeypatch):
    assert by_check(rows, "C13", "Global Guardian map").verdict == NOT_CHECKABLE
    risk = by_check(rows, "C13", "fentflow risk map")
    n = risk.numbers
    assert n["states"] == 32
    assert n["states_high_or_above"] == n["states_high"] + n["states_very_high"] + n["states_extreme"]
    assert risk.verdict == (CONSISTENT if 2 * n["states_high_or_above"] >= 32 else INCONSISTENT)
    monkeypatch.setattr(c13, "HIGH", 0)                   # "Low or above": every state, so the rule passes
    assert c13._fentflow_map(claim_context).verdict == CONSISTENT
    monkeypatch.setattr(c13, "HIGH", 5)                   # above Extreme: no state, so it fails
    assert c13._fentflow_map(claim_context).verdict == INCONSISTENT


def test_a_world_without_the_places_makes_rows_not_checkable(claim_context, monkeypatch):
    monkeypatch.setattr(c09, "SITE", "NOWHERE")
    assert c09._site_stock(claim_context).verdict == NOT_CHECKABLE
    monkeypatch.setattr(c02, "PORTS", {"NOWHERE": "teu_manzanillo_2017"})
    assert c02._against_model(claim_context).verdict == NOT_CHECKABLE
    monkeypatch.setattr(c01, "_raid_share", lambda sim, state_of: float("nan"))     # a model with no raids
    assert c01._against_model(claim_context, lab_record()).verdict == NOT_CHECKABLE
