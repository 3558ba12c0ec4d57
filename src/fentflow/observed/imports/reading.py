"""Reading a publisher's CSV file cell by cell, so that every problem names its file, row and column.

Files are read as text with the standard csv module (a gzip-compressed copy is read as the file
it holds, and fingerprinted as that file) (utf-8, or Windows-1252 as the Mexican
government's files often are); values stay strings until a format's reader asks for a number
in one column, and a cell that is not one is an InputError naming the file's line and column.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fentflow.errors import InputError

ENCODINGS = ("utf-8-sig", "cp1252")
MAX_BYTES = 512 * 1024 * 1024    # a publisher's file is a few MB; anything this large is not one


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file and its cells by column name."""

    line: int
    cells: dict[str, str]


@dataclass(eq=False)      # compared and hashed by identity: one object per file read
class SourceFile:
    """A file as read: its name, header, rows and fingerprint, for errors and provenance."""

    path: Path
    header: list[str]
    rows: list[Row]
    sha256: str
    read_on: str = field(default_factory=lambda: date.today().isoformat())

    @property
    def name(self) -> str:
        return self.path.name

    def error(self, problem: str, row: Row | int | None = None, column: str | None = None) -> InputError:
        line = row.line if isinstance(row, Row) else row
        return InputError(problem, file=str(self.path), row=line, field=column)

    def require(self, columns: Sequence[str]) -> None:
        missing = [column for column in columns if column not in self.header]
        if missing:
            raise self.error(f"missing column(s) {', '.join(repr(c) for c in missing)} "
                             f"(the file's header: {', '.join(self.header)})", 1, missing[0])

    def provenance(self) -> dict[str, object]:
        return {"file": self.name, "sha256": self.sha256, "rows_read": len(self.rows), "read_on": self.read_on}

    # Typed cells -----------------------------------------------------------------------------

    def number(self, row: Row, column: str, *, blank_ok: bool = False) -> float | None:
        """A non-negative number (thousands separators allowed); blank is None when allowed."""
        text = row.cells[column].strip().replace(",", "")
        if not text:
            if blank_ok:
                return None
            raise self.error("empty value where a number is needed", row, column)
        try:
            value = float(text)
        except ValueError:
            raise self.error(f"{row.cells[column]!r} is not a number", row, column) from None
        if not value >= 0 or value == float("inf"):
            raise self.error(f"{row.cells[column]!r} is not a count or quantity (negative or not finite)",
                             row, column)
        return value

    def count(self, row: Row, column: str, *, blank_ok: bool = False) -> int | None:
        """A whole non-negative number."""
        value = self.number(row, column, blank_ok=blank_ok)
        if value is not None and not value.is_integer():
            raise self.error(f"{row.cells[column]!r} is not a whole number", row, column)
        return None if value is None else int(value)

    def year(self, row: Row, column: str) -> int:
        text = row.cells[column].strip()
        if not (len(text) == 4 and text.isdigit() and 1990 <= int(text) <= 2100):
            raise self.error(f"{text!r} is not a year", row, column)
        return int(text)


def read_source(path: Path) -> SourceFile:
    """Read `path` as a CSV file with a header; errors name the file (and line)."""
    data = _read_bytes(path)
    text = _decode(path, data)
    lines = list(csv.reader(io.StringIO(text, newline="")))
    while lines and not any(cell.strip() for cell in lines[-1]):
        lines.pop()                                          # trailing blank lines
    if not lines:
        raise InputError("the file is empty", file=str(path))
    header = [cell.strip() for cell in lines[0]]
    rows = list(_rows(path, header, lines[1:]))
    if not rows:
        raise InputError("the file has a header but no data rows", file=str(path), row=1)
    return SourceFile(path, header, rows, hashlib.sha256(data).hexdigest())


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"the file is larger than {MAX_BYTES // 2**20} MB; not a publisher's CSV file",
                             file=str(path))
        data = path.read_bytes()
        return _gunzip(path, data) if data[:2] == b"\x1f\x8b" else data
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("a folder, not a file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(path)) from None


def _gunzip(path: Path, data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            content = packed.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        raise InputError("a damaged gzip file", file=str(path)) from None
    if len(content) > MAX_BYTES:
        raise InputError(f"the file holds more than {MAX_BYTES // 2**20} MB; not a publisher's CSV file",
                         file=str(path))
    return content


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise InputError("a binary file, not a CSV text file", file=str(path))
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("not readable as text (neither UTF-8 nor Windows-1252)", file=str(path))


def _rows(path: Path, header: list[str], lines: list[list[str]]) -> Iterator[Row]:
    for number, cells in enumerate(lines, start=2):
        if not any(cell.strip() for cell in cells):
            continue                                        # a blank line inside the file
        if len(cells) != len(header):
            raise InputError(f"{len(cells)} values where the header has {len(header)} columns",
                             file=str(path), row=number)
        yield Row(number, dict(zip(header, cells)))
