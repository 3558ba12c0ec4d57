"""Amounts of fentanyl as people quote them: "13,000 lb pills", "10.2 million pills", "2 kg pure".

An `Amount` is a number, a unit and a form:

- a **mass** (mg, g, kg, t, oz, lb) of `pills`, `powder` or `pure` fentanyl;
- a **count** of `pills` or of `doses` (potentially lethal 2 mg doses).

`parse_amount` reads the short English expressions used in news and reports and raises
`InputError` naming the field at fault (`expression`, `amount`, `unit` or `form`).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from fentflow.errors import InputError
from fentflow.units import KG_PER_LB

FORMS = ("pills", "powder", "pure", "doses")
MASS_FORMS = ("pills", "powder", "pure")

KG_PER_UNIT = {
    "mg": 1e-6,
    "g": 1e-3,
    "kg": 1.0,
    "t": 1e3,
    "oz": KG_PER_LB / 16,   # avoirdupois ounce, exact like the pound
    "lb": KG_PER_LB,
}
COUNT_UNITS = ("pills", "doses")

_MASS_ALIASES = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "g": "g", "gram": "g", "grams": "g",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "t": "t", "tonne": "t", "tonnes": "t",
    "oz": "oz", "ounce": "oz", "ounces": "oz",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
}
_PILL_WORDS = {"pill", "pills", "tablet", "tablets", "tab", "tabs"}
_COUNT_ALIASES = {**{word: "pills" for word in _PILL_WORDS}, "dose": "doses", "doses": "doses"}
_FORM_ALIASES = {**{word: "pills" for word in _PILL_WORDS}, "powder": "powder", "pure": "pure",
                 "dose": "doses", "doses": "doses"}
_AMBIGUOUS_UNITS = {"ton", "tons"}
_FILLER_WORDS = {"of", "fentanyl"}
_MULTIPLIERS = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
                "billion": 1e9, "bn": 1e9}
# Multi-word names, rewritten to one word before the expression is split.
_PHRASES = (
    (re.compile(r"\b(?:potentially\s+)?(?:lethal|deadly)\s+(doses?)\b"), r"\1"),
    (re.compile(r"\bmetric\s+(?:tons?|tonnes?)\b"), "t"),
)
_NUMBER = re.compile(
    r"(?P<sign>[-+]?)\s*"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<exponent>e[-+]?\d+)?"
    r"(?![\d,.])"
)
_ALLOWED_TEXT = re.compile(r"[a-z0-9 ,.+\-]+")
_UNIT_LIST = "mg, g, kg, t, oz, lb (mass) or pills, doses (count)"
_EXAMPLES = "e.g. '13000 lb pills', '10.2 million pills', '980 lb powder', '2 kg pure', '36 million doses'"


@dataclass(frozen=True)
class Amount:
    """A quantity of fentanyl: `amount` in `unit` (a mass or count unit) of a `form`."""

    amount: float
    unit: str       # one of KG_PER_UNIT (mass) or COUNT_UNITS
    form: str       # one of FORMS

    def __post_init__(self) -> None:
        _check_amount(self.amount)
        if self.unit not in KG_PER_UNIT and self.unit not in COUNT_UNITS:
            raise InputError(f"unknown unit {self.unit!r}; use {_UNIT_LIST}", field="unit")
        if self.form not in FORMS:
            raise InputError(f"unknown form {self.form!r}; use {', '.join(FORMS)}", field="form")
        if self.is_mass and self.form not in MASS_FORMS:
            raise InputError(f"a mass must be of pills, powder or pure, not {self.form}", field="form")
        if not self.is_mass and self.form != self.unit:
            raise InputError(f"a count of {self.unit} cannot be of form {self.form}", field="form")

    @property
    def is_mass(self) -> bool:
        return self.unit in KG_PER_UNIT

    @property
    def kg(self) -> float:
        """The mass in kilograms (exact unit factors); only for mass amounts."""
        if not self.is_mass:
            raise ValueError(f"{self} is a count, not a mass")
        return self.amount * KG_PER_UNIT[self.unit]

    def __str__(self) -> str:
        number = f"{self.amount:,.10g}"
        return f"{number} {self.unit} {self.form}" if self.is_mass else f"{number} {self.unit}"


def parse_amount(text: str) -> Amount:
    """Read an expression such as "13,000 lb pills", "10.2 million pills" or "5 kg powder"."""
    cleaned = _normalise(text)
    if not cleaned:
        raise InputError(f"empty expression; write an amount, {_EXAMPLES}", field="expression")
    if not _ALLOWED_TEXT.fullmatch(cleaned):
        # The offending characters are not echoed: brackets would be read as console markup.
        raise InputError(f"use only letters, digits, spaces, commas, periods, + and -; {_EXAMPLES}",
                         field="expression")
    number, words = _split_number(cleaned)
    multiplier, words = _take_multiplier(words)
    amount = number * multiplier
    _check_amount(amount)
    unit, form = _unit_and_form(words)
    return Amount(amount, unit, form)


def _normalise(text: str) -> str:
    cleaned = " ".join(str(text).lower().split())
    for pattern, replacement in _PHRASES:
        cleaned = pattern.sub(replacement, cleaned)
    return cleaned


def _split_number(text: str) -> tuple[float, list[str]]:
    match = _NUMBER.match(text)
    if not match:
        first_word = text.split()[0]
        if first_word[0] in "+-.0123456789":
            raise InputError(f"cannot read the number {first_word!r}; write e.g. 13000, 13,000 "
                             f"or 1.3e4", field="amount")
        raise InputError(f"expected a number first, {_EXAMPLES}", field="amount")
    if match["sign"] == "-":
        raise InputError("the amount must not be negative", field="amount")
    number = float(match["digits"].replace(",", "") + (match["exponent"] or ""))
    return number, text[match.end():].split()


def _take_multiplier(words: list[str]) -> tuple[float, list[str]]:
    if words and words[0] in _MULTIPLIERS:
        return _MULTIPLIERS[words[0]], words[1:]
    return 1.0, words


def _check_amount(amount: float) -> None:
    if not math.isfinite(amount):
        raise InputError("the amount must be a finite number", field="amount")
    if amount < 0:
        raise InputError("the amount must not be negative", field="amount")


def _unit_and_form(words: list[str]) -> tuple[str, str]:
    words = [word for word in words if word not in _FILLER_WORDS]
    if not words:
        raise InputError(f"missing unit; use {_UNIT_LIST}, {_EXAMPLES}", field="unit")
    first, rest = words[0], words[1:]
    if first in _MASS_ALIASES:
        return _MASS_ALIASES[first], _mass_form(first, rest)
    if first in _COUNT_ALIASES:
        _reject_extra_words(rest)
        return _COUNT_ALIASES[first], _COUNT_ALIASES[first]
    raise _unit_error(first)


def _mass_form(unit_word: str, words: list[str]) -> str:
    if not words:
        raise InputError(f"a mass needs a form: '{unit_word} pills', '{unit_word} powder' "
                         f"or '{unit_word} pure'", field="form")
    form = _FORM_ALIASES.get(words[0])
    if form is None:
        raise InputError(f"unknown form {words[0]!r}; use pills, powder or pure", field="form")
    if form == "doses":
        raise InputError("doses are counted, not weighed; write e.g. '36 million doses' or "
                         "'2 kg pure'", field="form")
    _reject_extra_words(words[1:])
    return form


def _unit_error(word: str) -> InputError:
    if word in _AMBIGUOUS_UNITS:
        return InputError(f"{word!r} is ambiguous (a U.S. short ton is 2,000 lb, a metric tonne "
                          f"1,000 kg); write 'tonnes' or 'lb'", field="unit")
    if word in ("powder", "pure"):
        return InputError(f"a {word} amount needs a mass unit before it: mg, g, kg, t, oz or lb "
                          f"(e.g. '5 kg {word}')", field="unit")
    return InputError(f"unknown unit {word!r}; use {_UNIT_LIST}", field="unit")


def _reject_extra_words(words: list[str]) -> None:
    if words:
        raise InputError(f"unexpected words {' '.join(words)!r} after the amount; {_EXAMPLES}",
                         field="expression")
