"""Reading amount expressions, and the clear errors for the ones that cannot be read."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fentflow.errors import InputError
from fentflow.observed.amounts import KG_PER_UNIT, Amount, parse_amount
from fentflow.units import KG_PER_LB


@pytest.mark.parametrize("text, expected", [
    ("13000 lb pills", Amount(13_000, "lb", "pills")),
    ("13,000 lbs of fentanyl pills", Amount(13_000, "lb", "pills")),
    ("10.2 million pills", Amount(10_200_000, "pills", "pills")),
    ("10.2M pills", Amount(10_200_000, "pills", "pills")),
    ("980 lb powder", Amount(980, "lb", "powder")),
    ("980 pounds of powder", Amount(980, "lb", "powder")),
    ("5 kg powder", Amount(5, "kg", "powder")),
    ("5kg fentanyl powder", Amount(5, "kg", "powder")),
    ("2 kg pure", Amount(2, "kg", "pure")),
    ("2 kg of pure fentanyl", Amount(2, "kg", "pure")),
    ("1,000 pills", Amount(1_000, "pills", "pills")),
    ("1000 tablets", Amount(1_000, "pills", "pills")),
    ("36 million doses", Amount(36e6, "doses", "doses")),
    ("36 million potentially lethal doses", Amount(36e6, "doses", "doses")),
    ("1.1 billion lethal doses", Amount(1.1e9, "doses", "doses")),
    ("2 metric tons pure", Amount(2, "t", "pure")),
    ("500 g powder", Amount(500, "g", "powder")),
    ("2 mg pure", Amount(2, "mg", "pure")),
    ("  16 OZ  Powder ", Amount(16, "oz", "powder")),
    ("1e6 pills", Amount(1e6, "pills", "pills")),
    ("0 pills", Amount(0, "pills", "pills")),
])
def test_expressions_people_use(text, expected):
    assert parse_amount(text) == expected


def test_mass_units_are_exact():
    assert parse_amount("13000 lb pills").kg == 13_000 * KG_PER_LB
    assert parse_amount("16 oz powder").kg == pytest.approx(KG_PER_LB, rel=1e-15)
    assert parse_amount("2 t pure").kg == 2_000.0


@pytest.mark.parametrize("text, field", [
    ("", "expression"),
    ("   ", "expression"),
    ("5 furlongs powder", "unit"),
    ("5 powder", "unit"),
    ("13000", "unit"),
    ("10 million", "unit"),
    ("3 tons pure", "unit"),
    ("13000 lb", "form"),
    ("5 kg gold", "form"),
    ("5 kg doses", "form"),
    ("-5 kg powder", "amount"),
    ("- 3 pills", "amount"),
    ("five kg powder", "amount"),
    ("1,00 pills", "amount"),
    ("1e999 pills", "amount"),
    ("5 kg powder please", "expression"),
    ("1000 pills powder", "expression"),
    ("5 [/x] pills", "expression"),
])
def test_bad_expressions_name_the_field(text, field):
    with pytest.raises(InputError) as caught:
        parse_amount(text)
    assert caught.value.field == field
    assert f"field '{field}'" in str(caught.value)


def test_error_messages_help():
    with pytest.raises(InputError, match="lb pills', 'lb powder' or 'lb pure"):
        parse_amount("13000 lb")
    with pytest.raises(InputError, match="unknown unit 'furlongs'; use mg, g, kg"):
        parse_amount("5 furlongs powder")
    with pytest.raises(InputError, match="must not be negative"):
        parse_amount("-5 kg powder")
    with pytest.raises(InputError, match="short ton is 2,000 lb"):
        parse_amount("3 tons pure")


def test_amounts_are_checked_when_built_directly():
    with pytest.raises(InputError, match="field 'form'"):
        Amount(5, "kg", "doses")
    with pytest.raises(InputError, match="field 'unit'"):
        Amount(5, "stone", "powder")
    with pytest.raises(InputError, match="field 'amount'"):
        Amount(-1, "pills", "pills")


@given(amount=st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
       unit=st.sampled_from(sorted(KG_PER_UNIT)),
       form=st.sampled_from(["pills", "powder", "pure"]))
@settings(max_examples=200, deadline=None)
def test_any_written_mass_reads_back(amount, unit, form):
    assert parse_amount(f"{amount!r} {unit} {form}") == Amount(amount, unit, form)


@given(st.integers(min_value=0, max_value=10**12))
@settings(max_examples=100, deadline=None)
def test_counts_with_thousands_separators_read_back(count):
    assert parse_amount(f"{count:,} pills").amount == count


def test_str_writes_a_readable_expression():
    amount = parse_amount("10.2 million pills")
    assert str(amount) == "10,200,000 pills"
    assert parse_amount(str(amount)) == amount
    assert str(parse_amount("980 lb powder")) == "980 lb powder"
