"""How much a calibration learnt (posterior/prior widths) and the rank checks of the recovery study."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fentflow.calibrate.learning import SHARE_SETTERS, learning_summary, learning_table
from fentflow.calibrate.priors import FittedParameter
from fentflow.calibrate.sbc import posterior_rank, rank_uniformity
from fentflow.calibrate.validation import _parameter_coverage, trial_parameters
from fentflow.cli import app

LINEAR = FittedParameter("between_detection", False, 0.0, 1.0)
LOG = FittedParameter("overdose_hazard", True, -3.0, -1.0)


def _posterior(values: dict[str, np.ndarray]) -> pd.DataFrame:
    n = len(next(iter(values.values())))
    return pd.DataFrame({**values, "weight": np.full(n, 1.0 / n)})


def test_a_posterior_equal_to_its_prior_learnt_nothing():
    grid = np.linspace(0.0, 1.0, 2001)
    table = learning_table(_posterior({"between_detection": grid}), [LINEAR])
    assert table["ratio"].iloc[0] == pytest.approx(1.0, abs=0.01)
    assert bool(table["sets_seizure_share"].iloc[0])


def test_width_is_measured_on_the_log_scale_for_a_loguniform_prior():
    # log10 values uniform over a quarter of the prior's 2 decades: ratio 0.25
    values = 10.0 ** np.linspace(-2.5, -2.0, 2001)
    table = learning_table(_posterior({"overdose_hazard": values}), [LOG])
    assert table["scale"].iloc[0] == "log10"
    assert table["ratio"].iloc[0] == pytest.approx(0.25, abs=0.01)


def test_summary_names_the_widest_share_setter_and_fails_a_wide_posterior():
    narrow = np.linspace(0.45, 0.55, 1001)
    wide = np.linspace(0.0, 1.0, 1001)
    table = learning_table(_posterior({"between_detection": wide, "overdose_hazard": 10 ** (-2 + narrow / 10)}),
                           [LINEAR, LOG])
    summary = learning_summary(table)
    assert summary["share_setters_widest"] == "between_detection"
    assert summary["meets_targets"] is False
    table_ok = learning_table(_posterior({"between_detection": narrow}), [LINEAR])
    assert learning_summary(table_ok)["meets_targets"] is True


def test_share_setters_are_fitted_parameters():
    from fentflow.calibrate.priors import FITTED
    assert set(SHARE_SETTERS) <= set(FITTED)


def test_posterior_rank_is_the_weighted_mass_below_the_truth():
    samples = np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    assert posterior_rank(samples, weights, 2.5) == pytest.approx(0.3)
    assert posterior_rank(samples, weights, 3.0) == pytest.approx(0.3 + 0.15)
    assert posterior_rank(samples, weights, 0.0) == 0.0
    assert posterior_rank(samples, weights, 9.0) == 1.0


def test_rank_uniformity_accepts_uniform_ranks_and_rejects_piled_ones():
    rng = np.random.default_rng(1)
    uniform = pd.DataFrame({"parameter": "a", "rank": rng.uniform(size=200)})
    piled = pd.DataFrame({"parameter": "b", "rank": np.r_[np.zeros(100), np.ones(100)]})   # too-narrow posteriors
    table = rank_uniformity(pd.concat([uniform, piled])).set_index("parameter")
    assert bool(table.loc["a", "uniform"]) and not bool(table.loc["b", "uniform"])
    assert table.loc["b", "histogram"] == "100 0 0 0 100"
    assert table.loc["a", "trials"] == 200


def test_an_older_trial_gets_its_ranks_from_its_posterior(tmp_path):
    posterior = _posterior({"between_detection": np.linspace(0.0, 1.0, 11)})
    posterior.to_parquet(tmp_path / "posterior.parquet")
    (tmp_path / "truth.json").write_text(json.dumps({"params": {"between_detection": 0.25}, "statistics": {}}))
    _parameter_coverage(posterior, {"between_detection": 0.25}).drop(columns="rank").to_csv(
        tmp_path / "parameters.csv", index=False)
    table = trial_parameters(tmp_path)
    assert table["rank"].iloc[0] == pytest.approx(3 / 11)


def test_validate_learning_reports_the_shipped_posterior():
    result = CliRunner().invoke(app, ["validate", "learning"], terminal_width=120)
    assert result.exit_code == 0, result.output
    assert "between_detection" in result.output and "median" in result.output


def test_validate_learning_names_a_missing_posterior(tmp_path):
    result = CliRunner().invoke(app, ["validate", "learning", "--posterior", str(tmp_path / "none.parquet")])
    assert result.exit_code == 2
    assert "none.parquet" in result.output and "Traceback" not in result.output


def test_validate_learning_leaves_out_a_parameter_the_calibration_held(tmp_path):
    from fentflow.calibrate.posterior import load_default_posterior, write_posterior

    held = load_default_posterior().assign(supply_growth_2021_2023=0.0)     # as a fit through 2021 writes it
    path = write_posterior(held, tmp_path / "posterior.parquet")
    result = CliRunner().invoke(app, ["validate", "learning", "--posterior", str(path)], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "supply_growth_2019_2021" in result.output and "supply_growth_2021_2023" not in result.output
