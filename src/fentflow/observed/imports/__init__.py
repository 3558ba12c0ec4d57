"""`fentflow data import`: build the public series from the publishers' own files.

    from fentflow.observed.imports import import_files
    imported = import_files([Path("nationwide-drugs-fy22-fy25.csv")], into=Path("data"))

Each file is recognised by its header (`FORMATS`): CBP's nationwide drug-seizure CSV, CDC's
VSRR provisional overdose death counts, SESNSP's state victim counts. Every series a format
builds is validated like the bundled ones and written to the folder as `<series>.csv`, over
the rows an earlier import wrote there (same key: replaced); `provenance.json` records, per
series, the files (name, sha256, rows read, date). `--data FOLDER` on the commands that read
the public series reads these rows over the bundled ones (`series.use_data_folder`).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import platformdirs

from fentflow.errors import InputError
from fentflow.observed.imports import cbp, cdc, sesnsp
from fentflow.observed.imports.reading import SourceFile, read_source
from fentflow.observed.series import bundled_series, merge_rows, read_series_file, series_spec

log = logging.getLogger(__name__)

PROVENANCE_FILE = "provenance.json"
MIN_SHARED_COLUMNS = 3      # a header sharing fewer columns with every format is not recognised


@dataclass(frozen=True)
class Format:
    name: str
    columns: tuple[str, ...]
    series: tuple[str, ...]
    build: Callable[[list[SourceFile]], dict[str, pd.DataFrame]]


FORMATS: tuple[Format, ...] = (
    Format("CBP nationwide drug seizures", cbp.COLUMNS, cbp.SERIES, cbp.build),
    Format("CDC VSRR provisional drug overdose death counts", cdc.COLUMNS, cdc.SERIES,
           lambda sources: cdc.build(sources, bundled_series("cdc_deaths"))),
    Format("SESNSP victims of crime by state (fuero común)", sesnsp.COLUMNS, sesnsp.SERIES,
           lambda sources: sesnsp.build(sources, bundled_series("sesnsp_homicides"))),
)


@dataclass(frozen=True)
class Imported:
    """One series written by an import: its name, rows now in the folder, periods and files."""

    series: str
    path: Path
    rows: int
    first: int
    last: int
    files: tuple[str, ...]


def default_folder() -> Path:
    """Where imports go by default: the user's data folder (e.g. ~/.local/share/fentflow/series)."""
    return Path(platformdirs.user_data_dir("fentflow")) / "series"


def import_files(paths: Sequence[Path], into: Path | None = None) -> list[Imported]:
    """Read, recognise and build every file in `paths`; write the series into `into`."""
    if not paths:
        raise InputError("no files to import", field="FILE")
    folder = _prepare(into or default_folder())
    groups: dict[Format, list[SourceFile]] = {}
    for path in paths:
        source = read_source(Path(path))
        groups.setdefault(recognise(source), []).append(source)
    built = {name: (frame, sources) for fmt, sources in groups.items()
             for name, frame in fmt.build(sources).items()}
    return [_write(folder, name, frame, sources) for name, (frame, sources) in built.items()]


def recognise(source: SourceFile) -> Format:
    """The format whose columns the file's header shares most (a missing one is named later)."""
    shared = {fmt: len(set(fmt.columns) & set(source.header)) for fmt in FORMATS}
    best = max(shared, key=shared.get)
    if shared[best] < MIN_SHARED_COLUMNS:
        raise source.error("header not recognised: not a CBP drug-seizure, CDC VSRR overdose or SESNSP "
                           f"victims file (header: {', '.join(source.header)[:200]})", 1)
    return best


def _prepare(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder: {exc.strerror}", file=str(folder), field="--into") from None
    return folder


def _write(folder: Path, name: str, frame: pd.DataFrame, sources: list[SourceFile]) -> Imported:
    spec = series_spec(name)
    path = folder / spec.filename
    frame = frame[list(spec.all_columns)]
    if path.is_file():
        frame = merge_rows(spec, read_series_file(spec, path, label=str(path)), frame)
    frame.to_csv(path, index=False)
    written = read_series_file(spec, path, label=str(path))    # the same checks as the bundled series
    _record(folder, name, sources, len(written))
    years = written["year" if "year" in written else "fy"]
    log.info("imported %s: %d rows into %s", name, len(written), path)
    return Imported(name, path, len(written), int(years.min()), int(years.max()),
                    tuple(source.name for source in sources))


def imports_of(folder: Path) -> dict[str, dict]:
    """The provenance record of a data folder: per series, the files imported (empty if none)."""
    path = folder / PROVENANCE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}       # a damaged record is rewritten at the next import; the series files are what is read


def _record(folder: Path, name: str, sources: list[SourceFile], rows: int) -> None:
    path = folder / PROVENANCE_FILE
    record = imports_of(folder)
    earlier = [entry for entry in record.get(name, {}).get("files", [])
               if entry.get("sha256") not in {source.sha256 for source in sources}]
    record[name] = {"imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "rows": rows,
                    "files": earlier + [source.provenance() for source in sources]}
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")


__all__ = ["FORMATS", "Imported", "default_folder", "import_files", "imports_of", "recognise"]
