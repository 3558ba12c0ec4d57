"""Shared CLI plumbing: turn user-input errors into one line on stderr and exit code 2."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.text import Text

from fentflow.errors import InputError

EXIT_BAD_INPUT = 2
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Report `InputError` as `error: <file, row, field: problem>` and exit 2 (no traceback)."""
    try:
        yield
    except InputError as exc:
        # Text, not markup: the message may echo user input containing [brackets].
        err_console.print(Text.assemble(("error:", "bold red"), " ", str(exc)))
        raise typer.Exit(EXIT_BAD_INPUT) from None
