"""Every place with its name beside its code: crossing "2504" is San Ysidro, state "SIN" Sinaloa.

One rule for every table: a column named after a place kind (`crossing`, `market`, `state`,
`site`, `entry`, or `abbr` for a Mexican state) gets a `<column>_name` column right after it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# place column -> (world table, its code column, how to name a row)
NAMED_PLACES = {
    "crossing": ("crossings", "id", lambda t: t["name"]),
    "market": ("markets", "id", lambda t: t["name"]),
    "state": ("states", "abbr", lambda t: t["name"]),
    "abbr": ("states", "abbr", lambda t: t["name"]),
    "site": ("production", "id", lambda t: t["city"] + ", " + t["state"] + " (" + t["org"] + ")"),
    "entry": ("entry_points", "id", lambda t: t["name"]),
}


def place_names(world, column: str) -> dict[str, str]:
    """Code -> name for the places a column named `column` holds."""
    table_name, code, name = NAMED_PLACES[column]
    table = getattr(world, table_name)
    return dict(zip(table[code].astype(str), name(table)))


def with_place_names(frame: pd.DataFrame, world) -> pd.DataFrame:
    """`frame` with a `<column>_name` column after each place column (codes without a name keep the code)."""
    out = frame
    for column in [c for c in frame.columns if c in NAMED_PLACES]:
        names = place_names(world, column)
        rows, codes = pd.factorize(frame[column].astype(str))    # name each distinct code once, not each row
        named = np.array([names.get(code, code) for code in codes], dtype=object)
        if out is frame:
            out = frame.copy()
        out.insert(out.columns.get_loc(column) + 1, f"{column}_name", named[rows])
    return out
