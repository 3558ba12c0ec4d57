"""Model vs data: alignment, error measures with known values, charts, and the `fit-check` command."""
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fentflow.calibrate.fitcheck import (
    TARGETS, align, chance_male, compare, covered_months, error_measures, error_table, fit_check, summarize,
)
from fentflow.cli import app
from fentflow.observed.series import load_series
from fentflow.sim.calendar import Calendar

runner = CliRunner()
SHORT = ("2021-10-01", "2023-12-31")    # covers FY2022-FY2023 and calendar 2022-2023: every series


def data_as_observables(scale: float = 1.0, replicates: int = 1) -> dict[str, pd.DataFrame]:
    """The observed series dressed up as simulated observables, values times `scale`."""
    observables = {}
    for target in TARGETS:
        table = observables.get(target.source, load_series(target.source).copy())
        table[target.value] = table[target.value] * scale
        observables[target.source] = table
    return {name: pd.concat([table.assign(replicate=r) for r in range(replicates)], ignore_index=True)
            for name, table in observables.items()}


# Error measures: known values ------------------------------------------------------------------

def test_a_perfect_model_has_zero_log_error_and_unit_ratio():
    measures = error_measures([1, 2, 3, 4], [1, 2, 3, 4])
    assert measures["male"] == 0 and measures["mean_log_ratio"] == 0 and measures["rmse"] == 0
    assert measures["mean_ratio"] == 1 and measures["corr"] == pytest.approx(1)
    assert measures["n"] == measures["n_log"] == 4


def test_a_doubled_model_is_off_by_log_2():
    measures = error_measures([2, 4, 6, 8], [1, 2, 3, 4])
    assert measures["male"] == pytest.approx(math.log(2)) and measures["mean_log_ratio"] == pytest.approx(math.log(2))
    assert measures["mean_ratio"] == pytest.approx(2) and measures["corr"] == pytest.approx(1)
    assert measures["rmse"] == pytest.approx(math.sqrt(7.5))                     # errors 1, 2, 3, 4
    assert measures["nrmse"] == pytest.approx(math.sqrt(7.5) / 2.5)


def test_halving_and_doubling_cancel_in_the_bias_but_not_in_the_error():
    measures = error_measures([0.5, 2], [1, 1])
    assert measures["male"] == pytest.approx(math.log(2)) and measures["mean_log_ratio"] == pytest.approx(0)
    assert math.isnan(measures["corr"])          # no variation in the observed values


def test_zeros_and_nan_leave_the_log_measures_and_the_pairs():
    measures = error_measures([0, 2, 3, np.nan], [1, 0, 3, 5])
    assert measures["n"] == 3 and measures["n_log"] == 1 and measures["male"] == 0
    assert measures["mean_ratio"] == pytest.approx((0 + 1) / 2)   # observed > 0 only
    assert math.isnan(error_measures([], [])["male"])


# Alignment -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def perfect():
    return error_table(align(data_as_observables())).set_index("series")


@pytest.fixture(scope="module")
def doubled():
    return error_table(align(data_as_observables(scale=2.0))).set_index("series")


def test_the_data_against_itself_scores_zero_and_doubled_scores_log_2(perfect, doubled):
    assert set(perfect.index) == {target.name for target in TARGETS}
    assert np.allclose(perfect["male"], 0) and np.allclose(perfect["mean_ratio"], 1)
    assert np.allclose(perfect["rmse"], 0)
    assert np.allclose(doubled["male"], math.log(2)) and np.allclose(doubled["mean_ratio"], 2)


def test_bounds_are_counted_not_scored(perfect, doubled):
    pills = perfect.loc["dea_pills"]
    assert pills["n"] == 2 and pills["bounds"] == 1 and pills["bounds_met"] == 1    # 2021: < 25.3 million
    assert doubled.loc["dea_pills", "bounds_met"] == 0


def test_aligned_rows_match_each_observed_point_once_per_replicate():
    aligned = align(data_as_observables(replicates=3))
    observed_points = summarize(aligned)
    assert (observed_points["replicates"] == 3).all()
    assert len(aligned) == 3 * len(observed_points)
    assert len(observed_points.query("series == 'cbp_sw_monthly_lb'")) == 60
    assert len(observed_points.query("series == 'sesnsp_homicides'")) == 320   # 32 states, 2015-2024
    assert set(observed_points.query("series == 'dea_powder_lb'")["period"]) == {"2022", "2023"}   # 2021 unknown
    per_replicate = error_table(aligned, per_replicate=True)
    assert len(per_replicate) == 3 * len(TARGETS) and np.allclose(per_replicate["male"], 0)


