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
YEAR_COLUMN = re.compile(r"\byear\b", re.I)     # "year", "fiscal year": formatted as years, never 2,023


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    lead: str     # one sentence saying what the section shows (plain text), shown first
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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value) -> str:
    """A measured quantity: whole numbers with thousands separators from 1,000 (decimals there are false
    precision), two decimals below, three significant digits under 1."""
    if _missing(value):
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return esc(value)
    if value == 0 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_year(value) -> str:
    """A year (or fiscal year) plain, never with a thousands separator: 2023, not 2,023."""
    if _missing(value):
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
    return esc(value)


def fmt_in_unit(value, unit: str) -> str:
    """A value whose kind its unit says: a year (e.g. a parameter in unit "year") plain, anything else a number."""
    return fmt_year(value) if unit == "year" else fmt_number(value)


def fmt_count(value) -> str:
    """A count (deaths, loads, draws): whole, with thousands separators."""
    return "–" if _missing(value) else f"{value:,.0f}" if isinstance(value, (int, float)) else esc(value)


def fmt_share(value, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage."""
    return "–" if _missing(value) else f"{100 * value:.{digits}f}%" if isinstance(value, (int, float)) else esc(value)


def fmt_signed(value) -> str:
    """A change, with its sign: +1,234 or −56."""
    if _missing(value):
        return "–"
    text = fmt_number(abs(value))
    return text if value == 0 else ("+" if value > 0 else "−") + text


def fmt_signed_pct(value) -> str:
    """A change already in percent (5.2 -> +5.2%)."""
    return "–" if _missing(value) else f"{value:+.1f}%".replace("-", "−")


def table(frame: pd.DataFrame, formats: Mapping[str, Callable] | None = None, css: str = "",
          max_rows: int | None = None) -> str:
    """A DataFrame as an HTML table; cells formatted by `formats[column]` (which returns HTML), else as a
    year when the column names a year, else as a number (`fmt_number`; text is escaped)."""
    formats = {c: fmt_year for c in frame.columns if YEAR_COLUMN.search(str(c))} | dict(formats or {})
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
    """A two-column table of labels and values; values are text (escaped) unless they are numbers."""
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{fmt_number(v)}</td></tr>" for k, v in pairs.items())
    return f'<table class="kv"><tbody>{rows}</tbody></table>'


def png(data: bytes | Path, alt: str) -> str:
    """An embedded PNG (data: URI), from bytes or a file."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{base64.b64encode(raw).decode()}">'


WIDE_PX = 1100   # a chart this wide (many panels) takes the whole row of a chart grid


def figure(data: bytes | Path, caption: str = "", alt: str | None = None) -> str:
    """An embedded PNG in a <figure>, with a caption; a wide chart spans the whole chart grid."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    width = int.from_bytes(raw[16:20], "big") if raw[:8] == b"\x89PNG\r\n\x1a\n" else 0
    css = ' class="wide"' if width >= WIDE_PX else ""
    text = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure{css}>{png(raw, alt or caption)}{text}</figure>"


def details(summary: str, body: str) -> str:
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"
