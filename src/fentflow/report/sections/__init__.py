"""The report's sections, in order; each is `build(context) -> Section` in its own module."""
from __future__ import annotations

from fentflow.report.sections import balance, baseline, calibration, claims, risk, run, scenarios, sources

ORDER = (run, balance, baseline, calibration, scenarios, risk, claims, sources)
