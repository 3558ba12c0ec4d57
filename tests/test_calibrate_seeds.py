"""`fentflow validate seeds`: the same calibration under several seeds, side by side (calibrate/seed_stability.py).

The figures are read off a fit check and a seizure-share table built here, so each can be checked
by hand; the whole command runs two tiny calibrations in the slow suite."""
import pandas as pd
import pytest
from typer.testing import CliRunner

from fentflow.calibrate.fitcheck import FitCheck
from fentflow.calibrate.seed_stability import SCALE, SPREAD, fit_figures, share_figures, with_spread
from fentflow.cli import app

runner = CliRunner()


def _point(series, period, observed, median, p05, p95, place=""):
    return {"series": series, "period": period, "place": place, "observed": observed, "model_median": median,
            "model_p05": p05, "model_p95": p95}


def test_fit_figures_are_the_deaths_errors_bands_cbp_growth_and_males():
    points = pd.DataFrame(
        [_point("cdc_synthetic_deaths", str(year), 1000.0, 1000.0 * (1 + k / 10), 800.0, 1400.0)
         for k, year in enumerate(range(2018, 2024))]
        + [_point("cbp_sw_component_lb", "FY2019", 100.0, 60.0, 0, 0, "port"),
           _point("cbp_sw_component_lb", "FY2019", 10.0, 40.0, 0, 0, "between"),
           _point("cbp_sw_component_lb", "FY2023", 1000.0, 700.0, 0, 0, "port"),
           _point("cbp_sw_component_lb", "FY2023", 100.0, 100.0, 0, 0, "between")])
    errors = pd.DataFrame({"series": ["cdc_synthetic_deaths", "cbp_sw_unit_lb"], "male": [0.1, 0.8]})
    figures = fit_figures(FitCheck(aligned=pd.DataFrame(), points=points, errors=errors))
    assert [round(figures[f"deaths_error_{year}"], 9) for year in range(2018, 2024)] == [0, 10, 20, 30, 40, 50]
    assert figures["deaths_band_2021"] == pytest.approx(30.0)            # (1400 - 800) / 2 / 1000
    assert figures["cbp_growth_fy2019_fy2023"] == pytest.approx(8.0)     # (700 + 100) / (60 + 40)
    assert figures["male_cbp_sw_unit_lb"] == 0.8 and "male_sesnsp_homicides" not in figures


def test_share_figures_are_2022_by_pure_weight_in_percent():
    table = pd.DataFrame([{"year": 2022, "component": "all", "measure": "gross", "p05": 0.1, "median": 0.2, "p95": 0.3},
                          {"year": 2022, "component": "all", "measure": "pure", "p05": 0.04, "median": 0.07,
                           "p95": 0.12},
                          {"year": 2023, "component": "all", "measure": "pure", "p05": 0.5, "median": 0.6, "p95": 0.7}])
    assert share_figures(table) == pytest.approx({"share_2022_median": 7.0, "share_2022_p05": 4.0,
                                                  "share_2022_p95": 12.0})


def test_the_spread_is_each_figures_range_over_the_seeds():
    table = with_spread(pd.DataFrame({"deaths_error_2019": [5.0, 32.0, -4.0], "learning_median": [0.51, 0.53, 0.6]},
                                     index=pd.Index(["0", "1", "2"], name="seed")))
    assert list(table.index) == ["0", "1", "2", SPREAD] and table.index.name == "seed"
    assert table.loc[SPREAD].to_dict() == pytest.approx({"deaths_error_2019": 36.0, "learning_median": 0.09})


@pytest.mark.parametrize("arguments, message", [(["--seed", "3"], "at least two different seeds"),
                                                (["--seed", "3", "--seed", "3"], "at least two different seeds"),
                                                (["--budget", "huge"], "huge")])
def test_bad_seed_lists_and_budgets_are_one_clear_line(tmp_path, arguments, message):
    result = runner.invoke(app, ["validate", "seeds", *arguments, "--out", str(tmp_path)])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output and not any(tmp_path.iterdir())   # refused before any calibration


@pytest.mark.slow          # two tiny calibrations: run only with FENTFLOW_SLOW=1 (conftest.py)
def test_two_seeds_are_calibrated_and_read_side_by_side(tmp_path):
    arguments = ["validate", "seeds", "--budget", "tiny", "--seed", "0", "--seed", "1", "--workers", "0",
                 "--replicates", "2", "--out", str(tmp_path)]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "seeds.csv", index_col="seed")
    assert list(table.index.astype(str)) == ["0", "1", SPREAD]
    assert {"deaths_error_2019", "deaths_band_2023", "male_cbp_sw_unit_lb", "learning_median",
            "share_2022_median", SCALE} <= set(table.columns)
    assert table.loc["0", SCALE] == 1.0 and table.loc["1", SCALE] > 0      # each seed against the first
    assert (tmp_path / "seed-0" / "posterior.parquet").exists() and (tmp_path / "seed-1" / "seizure_share.csv").exists()
    assert table.loc["0", "last_epsilon"] != table.loc["1", "last_epsilon"]     # the seeds differ
    again = runner.invoke(app, arguments)                                      # stored: not calibrated again
    assert again.exit_code == 0 and pd.read_csv(tmp_path / "seeds.csv", index_col="seed").equals(table)
