"""The CLI's error boundary, the staged output folder and deferred Ctrl-C, each on its own."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from fentflow.boundary import INTERRUPTED, describe
from fentflow.cli import app
from fentflow.errors import InputError
from fentflow.interrupts import deferred_interrupts
from fentflow.staging import staged_output


def _invoke_raising(monkeypatch, exc: BaseException):
    def boom(*args, **kwargs):
        raise exc
    monkeypatch.setattr("fentflow.sim.engine.Sim.describe_steps", staticmethod(boom))
    return CliRunner().invoke(app, ["steps"])


def test_a_bug_keeps_its_traceback_and_asks_for_a_report(monkeypatch):
    result = _invoke_raising(monkeypatch, RuntimeError("an internal invariant broke"))
    assert result.exit_code == 1
    assert "Traceback" in result.output and "an internal invariant broke" in result.output
    assert "Please report it" in result.output


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch):
    result = _invoke_raising(monkeypatch, KeyboardInterrupt())
    assert result.exit_code == 130
    assert result.output.strip() == INTERRUPTED


@pytest.mark.parametrize(("exc", "words"), [
    (InputError("bad", file="f.csv", row=3, field="x"), "f.csv, row 3, field 'x': bad"),
    (PermissionError(13, "Permission denied", "/data/x"), "/data/x: Permission denied"),
    (FileNotFoundError(2, "No such file or directory", "a.csv"), "a.csv: No such file or directory"),
    (UnicodeDecodeError("utf-8", b"ab\xff", 2, 3, "invalid"),
     "not UTF-8 text (byte 0xff at position 2)"),
    (json.JSONDecodeError("Expecting value", "x", 0), "not valid JSON (line 1, column 1"),
    (OverflowError("Python int too large to convert to C long"), "too large"),
    (pa.ArrowInvalid("Parquet magic bytes not found in footer"), "magic bytes"),
    (MemoryError(), "not enough memory"),
])
def test_input_and_environment_errors_are_described(exc, words):
    assert words in describe(exc)


def test_bugs_are_not_described():
    assert describe(RuntimeError("x")) is None and describe(KeyError("x")) is None


def test_staged_output_keeps_the_old_folder_when_interrupted(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("old")
    (out / "mine.txt").write_text("the user's")
    with pytest.raises(KeyboardInterrupt), staged_output(out) as stage:
        (stage / "summary.json").write_text("new")
        raise KeyboardInterrupt
    assert (out / "summary.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]          # no stage left


def test_staged_output_replaces_what_it_writes_and_leaves_the_rest(tmp_path):
    out = tmp_path / "out"
    (out / "observables").mkdir(parents=True)
    (out / "observables" / "stale.parquet").write_text("old")
    (out / "mine.txt").write_text("the user's")
    with staged_output(out) as stage:
        (stage / "observables").mkdir()
        (stage / "observables" / "new.parquet").write_text("new")
    assert sorted(p.name for p in (out / "observables").iterdir()) == ["new.parquet"]
    assert (out / "mine.txt").read_text() == "the user's"


def test_staged_output_removes_stages_of_killed_commands(tmp_path):
    dead = tmp_path / ".out.partial-999999999"
    dead.mkdir()
    with staged_output(tmp_path / "out") as stage:
        (stage / "a").write_text("a")
    assert not dead.exists() and (tmp_path / "out" / "a").exists()


@pytest.fixture
def ctrl_c_raises():
    """Python's own SIGINT handler (a background shell starts tests with SIGINT ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_waits_for_the_check(ctrl_c_raises):
    reached = []
    with pytest.raises(KeyboardInterrupt), deferred_interrupts() as interrupts:
        os.kill(os.getpid(), signal.SIGINT)
        reached.append("after the signal")          # compiled code would still be running here
        interrupts.check()
        reached.append("after the check")
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_block_inside_another_shares_its_handler_and_raises_at_its_own_end(ctrl_c_raises):
    """A week stepped inside `run` (both defer Ctrl-C): the handler stays the outer block's, and a
    Ctrl-C during the week is raised when the week ends."""
    reached = []
    with deferred_interrupts() as outer:
        handler = signal.getsignal(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt), deferred_interrupts() as inner:
            assert inner is outer and signal.getsignal(signal.SIGINT) == handler
            os.kill(os.getpid(), signal.SIGINT)
            reached.append("the rest of the week")
        assert signal.getsignal(signal.SIGINT) == handler and not outer.pending
    assert reached == ["the rest of the week"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_staged_output_stages_inside_when_the_parent_is_read_only(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a").write_text("old")
    real_mkdir = Path.mkdir

    def parent_read_only(self, *args, **kwargs):
        if self.name.startswith(".out.partial-"):
            raise PermissionError(13, "Permission denied")
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", parent_read_only)
    with staged_output(out) as stage:
        assert stage.parent == out
        (stage / "a").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["a"] and (out / "a").read_text() == "new"
