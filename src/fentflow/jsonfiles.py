"""Read a JSON file fentflow wrote earlier (summary.json, comparison.json, a calibration's spec):
a damaged one is an `InputError` naming it, never a JSONDecodeError traceback."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fentflow.errors import InputError


def read_json(path: str | Path, expect: type = dict) -> Any:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON ({exc}); the command that wrote it was probably interrupted: run it "
                         "again", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", file=str(path)) from None
    if not isinstance(data, expect):
        raise InputError(f"expected a JSON {expect.__name__}, found a {type(data).__name__}", file=str(path))
    return data
