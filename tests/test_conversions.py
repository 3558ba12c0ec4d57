"""Conversions: exact identities stay exact, known DEA figures fall inside the intervals,
same seed gives the same answer, and intervals are ordered."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fentflow.errors import InputError
from fentflow.observed.amounts import Amount
from fentflow.observed.conversions import DEFAULT_DRAWS, Estimate, convert
from fentflow.units import DOSES_PER_PURE_KG, KG_PER_LB

EXPRESSIONS = ["13000 lb pills", "10.2 million pills", "980 lb powder", "5 kg powder", "2 kg pure",
               "1,000 pills", "36 million doses"]


def uncertain(estimate: Estimate) -> bool:
    return estimate.p05 < estimate.p50 < estimate.p95


# --- exact identities -----------------------------------------------------------------------

def test_one_pure_kg_is_500000_doses_exactly():
    result = convert("1 kg pure")
    assert result.doses == Estimate.exact(500_000.0)
    assert result.pure_kg == Estimate.exact(1.0)
    assert result.pills is None and result.gross_kg is None and result.gross_lb is None


def test_doses_to_pure_kg_is_exact():
    assert convert("36 million doses").pure_kg == Estimate.exact(72.0)
    assert convert("36 million doses").doses == Estimate.exact(36e6)


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False))
@settings(max_examples=50, deadline=None)
def test_pure_mass_gives_doses_at_dea_rate(kg):
    result = convert(Amount(kg, "kg", "pure"), draws=100)
    assert result.doses.point == kg * DOSES_PER_PURE_KG
    assert result.doses.is_exact


def test_lb_and_kg_are_exact_both_ways():
    result = convert("13000 lb pills")
    assert result.gross_lb == Estimate.exact(13_000.0)
    assert result.gross_kg == Estimate.exact(13_000 * KG_PER_LB)
    kg_input = convert("5 kg powder")
    assert kg_input.gross_kg == Estimate.exact(5.0)
    assert kg_input.gross_lb.point == pytest.approx(5 / KG_PER_LB, rel=1e-15)


def test_a_pill_count_stays_exact():
    assert convert("10.2 million pills").pills == Estimate.exact(10.2e6)


# --- known values ---------------------------------------------------------------------------

def test_dea_surge_pills_contain_2_4_mg_per_pill():
    pure = convert("10.2 million pills", year=2022).pure_kg
    expected = 10.2e6 * 2.4 / 1e6                    # DEA 2022 mean: 24.48 kg
    assert pure.point == pytest.approx(expected)
    assert pure.p05 < expected < pure.p95


def test_dea_surge_powder_is_about_19_percent_pure():
    pure = convert("980 lb powder", year=2022).pure_kg
    expected = 0.192 * 980 * KG_PER_LB               # 85.3 kg
    assert pure.point == pytest.approx(expected)
    assert pure.p05 < expected < pure.p95
    assert pure.p95 < 980 * KG_PER_LB                # never more fentanyl than powder


def test_dea_surge_headline_doses_fit_the_pills_and_powder():
    pills = convert("10.2 million pills", year=2022).doses
    powder = convert("980 lb powder", year=2022).doses
    assert pills.p05 + powder.p05 < 36e6 < pills.p95 + powder.p95   # DEA: '>36 million doses'


def test_cbp_13000_lb_of_pills_is_tens_of_millions_of_pills():
    result = convert("13000 lb pills")
    assert result.year == 2022
    assert result.pills.point == pytest.approx(13_000 * KG_PER_LB * 1e6 / 100)   # 100 mg a pill
    assert 40e6 < result.pills.p05 < result.pills.p95 < 80e6
    assert result.pure_kg.point == pytest.approx(result.pills.point * 2.4e-6)


def test_older_years_have_weaker_pills_and_powder():
    assert convert("1000 pills", year=2019).pure_kg.point < convert("1000 pills", year=2022).pure_kg.point
    assert convert("1 kg powder", year=2017).pure_kg.point == pytest.approx(0.07)


# --- Monte Carlo behaviour ------------------------------------------------------------------

@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_same_seed_same_result(expression):
    assert convert(expression, seed=7) == convert(expression, seed=7)


def test_different_seeds_differ_but_agree():
    first, second = convert("5 kg powder", seed=1).pure_kg, convert("5 kg powder", seed=2).pure_kg
    assert first != second
    assert first.p50 == pytest.approx(second.p50, rel=0.02)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_intervals_are_ordered(expression):
    for name, estimate in convert(expression).quantities().items():
        if estimate is not None:
            assert estimate.p05 <= estimate.p50 <= estimate.p95, name
            assert estimate.p05 <= estimate.point <= estimate.p95, name


def test_uncertain_quantities_have_real_intervals():
    result = convert("13000 lb pills")
    assert uncertain(result.pills) and uncertain(result.pure_kg) and uncertain(result.doses)
    assert uncertain(convert("1,000 pills").gross_kg)


def test_common_random_numbers_make_conversions_proportional():
    small, large = convert("1,000 pills", seed=3), convert("10.2 million pills", seed=3)
    ratio = 10.2e6 / 1_000
    for low, high in [(small.pure_kg.p05, large.pure_kg.p05), (small.pure_kg.p95, large.pure_kg.p95)]:
        assert high == pytest.approx(low * ratio, rel=1e-12)


def test_default_draws_and_explicit_draws():
    assert convert("2 kg pure").draws == DEFAULT_DRAWS == 20_000
    assert convert("5 kg powder", draws=500).draws == 500


def topics(expression: str) -> set[str]:
    return {line.split(":")[0].split(" (")[0] for line in convert(expression).assumptions}


def test_assumptions_say_what_was_used():
    assert {"pill mass", "fentanyl per pill", "powder purity"} & topics("13000 lb pills") == {
        "pill mass", "fentanyl per pill"}
    assert {"pill mass", "fentanyl per pill", "powder purity"} & topics("980 lb powder") == {
        "powder purity"}
    assert convert("2 kg pure").assumptions == convert("36 million doses").assumptions
    assert "2 mg" in convert("2 kg pure").assumptions[0]


@pytest.mark.parametrize("kwargs, field", [
    ({"draws": 10}, "draws"), ({"draws": 2.5}, "draws"), ({"seed": -1}, "seed"), ({"year": 1990}, "year"),
])
def test_bad_options_are_input_errors(kwargs, field):
    with pytest.raises(InputError) as caught:
        convert("5 kg powder", **kwargs)
    assert caught.value.field == field
