"""The malformed-world corpus (tests/bad_worlds/, see its README): every case must raise
InputError naming the file and field, and make `fentflow world validate` exit 2 cleanly."""
from __future__ import annotations

import csv
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fentflow.errors import InputError
from fentflow.world import World, default_world_path
from fentflow.world.cli import app

BAD_WORLDS = Path(__file__).parent / "bad_worlds"
CASES = sorted(path.name for path in BAD_WORLDS.iterdir() if path.is_dir())
CASE_CONTROL_FILES = {"expected.txt", "edits.toml"}


def test_corpus_is_large_enough():
    assert len(CASES) >= 22


@pytest.mark.parametrize("case", CASES)
def test_bad_world_raises_input_error(case, tmp_path):
    world = build_case(case, tmp_path)
    with pytest.raises(InputError) as caught:
        World.load(world)
    message = str(caught.value)
    for expected in expected_lines(case):
        assert expected in message


@pytest.mark.parametrize("case", CASES)
def test_bad_world_cli_exits_2_without_traceback(case, tmp_path):
    world = build_case(case, tmp_path)
    result = CliRunner().invoke(app, ["validate", str(world)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output
    assert "Traceback" not in result.output
    for expected in expected_lines(case):
        assert expected in result.output


# --- building a case -----------------------------------------------------------------------

def build_case(case: str, tmp_path: Path) -> Path:
    world = tmp_path / "world"
    shutil.copytree(default_world_path(), world)
    folder = BAD_WORLDS / case
    if (folder / "edits.toml").exists():
        edits = tomllib.loads((folder / "edits.toml").read_text(encoding="utf-8"))["edit"]
        for edit in edits:
            EDIT_OPS[edit["op"]](world / edit["file"], edit)
    for path in folder.iterdir():
        if path.name not in CASE_CONTROL_FILES:
            shutil.copyfile(path, world / path.name)
    return world


def expected_lines(case: str) -> list[str]:
    text = (BAD_WORLDS / case / "expected.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, f"{case}: expected.txt is empty"
    return lines


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _row_index(rows: list[list[str]], edit: dict) -> int:
    """List index of the edited row: `row` is a spreadsheet row (header = 1), or `where` matches."""
    if "row" in edit:
        return edit["row"] - 1
    header = rows[0]
    for index, row in enumerate(rows[1:], start=1):
        if all(row[header.index(column)] == value for column, value in edit["where"].items()):
            return index
    raise AssertionError(f"no row matches {edit['where']}")


def _set(path: Path, edit: dict) -> None:
    rows = _read(path)
    rows[_row_index(rows, edit)][rows[0].index(edit["column"])] = edit["value"]
    _write(path, rows)


def _delete_row(path: Path, edit: dict) -> None:
    rows = _read(path)
    del rows[_row_index(rows, edit)]
    _write(path, rows)


def _append_row(path: Path, edit: dict) -> None:
    rows = _read(path)
    rows.append([edit["values"].get(column, "") for column in rows[0]])
    _write(path, rows)


def _drop_column(path: Path, edit: dict) -> None:
    rows = _read(path)
    position = rows[0].index(edit["column"])
    _write(path, [row[:position] + row[position + 1:] for row in rows])


def _add_column(path: Path, edit: dict) -> None:
    rows = _read(path)
    _write(path, [rows[0] + [edit["column"]]] + [row + [edit["value"]] for row in rows[1:]])


def _rename_column(path: Path, edit: dict) -> None:
    rows = _read(path)
    rows[0][rows[0].index(edit["column"])] = edit["new"]
    _write(path, rows)


def _delete_file(path: Path, edit: dict) -> None:
    path.unlink()


EDIT_OPS = {"set": _set, "delete_row": _delete_row, "append_row": _append_row,
            "drop_column": _drop_column, "add_column": _add_column,
            "rename_column": _rename_column, "delete_file": _delete_file}
