"""World.load as an API: defaults, table access, dtypes, row numbering and file-level rules."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fentflow.errors import InputError
from fentflow.world import TABLE_NAMES, World, default_world_path
from fentflow.world.loader import SPECS, read_table

STATES = SPECS[0]


@pytest.fixture
def world_copy(tmp_path) -> Path:
    target = tmp_path / "world"
    shutil.copytree(default_world_path(), target)
    return target


def test_load_without_a_path_is_the_bundled_world():
    world = World.load()
    assert world.path == default_world_path()
    assert World.load(str(default_world_path())).name == world.name


def test_missing_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="world directory not found"):
        World.load(tmp_path / "nowhere")


def test_a_file_is_not_a_world(tmp_path):
    path = tmp_path / "world.toml"
    path.write_text("[world]\n")
    with pytest.raises(InputError, match="is not a directory"):
        World.load(path)


def test_tables_keep_file_order_and_a_range_index():
    world = World.load()
    for name in TABLE_NAMES:
        frame = world.table(name)
        assert isinstance(frame.index, pd.RangeIndex)
        assert frame is getattr(world, name)
    assert world.states["abbr"].iloc[0] == "AGS"
    assert world.table("routes.csv") is world.routes


def test_unknown_table_name_is_an_input_error():
    with pytest.raises(InputError, match="unknown table 'roads'"):
        World.load().table("roads")


def test_columns_have_plain_dtypes():
    world = World.load()
    assert world.states["population"].dtype == "int64"
    assert world.states["code"].iloc[0] == "01"          # INEGI codes stay text
    assert world.routes["km"].dtype == "float64"
    assert world.markets["synthetic_deaths_2022"].dtype == "float64"   # optional: NaN when empty
    assert (world.organisations.loc[world.organisations["id"] == "CDS", "parent"] == "").all()


def test_row_numbers_are_spreadsheet_rows_and_blank_lines_count(world_copy):
    path = world_copy / "states.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "")                                    # a blank row 2
    lines[3] = lines[3].replace(",Baja California,", ",,")  # row 4: BC without a name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        World.load(world_copy)
    assert (caught.value.file, caught.value.row, caught.value.field) == ("states.csv", 4, "name")


def test_utf8_bom_and_surrounding_spaces_are_accepted(world_copy):
    path = world_copy / "organisations.csv"
    text = path.read_text(encoding="utf-8").replace("CJNG,", " CJNG ,", 1)
    path.write_text("\ufeff" + text, encoding="utf-8")
    assert "CJNG" in set(World.load(world_copy).organisations["id"])


def test_optional_columns_may_be_absent(world_copy):
    path = world_copy / "markets.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns="synthetic_deaths_2022").to_csv(path, index=False)
    markets = World.load(world_copy).markets
    assert list(markets.columns)[5] == "synthetic_deaths_2022"
    assert markets["synthetic_deaths_2022"].isna().all()


def test_columns_may_come_in_any_order(world_copy):
    path = world_copy / "control.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[list(reversed(frame.columns))].to_csv(path, index=False)
    assert list(World.load(world_copy).control.columns) == ["state", "org", "share", "source", "confidence"]


def test_unknown_files_in_the_directory_are_ignored(world_copy):
    (world_copy / "README.md").write_text("my notes")
    assert len(World.load(world_copy).states) == 32


def test_error_names_file_row_and_field(world_copy):
    path = world_copy / "routes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",road,", ",hovercraft,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        World.load(world_copy)
    error = caught.value
    assert (error.file, error.row, error.field) == ("routes.csv", 3, "mode")
    assert str(error).startswith("routes.csv, row 3, field 'mode': 'hovercraft' is not allowed")
    assert "pydantic" not in str(error) and "validation error" not in str(error)


def test_world_is_immutable():
    world = World.load()
    with pytest.raises(AttributeError):
        world.name = "other"


@settings(max_examples=60, deadline=None)
@given(cell=st.text(max_size=12))
def test_any_text_in_a_number_cell_gives_a_clean_error(tmp_path_factory, cell):
    path = tmp_path_factory.mktemp("fuzz") / "states.csv"
    row = ["AGS", "01", "Aguascalientes", cell, "1", "1", "1", "21.9", "-102.3", "s", "stated"]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([list(STATES.columns), row])
    try:
        read_table(path, STATES)
    except InputError as error:
        assert error.file == "states.csv"
        assert "Input should" not in str(error) and "pydantic" not in str(error)
