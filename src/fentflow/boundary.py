"""The CLI's one error boundary: every command's failures end as one line and an exit code.

    exit 0    done
    exit 2    bad input or an environment problem: `error: <file, row, field: problem>`
    exit 130  interrupted (Ctrl-C): `interrupted; rerun the same command to resume`
    exit 1    a bug in fentflow: the traceback, then a line asking to report it

`BoundaryGroup` is the Typer group class of the `fentflow` app, so every command and
sub-command (in a terminal or under Typer's CliRunner) runs inside `error_boundary()`.
Input problems are best raised as `InputError` where the file, row and field are known; the
boundary's mapping of OS, decoding, overflow, value, Arrow and JSON errors is the net below.
"""
from __future__ import annotations

import contextlib
import json
import sys
import traceback
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from fentflow.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130      # 128 + SIGINT, what shells report for Ctrl-C
INTERRUPTED = "interrupted; rerun the same command to resume"
REPORT_BUG = ("This is a bug in fentflow, not in your input. Please report it to the fentflow maintainers with "
              "the command you ran and the traceback above.")

_CLICK_FLOW = (typer.Exit, typer.Abort, typer.TyperException)   # Typer's own exits and usage errors


def interrupted() -> typer.Exit:
    """Say that a Ctrl-C stopped the command, and give the exit to raise."""
    err_console().print(INTERRUPTED)
    return typer.Exit(EXIT_INTERRUPTED)


def err_console() -> Console:
    # Built per message: CliRunner swaps sys.stderr for each invocation.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(message: str) -> None:
    """`error: <message>` on stderr (text, not markup: messages echo user input with [brackets])."""
    err_console().print(Text.assemble(("error:", "bold red"), " ", message))


def describe(exc: BaseException) -> str | None:
    """The one line for an input or environment problem, or None when `exc` is a bug."""
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); save it as UTF-8"
    if isinstance(exc, OSError):
        return _os_error(exc)
    if isinstance(exc, MemoryError):
        return "not enough memory for this command; use fewer replicates, runs or a shorter span"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if isinstance(exc, (OverflowError, ValueError, UnicodeError)) or _is_arrow_error(exc):
        return str(exc) or type(exc).__name__
    return None


def _os_error(exc: OSError) -> str:
    where = ", ".join(str(name) for name in (exc.filename, exc.filename2) if name is not None)
    problem = exc.strerror or str(exc)
    return f"{where}: {problem}" if where else problem


def _is_arrow_error(exc: BaseException) -> bool:
    module = sys.modules.get("pyarrow")
    return module is not None and isinstance(exc, module.ArrowException)


@contextlib.contextmanager
def error_boundary() -> Iterator[None]:
    """Turn what escapes a command into a one-line message and its exit code."""
    try:
        yield
    except _CLICK_FLOW:
        raise
    except KeyboardInterrupt:
        raise interrupted() from None
    except Exception as exc:  # noqa: BLE001 - this is the boundary
        message = describe(exc)
        if message is None:
            traceback.print_exc(file=sys.stderr)
            err_console().print(REPORT_BUG)
            raise typer.Exit(EXIT_BUG) from None
        print_error(message)
        raise typer.Exit(EXIT_BAD_INPUT) from None


class BoundaryGroup(TyperGroup):
    """The app's group: sub-commands run inside `error_boundary()`; no option takes an empty value."""

    def parse_args(self, ctx, args):
        try:
            _refuse_empty_values(args)
            return super().parse_args(ctx, args)
        except KeyboardInterrupt:     # before the command's boundary: click would say "Aborted!" and exit 1
            raise interrupted() from None

    def invoke(self, ctx):
        with error_boundary():
            return super().invoke(ctx)


def _refuse_empty_values(args: list[str]) -> None:
    """`--out ""` would mean the current folder: an empty value is always a mistake."""
    for option, value in zip(args, args[1:]):
        if option.startswith("--") and "=" not in option and value == "":
            raise typer.BadParameter("an empty value is not allowed", param_hint=f"'{option}'")
    for option in args:
        if option.startswith("--") and option.endswith("="):
            raise typer.BadParameter("an empty value is not allowed", param_hint=f"'{option[:-1]}'")
