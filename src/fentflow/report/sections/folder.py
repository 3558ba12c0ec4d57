"""Show files of a results folder whose format the report does not know: CSV as tables (first rows),
PNG as images, anything else by name. Raw JSON is never dumped: its keys are for programs, not readers."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from fentflow.report.html import details, esc, png, table

MAX_ROWS = 40
RESULT_PATTERNS = ("*.json", "*.csv", "*.png")


def render_files(paths: list[Path], folder: Path) -> str:
    parts, listed = [], []
    for path in paths:
        name = path.relative_to(folder)
        if path.suffix == ".csv":
            frame = pd.read_csv(path)
            parts.append(details(f"{name} ({len(frame)} rows)", table(frame, max_rows=MAX_ROWS, css="small")))
        elif path.suffix == ".png":
            parts.append(f"<figure>{png(path, path.stem)}<figcaption>{esc(name)}</figcaption></figure>")
        else:
            listed.append(f"<li><code>{esc(name)}</code></li>")
    return "\n".join(parts) + (f"<ul>{''.join(listed)}</ul>" if listed else "")


def has_results(folder: Path) -> bool:
    return folder.is_dir() and any(folder.rglob(pattern) for pattern in RESULT_PATTERNS)
