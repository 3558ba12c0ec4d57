"""Known-value tests of the risk index's pieces: normalisation, aggregation, levels, drivers, the index."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fentflow.risk.aggregate import shifted_geometric_mean, weighted_mean
from fentflow.risk.drivers import NO_DRIVER, format_value, main_drivers
from fentflow.risk.index import RiskIndex
from fentflow.risk.levels import level_name, level_number
from fentflow.risk.method import CUT_POINTS, DIMENSION_WEIGHTS, INDICATORS, LEVELS, METHOD, IndexMethod, describe_method
from fentflow.risk.normalise import log_goalpost_score


# --- normalisation -----------------------------------------------------------------------------

def test_log_goalposts_known_values():
    scores = log_goalpost_score([0, 0.5, 1, 10, 100, 1000, -3, np.nan], low=1, high=100)
    assert scores == pytest.approx([0, 0, 0, 5, 10, 10, 0, 0])


def test_log_goalposts_three_decades():
    # 10 kg to 10 t: each decade is a third of the scale
    assert log_goalpost_score([100, 1000, 316.227766], 10, 10_000) == pytest.approx([10 / 3, 20 / 3, 5.0])


def test_log_goalposts_reject_bad_goalposts():
    with pytest.raises(ValueError):
        log_goalpost_score([1], low=0, high=10)
    with pytest.raises(ValueError):
        log_goalpost_score([1], low=10, high=10)


# --- aggregation -------------------------------------------------------------------------------

def test_weighted_mean():
    assert weighted_mean(np.array([[2.0, 8.0], [0.0, 9.0]]), np.array([0.25, 0.75])) == pytest.approx([6.5, 6.75])


def test_shifted_geometric_mean_known_values():
    # (h+1)^0.5 (e+1)^0.5 - 1
    assert shifted_geometric_mean(8, 8, 0.5) == pytest.approx(8.0)
    assert shifted_geometric_mean(8, 0, 0.5) == pytest.approx(2.0)          # sqrt(9 * 1) - 1
    assert shifted_geometric_mean(3, 15, 0.5) == pytest.approx(7.0)         # sqrt(4 * 16) - 1
    assert shifted_geometric_mean(0, 0, 0.5) == pytest.approx(0.0)
    assert shifted_geometric_mean(10, 10, 0.3) == pytest.approx(10.0)       # the ends stay the ends
    assert shifted_geometric_mean(3, 0, 1.0) == pytest.approx(3.0)          # all weight on hazard


def test_shifted_geometric_mean_is_not_fully_compensatory():
    balanced = shifted_geometric_mean(5, 5, 0.5)
    lopsided = shifted_geometric_mean(10, 0, 0.5)
    assert balanced == pytest.approx(5.0)
    assert lopsided == pytest.approx(math.sqrt(11) - 1)
    assert lopsided < balanced    # same arithmetic mean, lower risk


def test_shifted_geometric_mean_broadcasts():
    out = shifted_geometric_mean(np.array([[8.0, 3.0]]), np.array([[8.0, 15.0]]), np.array([[0.5], [1.0]]))
    assert out.shape == (2, 2)
    assert out == pytest.approx(np.array([[8.0, 7.0], [8.0, 3.0]]))


# --- levels ------------------------------------------------------------------------------------

def test_cut_points_and_levels_are_inform_classes():
    assert CUT_POINTS == (2.0, 3.5, 5.0, 6.5)
    assert LEVELS == ("Low", "Moderate", "High", "Very high", "Extreme")


@pytest.mark.parametrize("score, level", [
    (0.0, "Low"), (1.999, "Low"), (2.0, "Moderate"), (3.49, "Moderate"), (3.5, "High"), (4.99, "High"),
    (5.0, "Very high"), (6.49, "Very high"), (6.5, "Extreme"), (10.0, "Extreme"),
])
def test_level_cut_points_open_their_level(score, level):
    assert list(level_name([score])) == [level]
    assert level_number(score) == LEVELS.index(level)


def test_levels_are_ordered():
    levels = level_name([7, 1, 4])
    assert levels.ordered and levels.max() == "Extreme" and levels.min() == "Low"


def test_levels_with_other_cut_points():
    assert list(level_number([0.5, 1.5, 2.5], cut_points=(1, 2))) == [0, 1, 2]


# --- the method's declarations -------------------------------------------------------------------

def test_method_weights_sum_to_one_per_dimension():
    assert sum(DIMENSION_WEIGHTS.values()) == pytest.approx(1.0)
    for dimension in ("hazard", "exposure"):
        assert sum(i.weight for i in INDICATORS if i.dimension == dimension) == pytest.approx(1.0)
    assert all(i.why and i.source and 0 < i.low < i.high for i in INDICATORS)


def test_method_rejects_inconsistent_choices():
    with pytest.raises(ValueError, match="one more level"):
        IndexMethod(cut_points=(1.0, 2.0))
    with pytest.raises(ValueError, match="increase"):
        IndexMethod(cut_points=(3.0, 2.0, 5.0, 6.5))
    with pytest.raises(ValueError, match="sum to 1"):
        IndexMethod(dimension_weights={"hazard": 0.7, "exposure": 0.7})


def test_with_weights_renormalises_within_dimensions():
    method = METHOD.with_weights({"production": 2.0, "transit": 1.0, "precursor_entry": 1.0}, hazard_weight=0.7)
    weights = {i.name: i.weight for i in method.indicators}
    assert weights["production"] == pytest.approx(0.5)
    assert weights["transit"] == pytest.approx(0.25)
    assert weights["homicide_rate"] == pytest.approx(0.5)
    assert dict(method.dimension_weights) == pytest.approx({"hazard": 0.7, "exposure": 0.3})
    assert method.names == METHOD.names


def test_describe_method_states_formula_and_cut_points():
    lines = describe_method()
    assert lines[0].startswith("risk = ((hazard + 1)^0.5")
    assert "Extreme from 6.5" in lines[-1]


# --- drivers -----------------------------------------------------------------------------------

def test_main_drivers_rank_positive_contributions():
    contributions = pd.Series({"a": 0.1, "b": 0.5, "c": 0.0, "d": 0.4})
    assert main_drivers(contributions) == ["b", "d"]
    assert main_drivers(pd.Series({"a": 0.0, "b": 0.0})) == []


@pytest.mark.parametrize("name, value, text", [
    ("homicide_rate", 118.0, "118/100k"), ("homicide_rate", 9.54, "9.5/100k"),
    ("production", 6047.3, "6.0 t"), ("transit", 603.4, "603 kg"),
])
def test_format_value(name, value, text):
    assert format_value(name, value) == text


# --- the index on a hand-made table ------------------------------------------------------------

@pytest.fixture(scope="module")
def hand_index():
    raw = pd.DataFrame({
        # homicide rate per 100k; conflict, production, transit, precursor entry in kg/yr
        "homicide_rate":      [100.0, 10.0, 1.0, 100.0],
        "conflict_intensity": [10_000.0, 316.227766, 0.0, 0.0],
        "production":         [10_000.0, 0.0, 0.0, 0.0],
        "transit":            [10_000.0, 1000.0, 0.0, 0.0],
        "precursor_entry":    [10_000.0, 100.0, 0.0, 0.0],
        "ignored":            [1.0, 2.0, 3.0, 4.0],
    }, index=["MAX", "MID", "NONE", "VIOLENT"])
    return RiskIndex(raw)


def test_index_known_scores(hand_index):
    assert hand_index.hazard.to_dict() == pytest.approx({"MAX": 10.0, "MID": 5.0, "NONE": 0.0, "VIOLENT": 5.0})
    # MID exposure = (0 + 20/3 + 10/3) / 3 = 10/3
    assert hand_index.exposure.to_dict() == pytest.approx({"MAX": 10.0, "MID": 10 / 3, "NONE": 0.0, "VIOLENT": 0.0})
    expected_mid = math.sqrt(6 * (10 / 3 + 1)) - 1
    assert hand_index.score.to_dict() == pytest.approx(
        {"MAX": 10.0, "MID": expected_mid, "NONE": 0.0, "VIOLENT": math.sqrt(6) - 1})
    assert list(hand_index.level.astype(str)) == ["Extreme", "High", "Low", "Low"]
    assert list(hand_index.level_number) == [4, 2, 0, 0]


def test_index_contributions_and_drivers(hand_index):
    totals = hand_index.contributions.sum(axis=1).to_dict()
    assert totals == pytest.approx({"MAX": 1, "MID": 1, "NONE": 0, "VIOLENT": 1})
    assert hand_index.contributions.loc["VIOLENT", "homicide_rate"] == pytest.approx(1.0)
    assert hand_index.drivers["VIOLENT"] == "homicide rate 100/100k (10.0)"
    assert hand_index.drivers["MID"] == "homicide rate 10/100k (5.0); conflict intensity 316 kg (5.0)"
    assert hand_index.drivers["NONE"] == NO_DRIVER


def test_index_table_has_everything(hand_index):
    table = hand_index.table()
    assert list(table.index) == ["MAX", "MID", "NONE", "VIOLENT"]
    for column in ("level", "level_number", "score", "hazard", "exposure", "drivers", "homicide_rate",
                   "homicide_rate_score", "precursor_entry_score"):
        assert column in table
    assert "ignored" not in table


def test_index_treats_missing_values_as_no_activity():
    raw = pd.DataFrame({"homicide_rate": [10.0]}, index=["X"])
    index = RiskIndex(raw)
    assert index.exposure["X"] == 0.0
    assert index.hazard["X"] == pytest.approx(2.5)


@pytest.mark.parametrize("score, text", [(6.4979, "6.49"), (6.5, "6.50"), (0.0, "0.00"), (10.0, "10.00"),
                                         (1.999999, "1.99")])
def test_score_text_never_crosses_a_cut_point(score, text):
    from fentflow.risk.levels import score_text

    assert score_text(score) == text
