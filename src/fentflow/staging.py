"""Write an output folder so an interrupted command leaves the previous output whole.

    with staged_output(Path("out")) as stage:     # checked first: exit 2 before any work if unwritable
        write_everything(stage)                   # into out/../.out.partial-<pid>/
    # here out/ holds the new files; had the block failed or been interrupted, the old ones

The stage is a hidden folder beside the output (same file system, so renames are atomic), or
inside it (`.fentflow.partial-<pid>`) when only the output folder itself is writable.
At the end each file or folder the command wrote replaces its namesake in the output, with
Ctrl-C held for those few renames; files the command does not write (a user's notes, a
report beside a run) are left alone. Stages left by a killed command are removed next time.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from fentflow.errors import InputError
from fentflow.interrupts import deferred_interrupts

log = logging.getLogger(__name__)

STAGE_MARK = ".partial-"
INSIDE = ".fentflow"      # a stage inside the output folder: .fentflow.partial-<pid>


@contextlib.contextmanager
def staged_output(final: str | Path, option: str = "--out") -> Iterator[Path]:
    """Yield an empty temporary folder beside `final`; move its content into `final` when the block ends well."""
    final = _real_path(Path(final), option)
    check_output_folder(final, option)
    _remove_abandoned_stages(final)
    stage = _make_stage(final, option)
    try:
        yield stage
        with deferred_interrupts():
            _commit(stage, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _real_path(path: Path, option: str) -> Path:
    """Links resolved, so the stage sits beside the real folder (a rename never crosses file systems)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:   # a link loop
        raise InputError(f"cannot follow this path ({exc}): choose another {option}", file=str(path),
                         field=option) from None


def check_output_folder(path: Path, option: str = "--out") -> None:
    """A file where the folder should be is an input error, found before any work."""
    for part in (path, *path.parents):
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                raise InputError(f"{part} is a file, not a folder: choose another {option}", file=str(path),
                                 field=option)
            if not os.access(part, os.W_OK | os.X_OK):
                raise InputError(f"{part} is not writable: choose another {option}", file=str(path), field=option)
            return


def _make_stage(final: Path, option: str) -> Path:
    """Beside `final`; inside it (hidden) when only `final` itself is writable, not its parent."""
    places = [final.parent / f".{final.name}{STAGE_MARK}{os.getpid()}"]
    if final.is_dir():
        places.append(final / f"{INSIDE}{STAGE_MARK}{os.getpid()}")
    for stage in places:
        try:
            stage.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(stage, ignore_errors=True)
            stage.mkdir()
            return stage
        except OSError as exc:
            problem = exc.strerror
    raise InputError(f"cannot write here ({problem}): choose another {option}", file=str(final), field=option)


def _commit(stage: Path, final: Path) -> None:
    if not final.exists():
        os.rename(stage, final)
        return
    for entry in sorted(stage.iterdir()):   # (a stage inside `final` is not among its own entries)
        target = final / entry.name
        if target.is_dir() and not target.is_symlink():
            # A folder cannot be replaced in one rename: move the old one into the stage (removed after).
            os.rename(target, stage / f".old-{entry.name}")
        os.replace(entry, target)


def _remove_abandoned_stages(final: Path) -> None:
    """Stages of commands that were killed (their process is gone)."""
    if not final.parent.is_dir():
        return
    beside = final.parent.glob(f".{final.name}{STAGE_MARK}*")
    inside = final.glob(f"{INSIDE}{STAGE_MARK}*") if final.is_dir() else []
    for stage in [*beside, *inside]:
        pid = stage.name.rsplit(STAGE_MARK, 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            log.info("removing %s, left by an interrupted command", stage)
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
