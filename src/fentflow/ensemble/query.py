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


REFUSED = ("COPY", "ATTACH", "DETACH", "INSTALL", "LOAD", "EXPORT", "IMPORT", "SET", "RESET", "PRAGMA", "CALL",
           "CREATE", "DROP", "INSERT", "UPDATE", "DELETE", "ALTER", "CHECKPOINT", "USE")


def connect(folder: str | Path, skipped: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A sandboxed connection: the store's views, read-only, nothing else on the machine reachable.

    Files damaged or stale are left out; their descriptions are appended to `skipped`."""
    out, store = _locate(Path(folder))
    files = [str(path) for path in _current_files(out, store, skipped if skipped is not None else [])]
    if not files:
        raise InputError("no intact run files in the store (run `fentflow compare` first)", file=str(store.root))
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"CREATE VIEW runs AS SELECT * FROM read_parquet({_sql_list(files)}, union_by_name = true)")
    for table in RESULT_TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * EXCLUDE (\"table\") FROM runs WHERE \"table\" = '{table}'")
    for name in COMPARISON_TABLES:
        path = out / TABLES_DIR / f"{name}.parquet"
        if path.exists():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_sql_list([str(path)])})")
    # From here on only the store's own files can be read (read-only: no statement that writes is let
    # through), nothing else on the machine, and no setting can be changed back.
    allowed = [*files, *(str(out / TABLES_DIR / f"{name}.parquet") for name in COMPARISON_TABLES)]
    con.execute(f"SET allowed_paths = {_sql_list(allowed)}")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def query(folder: str | Path, sql: str, skipped: list[str] | None = None) -> pd.DataFrame:
    """Run one read-only SQL statement over the views of `connect`; SQL errors are the user's, so `InputError`."""
    _check_statement(sql)
    con = connect(folder, skipped)
    try:
        return con.sql(sql).df()
    except duckdb.Error as exc:
        raise InputError(f"SQL error: {_first_line(exc)}", field="sql") from None
    finally:
        con.close()


def _check_statement(sql: str) -> None:
    """One query (SELECT, WITH, DESCRIBE, SHOW...): statements that write, load or configure are refused."""
    if not sql.strip():
        raise InputError("empty SQL; e.g. fentflow query \"SELECT * FROM national LIMIT 5\"", field="sql")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"SQL error: {_first_line(exc)}", field="sql") from None
    if len(statements) != 1:
        raise InputError(f"one statement at a time, got {len(statements)}", field="sql")
    words = sql.strip().lstrip("(").split(None, 1)
    first = words[0].upper().rstrip(";") if words else ""
    if first in REFUSED or statements[0].type.name not in ("SELECT", "EXPLAIN", "PRAGMA"):
        raise InputError(f"{first or statements[0].type.name} is not allowed: `fentflow query` only reads the "
                         "store's views (SELECT ...)", field="sql")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _locate(folder: Path) -> tuple[Path, RunStore]:
    """Accept the compare output folder or its store/ folder."""
    if (folder / STORE_DIR).is_dir():
        return folder, RunStore(folder / STORE_DIR)
    if folder.is_dir() and any(folder.glob("arm=*")):
        return folder.parent, RunStore(folder)
    raise InputError("not a comparison folder (expected store/arm=*/run=*.parquet inside)", file=str(folder))


def _current_files(out: Path, store: RunStore, skipped: list[str]) -> list[Path]:
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
            skipped.append(f"{path} ({check.status.value}: {check.reason})")
    return chosen


def _fingerprint_of(path: Path) -> str:
    try:
        return (pq.read_schema(path).metadata or {}).get(FINGERPRINT, b"").decode()
    except Exception:  # an unreadable file: store.check will say so
        return ""


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