def test_each_point_holds_its_replicates_sum_nan_where_the_model_has_no_row(caplog):
    observables = data_as_observables(replicates=2)
    deaths = observables["cdc_deaths"]
    observables["cdc_deaths"] = pd.concat([
        deaths[~((deaths["replicate"] == 1) & (deaths["year"] == 2020))],    # replicate 1 has no 2020
        deaths[(deaths["replicate"] == 0) & (deaths["year"] == 2021)],       # replicate 0's 2021 twice: summed
    ], ignore_index=True).sample(frac=1.0, random_state=0)                  # in no particular order
    rows = align(observables).query("series == 'cdc_synthetic_deaths'")
    years = rows["period"].astype(int).to_numpy()
    assert (rows["replicate"].to_numpy() == np.tile([0, 1], len(rows) // 2)).all()    # point by point, replicates in order
    assert (years[::2] == years[1::2]).all()
    model = rows.set_index([rows["period"].astype(int), "replicate"])["model"]
    observed = rows.set_index([rows["period"].astype(int), "replicate"])["observed"]
    assert math.isnan(model[(2020, 1)]) and model[(2020, 0)] == observed[(2020, 0)]
    assert model[(2021, 0)] == 2 * observed[(2021, 0)] and model[(2021, 1)] == observed[(2021, 1)]
    assert "cdc_synthetic_deaths: 1 observed points have no simulated counterpart" in caplog.text


def _replicates_scaled(scales: list[float]) -> pd.DataFrame:
    """The observed series as replicates, replicate k at scales[k] times the data."""
    aligned = [align(data_as_observables(scale=scale)).assign(replicate=k) for k, scale in enumerate(scales)]
    return pd.concat(aligned, ignore_index=True)


def test_chance_male_is_each_replicate_against_the_others_median():
    aligned = _replicates_scaled([1.0, 1.0, 2.0])
    deaths = aligned[aligned["series"] == "cdc_synthetic_deaths"]
    # Replicates 0 and 1 each meet the median of (1, 2) = 1.5; replicate 2 meets 1: ln 1.5, ln 1.5, ln 2.
    assert chance_male(deaths) == pytest.approx(math.log(1.5))
    assert chance_male(_replicates_scaled([3.0, 3.0, 3.0])) == 0


def test_chance_male_needs_three_replicates_and_is_in_the_error_table():
    assert math.isnan(chance_male(_replicates_scaled([1.0, 2.0])))
    errors = error_table(_replicates_scaled([1.0, 1.0, 2.0])).set_index("series")
    assert errors["male_chance"].to_numpy() == pytest.approx(math.log(1.5))
    assert errors["male"].to_numpy() == pytest.approx(0)       # the median replicate is the data


def test_covered_months_leave_out_partly_simulated_months():
    months = covered_months(Calendar.between("2021-10-01", "2022-03-15"))
    assert (2021, 10) in months and (2022, 2) in months
    assert (2022, 3) not in months and (2021, 9) not in months
    starts_mid_month = covered_months(Calendar.between("2021-10-15", "2021-12-31"))
    assert (2021, 10) not in starts_mid_month and (2021, 11) in starts_mid_month


def test_only_whole_simulated_periods_are_compared():
    calendar = Calendar.between(*SHORT)
    points = compare(data_as_observables(), calendar).points
    assert set(points.query("series == 'cbp_sw_component_lb'")["period"]) == {"FY2022", "FY2023"}
    assert set(points.query("series == 'cdc_synthetic_deaths'")["period"]) == {"2022", "2023"}
    assert points.query("series == 'cbp_sw_monthly_lb'")["period"].min() == "2021-10"
    nothing = compare(data_as_observables(), Calendar.between("2015-01-01", "2015-06-30"))
    assert nothing.points.empty and nothing.errors.empty


# A real simulation, its charts and the command line --------------------------------------------

@pytest.fixture(scope="module")
def short_fit(world):
    from fentflow.sim.engine import Sim
    from fentflow.sim.pars import Pars

    sim = Sim(world, Pars(None, n_reps=2), start=SHORT[0], end=SHORT[1], seed=3)
    sim.run()
    return fit_check(sim)


def test_a_simulation_has_a_counterpart_for_every_observed_point(short_fit):
    assert set(short_fit.errors["series"]) == {target.name for target in TARGETS}
    assert short_fit.aligned["model"].drop(short_fit.aligned.query("series == 'dea_share_2mg'").index).notna().all()
    assert (short_fit.points["model_p05"] <= short_fit.points["model_p95"]).all()
    assert short_fit.errors["coverage_90"].between(0, 1).all()


def invoke(*args):
    return runner.invoke(app, ["fit-check", *map(str, args)])


def test_cli_writes_one_chart_per_series_and_the_tables(tmp_path):
    # Charts take seconds: this is the one test that draws them (through write_fit_check).
    out = tmp_path / "fit"
    result = invoke("--start", SHORT[0], "--end", SHORT[1], "--seed", 1, "--replicates", 2, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Model vs data" in result.output and "cdc_synthetic_deaths" in result.output
    for target in TARGETS:
        chart = out / f"{target.name}.png"
        assert chart.stat().st_size > 1000 and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["series"]) == [target.name for target in TARGETS]
    assert errors["coverage_90"].between(0, 1).all()
    points = pd.read_csv(out / "points.csv")
    assert set(points["series"]) == set(errors["series"]) and (points["replicates"] == 2).all()


@pytest.mark.parametrize("args", [
    ("--world", "nowhere"),
    ("--start", "2015-01-01", "--end", "2015-06-30"),     # no whole observed period inside
    ("--replicates", 0),
    ("--start", "someday"),
])
def test_cli_bad_input_exits_2_without_traceback(tmp_path, args):
    result = invoke(*args, "--out", tmp_path / "fit")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
