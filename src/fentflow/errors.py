"""Errors that fentflow reports to users.

`InputError` is the one error for bad user input (world files, scenario files,
expressions on the command line). It names the file, the row and the field, so
the CLI can print one clear line and exit with code 2, without a traceback.
"""
from __future__ import annotations


class InputError(ValueError):
    """Bad user input: names where it is (file, row, field) and what is wrong."""

    def __init__(self, problem: str, *, file: str | None = None,
                 row: int | None = None, field: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.field = field
        super().__init__(self._message())

    def _message(self) -> str:
        where = [part for part in (
            self.file,
            f"row {self.row}" if self.row is not None else None,
            f"field '{self.field}'" if self.field else None,
        ) if part]
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


class LedgerError(RuntimeError):
    """The mass-balance ledger does not close: names the week, replicate and the gap."""


def unknown_name(what: str, name: str, known, field: str | None = None) -> InputError:
    """An `InputError` for a name that is not among `known`: the closest match, then every valid name."""
    import difflib

    known = sorted(map(str, known))
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return InputError(f"no {what} named {name!r}{hint} (valid: {', '.join(known)})", field=field or what)
