"""`fentflow world validate` and `fentflow world show` (the Typer sub-app in world/cli.py)."""
from __future__ import annotations

import shutil

from typer.testing import CliRunner

from fentflow.world import default_world_path
from fentflow.world.cli import app

runner = CliRunner()


def test_validate_default_world_prints_counts_and_exits_0():
    result = runner.invoke(app, ["validate", str(default_world_path())])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output
    assert "32 states" in result.output and "37" in result.output and "51 markets" in result.output


def test_validate_missing_directory_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "error:" in result.output and "world directory not found" in result.output
    assert "Traceback" not in result.output


def test_show_summarises_every_table_and_national_figures():
    result = runner.invoke(app, ["show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in ("states", "control", "crossings", "routes", "sources", "people_with_oud"):
        assert name in result.output


def test_show_one_table_in_full():
    result = runner.invoke(app, ["show", "crossings", "--world", str(default_world_path())],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "crossings (37 rows)" in result.output
    assert "San Ysidro" in result.output and "Rio Grande Valley Sector" in result.output


def test_show_unknown_table_exits_2():
    result = runner.invoke(app, ["show", "roads"])
    assert result.exit_code == 2
    assert "unknown table 'roads'" in result.output
    assert "Traceback" not in result.output


def test_show_prints_brackets_in_data_literally(tmp_path):
    world = tmp_path / "world"
    shutil.copytree(default_world_path(), world)
    path = world / "organisations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Cárteles Unidos", "Cárteles [united]"),
                    encoding="utf-8")
    result = runner.invoke(app, ["show", "organisations", "--world", str(world)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Cárteles [united]" in result.output


def test_show_national_values_are_readable():
    result = runner.invoke(app, ["show"], env={"COLUMNS": "250"})
    assert "333,271,411" in result.output and "0.251" in result.output
