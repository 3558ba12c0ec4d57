"""The calibration shipped with the package: its files, the parameter sources that read it
(`run`, `compare`, `claims`) and the C8 claim built on it."""
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fentflow.calibrate.posterior import default_posterior_path, load_default_posterior
from fentflow.calibrate.priors import FITTED
from fentflow.calibrate.shipped import shipped_path, shipped_table
from fentflow.claims import ClaimContext, claim_rows
from fentflow.cli import app
from fentflow.errors import InputError
from fentflow.sim.pars import PAR_BY_NAME
from fentflow.sim.sources import DefaultParameters, PosteriorDraws, parameter_source

QUANTILES = ["p05", "p25", "median", "p75", "p95"]


# The files ------------------------------------------------------------------------------------------

def test_the_shipped_posterior_is_a_weighted_table_of_valid_fitted_parameters():
    posterior = load_default_posterior()
    PosteriorDraws.load(default_posterior_path())            # bounds and weights checked as `run` reads it
    assert {c for c in posterior.columns if c in PAR_BY_NAME} == set(FITTED)
    assert len(posterior) >= 400 and posterior["weight"].sum() == pytest.approx(1.0)
    generations = shipped_table("generations")
    last = generations.iloc[-1]
    assert last["ess"] >= 0.1 * last["particles"], "the shipped population's weights have collapsed"
    spec = json.loads(shipped_path("data/calibration.json").read_text())
    assert spec["finished"] and spec["spec"]["budget"]["name"] == "default"
    assert spec["spec"]["targets"]["data_end"] == 2023


def test_the_shipped_seizure_shares_are_ordered_quantiles_for_every_year_component_and_measure():
    shares = shipped_table("seizure_share")
    assert set(shares["year"]) >= set(range(2019, 2024))
    assert set(shares["component"]) == {"port", "between", "all"} and set(shares["measure"]) == {"pure", "gross"}
    values = shares[QUANTILES].to_numpy()
    assert (np.diff(values, axis=1) >= -1e-12).all() and ((values >= 0) & (values <= 1)).all()


def test_the_shipped_posterior_reproduces_the_deaths_and_the_border_seizures():
    """Within a factor 2 on average (MALE < ln 2) and inside the 90% bands for at least 80% of points
    (a series of four points may miss one)."""
    errors = shipped_table("predictive_errors").set_index("series")
    for series in ("cdc_synthetic_deaths", "cbp_sw_component_lb", "dea_share_2mg"):
        points = errors.loc[series, "n"]
        assert errors.loc[series, "male"] < np.log(2), series
        assert errors.loc[series, "coverage_90"] * points >= min(0.8 * points, points - 1), series


def test_the_shipped_estimates_exist_for_the_report_and_the_readme():
    for name in ("national", "posterior_summary"):
        assert not shipped_table(name).empty, name
    national = shipped_table("national")
    assert {"attempted_pure_t", "consumed_pure_t"} <= set(national["quantity"])


# Parameter sources ---------------------------------------------------------------------------------------

def test_calibrated_defaults_and_files_are_the_three_parameter_sources(tmp_path):
    assert isinstance(parameter_source("defaults"), DefaultParameters)
    calibrated = parameter_source("calibrated")
    assert isinstance(calibrated, PosteriorDraws) and set(calibrated.columns) == set(FITTED)
    assert parameter_source(str(default_posterior_path())).digest == calibrated.digest
    with pytest.raises(InputError, match="not found"):
        parameter_source(str(tmp_path / "missing.parquet"))


def test_calibrated_parameters_without_a_shipped_posterior_are_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setattr("fentflow.calibrate.posterior.default_posterior_path", lambda: tmp_path / "none.parquet")
    with pytest.raises(InputError) as caught:
        parameter_source("calibrated")
    assert caught.value.field == "--parameters" and "defaults" in caught.value.problem


def _run(tmp_path, *options):
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", "--start", "2019-01-01", "--end", "2019-06-30", "--quiet",
                                      "--out", str(out), *options])
    return result, out


def test_run_uses_one_posterior_draw_per_replicate_by_default(tmp_path):
    result, out = _run(tmp_path, "--replicates", "3", "--seed", "4")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    source = parameter_source("calibrated")
    assert summary["draws"] == [source.draw_of(r, 4) for r in range(3)]
    assert "posterior draws" in summary["parameter_source"]
    drawn = source.values(range(3), 4)["poe_detection_2023"]
    assert summary["parameters"]["poe_detection_2023"] == pytest.approx(np.median(drawn), abs=1e-6)


def test_run_with_default_parameters_says_so(tmp_path):
    result, out = _run(tmp_path, "--parameters", "defaults")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["draws"]) == {-1} and summary["parameter_source"].startswith("default parameters")
    assert summary["parameters"]["poe_detection_2023"] == PAR_BY_NAME["poe_detection_2023"].default


def test_run_with_a_bad_posterior_file_exits_2_naming_it(tmp_path):
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"not_a_parameter": [1.0]}).to_parquet(bad)
    result, out = _run(tmp_path, "--parameters", str(bad))
    assert result.exit_code == 2 and "bad.parquet" in result.output and "not_a_parameter" in result.output
    assert "Traceback" not in result.output and not out.exists()


# C8 -------------------------------------------------------------------------------------------------------

def test_c8_reads_the_shipped_seizure_share_of_2022():
    shares = shipped_table("seizure_share")
    rows = claim_rows(ClaimContext(), ["C8"])
    assert [row.check.split("(")[1] for row in rows] == ["pure weight)", "gross weight)"]
    for row, measure in zip(rows, ("pure", "gross")):
        expected = shares[(shares["year"] == 2022) & (shares["component"] == "all")
                          & (shares["measure"] == measure)].iloc[0]
        assert row.numbers["median"] == pytest.approx(expected["median"])
        inside = expected["p05"] <= 0.10 <= expected["p95"]
        assert row.verdict == ("consistent" if inside else "inconsistent")


def test_c8_is_not_checkable_without_a_shipped_calibration(monkeypatch):
    monkeypatch.setattr("fentflow.claims.c08_seizure_share._shipped_shares", lambda: None)
    rows = claim_rows(ClaimContext(), ["C8"])
    assert [row.verdict for row in rows] == ["not checkable", "not checkable"]
    assert all("fentflow calibrate" in row.fentflow for row in rows)
