"""Keep numba's on-disk cache of the step kernels in step with their source.

numba (cache=True) checks only the file that defines a compiled function: after an edit to
a kernel that another file's function calls (the fused run loop calls every module's
kernel), it would load the stale machine code. So the cache carries a fingerprint of every
source file of the simulator; when the sources change, the cache is emptied and the
kernels compile afresh on first use. Only files that define compiled code (`njit`,
`@intrinsic`, `@inlined`) count, and the data the kernels compile in (`units.py`'s constants, the
ziggurat tables in `data/`): editing the engine's Python leaves the cache alone.
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SIM_DIR = Path(__file__).resolve().parent
STAMP = SIM_DIR / "__pycache__" / "kernels.fingerprint"
CONSTANTS = SIM_DIR.parent / "units.py"   # kernels compile its constants in (violence: WEEKS_PER_YEAR)


def sources_fingerprint(root: Path = SIM_DIR, constants: Path = CONSTANTS) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        source = path.read_bytes()
        if b"njit" in source or b"@intrinsic" in source or b"@inlined" in source:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(source)
    if constants.exists():
        digest.update(constants.read_bytes())
    for table in sorted((root / "data").glob("*.npz")):     # tables the kernels compile in (dice.py)
        digest.update(table.read_bytes())
    return digest.hexdigest()


def refresh(root: Path = SIM_DIR, stamp: Path = STAMP, depends_on: tuple[Path, ...] = ()) -> bool:
    """Empty the kernel cache under `root` if the sources changed since it was made; True if it was emptied.

    `depends_on`: other folders of compiled code that root's kernels call (the tests' kernels call the
    simulator's), whose sources count too."""
    fingerprint = "".join(sources_fingerprint(folder, folder.parent / CONSTANTS.name)
                          for folder in (root, *depends_on))
    try:
        if stamp.read_text() == fingerprint:
            return False
    except OSError:
        pass
    for cached in [*root.rglob("__pycache__/*.nbi"), *root.rglob("__pycache__/*.nbc")]:
        try:
            cached.unlink(missing_ok=True)
        except OSError:       # someone else's cache we may not touch: numba then recompiles into its own
            log.debug("cannot remove %s", cached)
    try:
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(fingerprint)
    except OSError:       # a read-only install: numba caches elsewhere, and its sources never change
        log.debug("cannot write %s", stamp)
    return True


def cache_folder(root: Path = SIM_DIR) -> Path:
    """Where numba keeps the simulator's compiled code: `NUMBA_CACHE_DIR` when set, else beside the sources."""
    custom = os.environ.get("NUMBA_CACHE_DIR")
    return Path(custom) if custom else root / "__pycache__"


def kernels_cached(root: Path = SIM_DIR) -> bool:
    """Whether the run loop's compiled code is in the cache (if not, the next run compiles it first).

    Under `NUMBA_CACHE_DIR` numba files each source folder's code in a folder of its own, one level down."""
    folder = cache_folder(root)
    pattern = "*/fused.run_weeks-*.nbi" if os.environ.get("NUMBA_CACHE_DIR") else "fused.run_weeks-*.nbi"
    return any(folder.glob(pattern))
