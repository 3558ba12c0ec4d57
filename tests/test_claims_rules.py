"""Known-value tests of the rules that turn numbers into claim verdicts, and of their number formats."""
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from fentflow.claims import fmt
from fentflow.claims.row import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, PRIMARY_NOT_FOUND, ClaimRow, cited
from fentflow.claims.rules import (Band, band_contains, combined_verdict, inside, margin_verdict, ranges_overlap,
                                   verdict, within_factor)


def test_inside_reads_exact_lower_and_upper_claims():
    assert inside(5, 4, 6) and not inside(7, 4, 6) and not inside(3, 4, 6)
    assert inside(4, 4, 6) and inside(6, 4, 6)                 # closed interval
    # "more than 3" fits an interval reaching above 3; "more than 7" does not fit [4, 6]
    assert inside(3, 4, 6, bound="lower") and not inside(7, 4, 6, bound="lower")
    # "less than 7" fits; "less than 3" does not
    assert inside(7, 4, 6, bound="upper") and not inside(3, 4, 6, bound="upper")
    assert not inside(math.nan, 4, 6)
    with pytest.raises(ValueError):
        inside(5, 4, 6, bound="about")


def test_within_factor_is_symmetric_and_closed():
    assert within_factor(150, 100, 1.5) and within_factor(100, 150, 1.5)
    assert not within_factor(151, 100, 1.5) and not within_factor(66, 100, 1.5)
    assert not within_factor(0, 100, 2) and not within_factor(100, 0, 2)
    with pytest.raises(ValueError):
        within_factor(1, 1, 0.5)


def test_band_of_one_replicate_is_the_value_and_widening_is_the_tolerance():
    band = Band.of([60_000])
    assert (band.median, band.p05, band.p95, band.n) == (60_000, 60_000, 60_000, 1)
    assert band_contains(band, 90_000, factor=1.5) and not band_contains(band, 90_001, factor=1.5)
    share = Band.of([0.42])
    assert band_contains(share, 0.40, plus_minus=0.05) and not band_contains(share, 0.30, plus_minus=0.05)
    with pytest.raises(ValueError):
        band_contains(band, 1, factor=1.5, plus_minus=0.1)


def test_band_over_replicates_uses_5_and_95_percentiles_and_skips_nan():
    band = Band.of([*range(101), math.nan])
    assert (band.median, band.p05, band.p95, band.n) == (50, 5, 95, 101)
    assert Band.of([math.nan]).n == 0 and not band_contains(Band.of([]), 1, factor=2)


def test_ranges_overlap_including_touching_ends():
    assert ranges_overlap(0.10, 0.15, 0.144, 0.192)
    assert ranges_overlap(0.10, 0.15, 0.15, 0.20)
    assert not ranges_overlap(0.10, 0.15, 0.16, 0.20)


def test_verdict_words():
    assert verdict(True) == CONSISTENT and verdict(False) == INCONSISTENT


def test_claim_row_rejects_unknown_verdicts_and_missing_urls():
    fields = dict(id="C5", check="x", claim="c", public_figure="p", source_url="https://example.org",
                  primary_url=PRIMARY_NOT_FOUND, fentflow="f", verdict=CONSISTENT, rule="r", reason="why")
    assert ClaimRow(**fields).as_dict()["numbers"] == {}
    with pytest.raises(ValueError, match="verdict"):
        ClaimRow(**{**fields, "verdict": "maybe"})
    with pytest.raises(ValueError, match="source_url"):
        ClaimRow(**{**fields, "source_url": "CDC"})
    for blank_or_vague in ("", "CDC"):                   # a missing publisher's page must be said outright
        with pytest.raises(ValueError, match="primary_url"):
            ClaimRow(**{**fields, "primary_url": blank_or_vague})


def test_cited_says_when_a_record_has_no_publishers_page():
    copy, publisher = "https://copy.example.org", "https://publisher.example.gov"
    assert cited(pd.Series({"source_url": copy, "primary_url": publisher})) == {"source_url": copy,
                                                                               "primary_url": publisher}
    for record in (pd.Series({"source_url": copy, "primary_url": float("nan")}), {"source_url": copy},
                   SimpleNamespace(source_url=copy, primary_url="")):
        assert cited(record) == {"source_url": copy, "primary_url": PRIMARY_NOT_FOUND}, record


@pytest.mark.parametrize("value, text", [(89_522, "89,500"), (141.7, "142"), (0.7, "0.7"), (36e6, "36 million"),
                                         (10.2e6, "10.2 million"), (0.0123, "0.0123"), (0, "0")])
def test_significant_figures(value, text):
    assert fmt.sig(value) == text


def test_spans_and_bands_as_text():
    assert fmt.span(0.10, 0.15, as_pct=True) == "10-15%"
    assert fmt.span(22.8e6, 97.3e6) == "22.8-97.3 million"
    assert fmt.band(Band.of([0.423]), as_pct=True) == "42.3%"
    assert fmt.band(Band.of(range(101)), whole=True) == "50 (5-95% over 101 replicates: 5-95)"


def test_margin_verdict_clear_of_zero_either_way_decides_whatever_the_driver():
    for unsourced in (True, False):
        assert margin_verdict(1, 30, unsourced) == CONSISTENT
        assert margin_verdict(-30, -1, unsourced) == INCONSISTENT
    assert margin_verdict(0, 30, False) == INCONSISTENT         # touching zero is not above it


def test_margin_verdict_straddling_zero_is_not_checkable_only_when_an_assumption_sets_the_sign():
    assert margin_verdict(-26_100, 17_351, sign_set_by_assumption=True) == NOT_CHECKABLE
    assert margin_verdict(-26_100, 17_351, sign_set_by_assumption=False) == INCONSISTENT
    with pytest.raises(ValueError):
        margin_verdict(5, -5, True)
    with pytest.raises(ValueError):
        margin_verdict(math.nan, 5, True)


def test_combined_verdict_any_inconsistent_then_any_not_checkable():
    assert combined_verdict([CONSISTENT, CONSISTENT]) == CONSISTENT
    assert combined_verdict([CONSISTENT, NOT_CHECKABLE]) == NOT_CHECKABLE
    assert combined_verdict([NOT_CHECKABLE, INCONSISTENT, CONSISTENT]) == INCONSISTENT
