"""Sensitivity of the levels to weights and cut points: shapes, determinism, sense."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fentflow.risk.index import RiskIndex
from fentflow.risk.method import LEVELS
from fentflow.risk.sensitivity import FACTORS, LevelSensitivity

SAMPLES = 64


@pytest.fixture(scope="module")
def index():
    raw = pd.DataFrame({
        "homicide_rate":      [100.0, 10.0, 1.0, 30.0, 3.0],
        "conflict_intensity": [10_000.0, 316.0, 0.0, 3000.0, 30.0],
        "production":         [10_000.0, 0.0, 0.0, 300.0, 0.0],
        "transit":            [10_000.0, 1000.0, 0.0, 3000.0, 100.0],
        "precursor_entry":    [10_000.0, 100.0, 0.0, 0.0, 0.0],
    }, index=["TOP", "MID", "NONE", "EDGE", "LOW"])
    return RiskIndex(raw)


@pytest.fixture(scope="module")
def sensitivity(index):
    return LevelSensitivity(index, samples=SAMPLES, seed=3)


def test_shapes(sensitivity, index):
    evaluations = SAMPLES * (len(FACTORS) + 2)
    assert sensitivity.design.shape == (evaluations, len(FACTORS))
    assert sensitivity.level_samples.shape == (evaluations, len(index.score))
    assert sensitivity.level_shares.shape == (5, len(LEVELS))
    assert sensitivity.first_order.shape == sensitivity.total_order.shape == (5, len(FACTORS))
    assert sensitivity.level_shares.sum(axis=1).to_numpy() == pytest.approx(1.0)
    assert list(sensitivity.table().columns) == ["level", "stability", "lowest_level", "highest_level",
                                                 "most_influential"]


def test_design_stays_in_the_declared_ranges(sensitivity):
    for factor in FACTORS:
        column = sensitivity.design[factor.name]
        assert column.min() >= factor.low and column.max() <= factor.high


def test_deterministic_given_the_seed(index, sensitivity):
    again = LevelSensitivity(index, samples=SAMPLES, seed=3)
    np.testing.assert_array_equal(again.level_samples, sensitivity.level_samples)
    pd.testing.assert_frame_equal(again.total_order, sensitivity.total_order)
    other = LevelSensitivity(index, samples=SAMPLES, seed=4)
    assert not np.array_equal(other.design.to_numpy(), sensitivity.design.to_numpy())


def test_extremes_are_stable_and_the_middle_is_not(sensitivity):
    stability = sensitivity.stability
    assert stability["TOP"] == 1.0 and stability["NONE"] == 1.0      # 10 and 0 cannot move
    assert stability["MID"] < 1.0
    table = sensitivity.table()
    assert table.loc["TOP", "lowest_level"] == table.loc["TOP", "highest_level"] == "Extreme"
    # a zero score moves against the cut points only when they move
    none = sensitivity.total_order.loc["NONE"]
    assert none["cut_shift"] > 0.9 and (none.drop("cut_shift") == 0).all()
    assert table.loc["NONE", "most_influential"] == "cut_shift"


def test_summary(sensitivity):
    summary = sensitivity.summary()
    assert summary["evaluations"] == SAMPLES * (len(FACTORS) + 2)
    assert 0 < summary["mean_stability"] <= 1
    assert summary["states_always_same"] >= 2
