"""SQL over a comparison's store with DuckDB (in memory; the Parquet files are the database).

    from fentflow.ensemble.query import connect
    con = connect("out/compare")             # a compare --out folder (or its store/ folder)
    con.sql("SELECT arm, run, value FROM national WHERE metric = 'deaths' AND year = 2030").df()

Views:
- `runs`: every stored run, long: arm, run, block, seed, draw, table, place, year, metric, value.
- `national`, `cbp_unit`, `component`, `mx_state`: `runs` restricted to one table.
- `differences`, `displacement`, `violence`, `annual`: the comparison's tables, when written.

The views hold the runs of the last comparison written to the folder (its comparison.json:
arms, fingerprints, number of runs) whose files pass the store's checks; a damaged or stale
file is left out (and named in the log), never read.
"""
from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from fentflow.ensemble.report import TABLES_DIR
from fentflow.ensemble.comparison import STORE_DIR, read_manifest
from fentflow.ensemble.store import FINGERPRINT, RunStore, Status
from fentflow.errors import InputError

log = logging.getLogger(__name__)

RESULT_TABLES = ("national", "cbp_unit", "component", "mx_state")
COMPARISON_TABLES = ("differences", "displacement", "violence", "annual")


def connect(folder: str | Path) -> duckdb.DuckDBPyConnection:
    out, store = _locate(Path(folder))
    files = [str(path) for path in _current_files(out, store)]
    if not files:
        raise InputError("no intact run files in the store (run `fentflow compare` first)", file=str(store.root))
    con = duckdb.connect()
    con.execute(f"CREATE VIEW runs AS SELECT * FROM read_parquet({_sql_list(files)}, union_by_name = true)")
    for table in RESULT_TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * EXCLUDE (\"table\") FROM runs WHERE \"table\" = '{table}'")
    for name in COMPARISON_TABLES:
        path = out / TABLES_DIR / f"{name}.parquet"
        if path.exists():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_sql_list([str(path)])})")
    return con


def query(folder: str | Path, sql: str) -> pd.DataFrame:
    """Run one SQL statement over the views of `connect`; SQL errors are the user's, so `InputError`."""
    con = connect(folder)
    try:
        return con.sql(sql).df()
    except duckdb.Error as exc:
        raise InputError(f"SQL error: {exc}", field="sql") from None
    finally:
        con.close()


def _locate(folder: Path) -> tuple[Path, RunStore]:
    """Accept the compare output folder or its store/ folder."""
    if (folder / STORE_DIR).is_dir():
        return folder, RunStore(folder / STORE_DIR)
    if folder.is_dir() and any(folder.glob("arm=*")):
        return folder.parent, RunStore(folder)
    raise InputError("not a comparison folder (expected store/arm=*/run=*.parquet inside)", file=str(folder))


def _current_files(out: Path, store: RunStore) -> list[Path]:
    """The run files of the last comparison written to `out` (its arms, fingerprints and runs) that
    pass the store's checks; without a comparison.json, every intact file."""
    manifest = read_manifest(out)
    expected = {arm["name"]: arm["fingerprint"] for arm in manifest.get("arms", [])}
    runs = manifest.get("runs")
    chosen = []
    for path in store.files():
        arm, run = path.parent.name.removeprefix("arm="), int(path.stem.removeprefix("run="))
        if expected and (arm not in expected or run >= runs):
            continue
        fingerprint = expected.get(arm) or _fingerprint_of(path)
        check = store.check(arm, run, fingerprint)
        if check.status is Status.OK:
            chosen.append(path)
        else:
            log.warning("%s is %s (%s); left out of the views", path, check.status.value, check.reason)
    return chosen


def _fingerprint_of(path: Path) -> str:
    try:
        return (pq.read_schema(path).metadata or {}).get(FINGERPRINT, b"").decode()
    except Exception:  # an unreadable file: store.check will say so
        return ""


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
