"""The self-contained HTML report of a run: one file that opens from disk with no network.

    from fentflow.report import build_report
    path = build_report("out")      # after `fentflow run --out out` (or it runs the baseline itself)
"""
from __future__ import annotations

from fentflow.report.build import REPORT_FILE, build_report

__all__ = ["REPORT_FILE", "build_report"]
