"""Show a results folder whose exact format this report does not own: JSON as key-value tables,
CSV as tables, PNG as images. Used for calibration results (and any extra files)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from fentflow.report.html import details, esc, key_values, png, table

MAX_ROWS = 40
MAX_KEYS = 60


def render_folder(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*.json")):
        parts.append(f"<h4>{esc(path.relative_to(folder))}</h4>" + key_values(_flatten(_read_json(path))))
    for path in sorted(folder.rglob("*.csv")):
        frame = pd.read_csv(path)
        parts.append(details(f"{path.relative_to(folder)} ({len(frame)} rows)", table(frame, max_rows=MAX_ROWS)))
    for path in sorted(folder.rglob("*.png")):
        parts.append(f"<figure>{png(path, path.stem)}<figcaption>{esc(path.relative_to(folder))}</figcaption></figure>")
    return "\n".join(parts)


def has_results(folder: Path) -> bool:
    return folder.is_dir() and any(folder.rglob(pattern) for pattern in ("*.json", "*.csv", "*.png"))


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return {"unreadable": str(exc)}


def _flatten(data, prefix: str = "") -> dict:
    """Nested JSON as dotted keys (lists of scalars joined), at most MAX_KEYS of them."""
    out: dict = {}
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else [("", data)]
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            out.update(_flatten(value, name))
        else:
            out[name] = ", ".join(map(str, value)) if isinstance(value, list) else value
        if len(out) >= MAX_KEYS:
            break
    return dict(list(out.items())[:MAX_KEYS])
