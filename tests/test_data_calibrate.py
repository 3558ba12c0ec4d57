"""Calibrating on imported series: `calibrate --data DIR --data-through YEAR` fits the new years,
and the targets and fit check see them; without newer data a later --data-through is refused."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from fentflow.calibrate.cli import calibrate_command
from fentflow.calibrate.statistics import TargetSet
from fentflow.observed.imports import import_files
from fentflow.observed.series import use_data_folder

VSRR = Path(__file__).parent / "data" / "import" / "vsrr_us_excerpt.csv"


pytestmark = pytest.mark.usefixtures("bundled_only")     # conftest.py


@pytest.fixture(scope="module")
def vsrr_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vsrr")
    import_files([VSRR], folder)
    return folder


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("calibrate")(calibrate_command)
    app.command("noop")(lambda: None)
    return app


def synthetic_deaths(points: pd.DataFrame) -> pd.Series:
    return points[points["series"] == "cdc_synthetic_deaths"].set_index("period")["observed"]


def test_targets_fit_the_imported_years_through_data_end(vsrr_folder):
    use_data_folder(vsrr_folder)
    through_2024 = synthetic_deaths(TargetSet(start="2022-01-01", end="2024-12-31", data_end=2024).observed_points)
    assert through_2024.to_dict() == {"2022": 73838, "2023": 72776, "2024": 49241}
    through_2023 = synthetic_deaths(TargetSet(start="2022-01-01", end="2024-12-31", data_end=2023).observed_points)
    assert "2024" not in through_2023.index


def test_a_data_through_year_beyond_the_series_in_use_exits_2(tmp_path):
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--workers", "0", "--out",
                                         str(tmp_path / "c"), "--data-through", "2024", "--quiet"])
    assert result.exit_code == 2, result.output
    assert "end in 2023" in result.output and "fentflow data import" in result.output


def test_a_missing_data_folder_exits_2(tmp_path):
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--workers", "0", "--out",
                                         str(tmp_path / "c"), "--data", str(tmp_path / "none"), "--quiet"])
    assert result.exit_code == 2 and "--data" in result.output


def test_a_tiny_calibration_on_imported_series_predicts_the_new_year(vsrr_folder, tmp_path):
    out = tmp_path / "calibration"
    result = CliRunner().invoke(_app(), ["calibrate", "--budget", "tiny", "--workers", "0", "--out", str(out),
                                         "--start", "2021-01-01", "--data", str(vsrr_folder), "--data-through",
                                         "2024", "--draws", "4", "--seed", "3", "--quiet"])
    assert result.exit_code == 0, result.output
    shares = pd.read_csv(out / "seizure_share.csv")
    assert set(shares["year"]) == {2021, 2022, 2023, 2024}
    points = pd.read_csv(out / "predictive" / "points.csv", dtype={"period": str})
    deaths = points[points["series"] == "cdc_synthetic_deaths"].set_index("period")
    assert deaths.loc["2024", "observed"] == 49241       # the imported year, beside the model's band


def test_fit_check_shows_the_imported_years_beside_the_model(vsrr_folder, tmp_path):
    from fentflow.calibrate.fitcheck_cli import fit_check_command
    app = typer.Typer()
    app.command("fit-check")(fit_check_command)
    app.command("noop")(lambda: None)
    result = CliRunner(env={"COLUMNS": "160"}).invoke(app, ["fit-check", "--data", str(vsrr_folder), "--start",
                                                            "2021-10-01", "--out", str(tmp_path / "fit")])
    assert result.exit_code == 0, result.output
    assert "Imported years after 2023" in result.output and "49,241" in result.output
    points = pd.read_csv(tmp_path / "fit" / "points.csv", dtype={"period": str})
    assert "2024" in set(points[points["series"] == "cdc_synthetic_deaths"]["period"])


def test_a_calibration_records_the_imported_series_it_fitted(vsrr_folder, tmp_path):
    from fentflow.calibrate.budget import get_budget
    from fentflow.calibrate.calibration import CalibrationSpec
    spec = CalibrationSpec(get_budget("tiny"), targets=TargetSet(start="2022-01-01", end="2024-12-31", data_end=2024))
    assert "imported_series" not in spec.record()                # bundled: the record is as before
    use_data_folder(vsrr_folder)
    first = spec.record()["imported_series"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "cdc_deaths.csv").write_text((vsrr_folder / "cdc_deaths.csv").read_text().replace("49241", "49242"))
    use_data_folder(other)
    assert spec.record()["imported_series"] != first             # other data: not resumed
