"""The observed-data and convert commands, mounted on a small local app as the main CLI will."""
from __future__ import annotations

import io

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from fentflow.observed.cli import convert_command, data_app
from fentflow.observed.series import load_series, primary_url_count

app = typer.Typer()
app.add_typer(data_app, name="data")
app.command("convert")(convert_command)

runner = CliRunner(env={"COLUMNS": "160"})


def invoke(*args: str):
    return runner.invoke(app, list(args))


def assert_user_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "error:" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    for fragment in fragments:
        assert fragment in result.output


def test_data_list_names_every_series():
    result = invoke("data", "list")
    assert result.exit_code == 0, result.output
    for name in ("cbp_sw_monthly", "dea_share_2mg", "cdc_deaths", "sesnsp_homicides", "prices"):
        assert name in result.output
    at_publisher, rows = primary_url_count()
    assert f"(primary_url): {at_publisher} of {rows} ({100 * at_publisher / rows:.1f}%)" in result.output


def test_data_show_prints_rows_and_numbered_sources():
    result = invoke("data", "show", "dea_share_2mg")
    assert result.exit_code == 0, result.output
    assert "0.27" in result.output and "[1]" in result.output
    assert "https://filtermag.org/fentanyl-pill-purity-drug-enforcement-administration" in result.output


def test_data_show_csv_round_trips_the_series():
    result = invoke("data", "show", "cbp_sw_unit", "--csv")
    assert result.exit_code == 0, result.output
    printed = pd.read_csv(io.StringIO(result.stdout))
    expected = load_series("cbp_sw_unit")
    assert list(printed.columns) == list(expected.columns)
    assert printed["lb"].tolist() == expected["lb"].tolist()


def test_data_show_unknown_series_exits_2_with_the_valid_names():
    assert_user_error(invoke("data", "show", "cbp"), "unknown series 'cbp'", "cbp_sw_monthly")


@pytest.mark.parametrize("expression, expected", [
    ("13000 lb pills", ["Gross weight (lb)", "13,000", "exact", "Pills", "million", "pill mass"]),
    ("10.2 million pills", ["10,200,000", "Pure fentanyl (kg)", "24.5", "90% interval"]),
    ("2 kg pure", ["1,000,000", "exact", "not determined by the input"]),
])
def test_convert_prints_the_table_and_assumptions(expression, expected):
    result = invoke("convert", expression)
    assert result.exit_code == 0, result.output
    assert "Assumptions:" in result.output
    for fragment in expected:
        assert fragment in result.output


def test_convert_with_year_seed_and_draws():
    args = ("convert", "980 lb powder", "--year", "2022", "--seed", "5", "--draws", "1000")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "year 2022, 1,000 draws, seed 5" in result.output
    assert "85.3" in result.output                       # 0.192 x 444.5 kg
    assert invoke(*args).output == result.output         # same seed, same table


@pytest.mark.parametrize("args, fragments", [
    (["convert", "5 furlongs powder"], ["field 'unit'", "furlongs"]),
    (["convert", "--", "-5 kg powder"], ["field 'amount'", "negative"]),   # -- : not an option
    (["convert", "13000 lb"], ["field 'form'"]),
    (["convert", "lots of pills"], ["field 'amount'"]),
    (["convert", "5 [/x] pills"], ["field 'expression'"]),
    (["convert", "5 kg powder", "--year", "1990"], ["field 'year'"]),
    (["convert", "5 kg powder", "--draws", "3"], ["field 'draws'"]),
])
def test_convert_bad_input_exits_2_without_traceback(args, fragments):
    assert_user_error(invoke(*args), *fragments)
