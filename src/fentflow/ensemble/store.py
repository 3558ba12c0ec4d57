"""The result store: one Parquet file per run, partitioned by arm, each able to prove it is whole.

    <out>/store/arm=<arm>/run=<00000>.parquet

A file is written to a temporary name in the same folder, flushed to disk, then renamed: a
run file either exists whole or not at all, and a killed comparison leaves at most a stray
`.tmp` file, which is never read. Each file's Parquet footer records the arm's fingerprint
(the inputs that made it), its row count and a SHA-256 checksum of its content. `check()`
reads the file back and compares all three, so a truncated, damaged or stale file is reported
(and recomputed by the comparison), never silently used.
"""
from __future__ import annotations

import enum
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger(__name__)

FINGERPRINT, ROWS, CHECKSUM = b"fentflow.fingerprint", b"fentflow.rows", b"fentflow.checksum"
TMP_SUFFIX = ".tmp"


class Status(enum.Enum):
    OK = "ok"
    MISSING = "missing"
    CORRUPT = "corrupt"     # unreadable, truncated, or content not matching its checksum
    STALE = "stale"         # whole, but made from other inputs (scenario, seed, span, model code...)


@dataclass(frozen=True)
class Check:
    status: Status
    reason: str = ""
    frame: pd.DataFrame | None = None


class RunStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, arm: str, run: int) -> Path:
        return self.root / f"arm={arm}" / f"run={run:05d}.parquet"

    def write(self, arm: str, run: int, frame: pd.DataFrame, fingerprint: str) -> Path:
        """Write one run atomically (temporary file, fsync, rename)."""
        path = self.path(arm, run)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = frame.reset_index(drop=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = {**(table.schema.metadata or {}), FINGERPRINT: fingerprint.encode(),
                    ROWS: str(len(frame)).encode(), CHECKSUM: checksum(frame).encode()}
        temporary = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
        with open(temporary, "wb") as handle:
            pq.write_table(table.replace_schema_metadata(metadata), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        return path

    def check(self, arm: str, run: int, fingerprint: str) -> Check:
        """Is the stored run whole, and made from these inputs? Returns its table when it is."""
        path = self.path(arm, run)
        if not path.exists():
            return Check(Status.MISSING)
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException, ValueError) as exc:
            return Check(Status.CORRUPT, f"unreadable ({exc})")
        metadata = table.schema.metadata or {}
        if metadata.get(FINGERPRINT, b"").decode() != fingerprint:
            return Check(Status.STALE, "made from other inputs")
        frame = table.to_pandas()
        problem = _content_problem(frame, metadata, arm, run)
        if problem:
            return Check(Status.CORRUPT, problem)
        return Check(Status.OK, frame=frame)

    def discard(self, arm: str, run: int) -> None:
        self.path(arm, run).unlink(missing_ok=True)

    def clean_temporary(self) -> int:
        """Remove the stray temporary files a killed comparison left; return how many."""
        strays = list(self.root.glob(f"arm=*/.*{TMP_SUFFIX}")) if self.root.exists() else []
        for stray in strays:
            stray.unlink(missing_ok=True)
        return len(strays)

    def files(self) -> list[Path]:
        """Every run file in the store (the DuckDB view reads these)."""
        return sorted(self.root.glob("arm=*/run=*.parquet")) if self.root.exists() else []


def checksum(frame: pd.DataFrame) -> str:
    """SHA-256 of the table's content (column names and values), independent of the file's encoding."""
    digest = hashlib.sha256()
    for name in frame.columns:
        digest.update(name.encode() + b"\0")
        digest.update(_column_bytes(frame[name]))
    return digest.hexdigest()


def _column_bytes(column: pd.Series) -> bytes:
    if pd.api.types.is_integer_dtype(column):
        return np.ascontiguousarray(column.to_numpy(np.int64)).tobytes()
    if pd.api.types.is_float_dtype(column):
        return np.ascontiguousarray(column.to_numpy(np.float64)).tobytes()
    return "\x1f".join(column.astype(str).tolist()).encode()


def _content_problem(frame: pd.DataFrame, metadata: dict, arm: str, run: int) -> str:
    rows = metadata.get(ROWS, b"").decode()
    if rows != str(len(frame)):
        return f"has {len(frame)} rows, its footer says {rows or 'nothing'}"
    if metadata.get(CHECKSUM, b"").decode() != checksum(frame):
        return "content does not match its checksum"
    if set(frame["arm"].unique()) != {arm} or set(frame["run"].unique()) != {run}:
        return "holds another arm's or run's rows"
    return ""
