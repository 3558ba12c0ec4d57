"""The self-contained HTML report of a run: one file that opens from disk with no network.

    from fentflow.report import build_report
    path = build_report("out")      # after `fentflow run --out out` (or it runs the baseline itself)
"""
from __future__ import annotations

__all__ = ["REPORT_FILE", "build_report"]


def __getattr__(name: str):
    """Load the report builder (matplotlib, the risk map, ...) on first use, so the CLI starts fast."""
    if name in __all__:
        from fentflow.report import build
        return getattr(build, name)
    raise AttributeError(f"module 'fentflow.report' has no attribute {name!r}")
