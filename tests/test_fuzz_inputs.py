"""Random damage to scenario files and world tables never gets a traceback (hypothesis).

Each example mutates a bundled file (a cell set to random text or numbers, bytes flipped,
inserted or cut) and runs the command that reads it: it must end with exit 0 (still valid)
or exit 2 with an `error:` line, never with an exception.
"""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fentflow.cli import app
from fentflow.policy.scenarios import BUNDLED_DIR
from fentflow.world import default_world_path

SCENARIOS = sorted(BUNDLED_DIR.glob("*.toml"))
WORLD = default_world_path()
TABLES = sorted(path.name for path in WORLD.glob("*.csv"))
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell_values = st.one_of(
    st.text(max_size=12),
    st.integers(-10**40, 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "nan", "inf", "-0", "1e400", "0x1F", "NULL", "1,5", '"', "\x00", "é"]),
)


@st.composite
def byte_damage(draw, data: bytes) -> bytes:
    """Flip, insert or cut bytes at random places (a few edits)."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 16))]
        else:
            del data[at:]
    return bytes(data)


def assert_clean(result) -> None:
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "error:" in result.output


@st.composite
def damaged_scenarios(draw) -> bytes:
    original = draw(st.sampled_from(SCENARIOS)).read_bytes()
    if draw(st.booleans()):
        return draw(byte_damage(original))
    lines = original.decode().splitlines()
    assignments = [i for i, line in enumerate(lines) if "=" in line and not line.lstrip().startswith("#")]
    i = draw(st.sampled_from(assignments))
    key = lines[i].split("=", 1)[0]
    value = draw(st.one_of(cell_values.map(lambda v: '"' + v.replace("\\", "").replace('"', "") + '"'),
                           st.integers(-10**30, 10**30).map(str), st.sampled_from(["[]", "{}", "true", "[1, 2]"])))
    lines[i] = f"{key}= {value}"
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@FUZZ
@given(content=damaged_scenarios())
def test_damaged_scenario_files_never_get_a_traceback(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.toml"
        path.write_bytes(content)
        assert_clean(CliRunner().invoke(app, ["scenarios", str(path)]))


@st.composite
def world_damage(draw) -> tuple[str, str, bytes | None, tuple[int, int, str] | None]:
    table = draw(st.sampled_from(TABLES))
    if draw(st.booleans()):
        return table, "bytes", draw(byte_damage((WORLD / table).read_bytes())), None
    rows = list(csv.reader(io.StringIO((WORLD / table).read_text(encoding="utf-8"))))
    row = draw(st.integers(1, len(rows) - 1))
    column = draw(st.integers(0, len(rows[0]) - 1))
    return table, "cell", None, (row, column, draw(cell_values))


@FUZZ
@given(damage=world_damage())
def test_damaged_world_tables_never_get_a_traceback(damage):
    table, kind, content, cell = damage
    with tempfile.TemporaryDirectory() as folder:
        world = Path(folder) / "world"
        shutil.copytree(WORLD, world)
        if kind == "bytes":
            (world / table).write_bytes(content)
        else:
            row, column, value = cell
            rows = list(csv.reader(io.StringIO((world / table).read_text(encoding="utf-8"))))
            rows[row][column] = value
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            (world / table).write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
        assert_clean(CliRunner().invoke(app, ["world", "validate", str(world)]))
