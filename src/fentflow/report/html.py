"""Small HTML pieces for the report: escaped text, tables, embedded images, sections.

Everything a page needs is inside it: images are data: URIs, styles are inline, and links to
sources are plain <a href> (followed only if the reader clicks; nothing is fetched to draw the page).
"""
from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str


def esc(text) -> str:
    return html.escape("" if text is None else str(text))


def linkify(text) -> str:
    """Escape `text` and make its web addresses clickable links."""
    parts, last = [], 0
    raw = "" if text is None else str(text)
    for match in URL.finditer(raw):
        parts += [esc(raw[last:match.start()]), f'<a href="{esc(match.group())}">{esc(match.group())}</a>']
        last = match.end()
    return "".join(parts) + esc(raw[last:])


def paragraph(text: str, css: str = "") -> str:
    return f'<p class="{css}">{text}</p>' if css else f"<p>{text}</p>"


def note(text: str) -> str:
    """A boxed note, e.g. for a section whose inputs do not exist yet (text is HTML)."""
    return f'<div class="note">{text}</div>'


def fmt_number(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return esc(value)
    if value == 0 or abs(value) >= 10_000 or (abs(value) >= 1000 and float(value).is_integer()):
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")


def table(frame: pd.DataFrame, formats: Mapping[str, Callable] | None = None, css: str = "",
          max_rows: int | None = None) -> str:
    """A DataFrame as an HTML table; cells escaped (or formatted by `formats[column]`, which returns HTML)."""
    formats = dict(formats or {})
    shown = frame if max_rows is None else frame.head(max_rows)
    head = "".join(f"<th>{esc(c)}</th>" for c in shown.columns)
    rows = []
    for values in shown.itertuples(index=False):
        cells = [formats.get(c, fmt_number)(v) for c, v in zip(shown.columns, values)]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    more = "" if max_rows is None or len(frame) <= max_rows else \
        f'<p class="small">{len(frame) - max_rows} more rows in the file.</p>'
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{more}'


def key_values(pairs: Mapping[str, object]) -> str:
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{fmt_number(v)}</td></tr>" for k, v in pairs.items())
    return f'<table class="kv"><tbody>{rows}</tbody></table>'


def png(data: bytes | Path, alt: str) -> str:
    """An embedded PNG (data: URI), from bytes or a file."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{base64.b64encode(raw).decode()}">'


def details(summary: str, body: str) -> str:
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"
