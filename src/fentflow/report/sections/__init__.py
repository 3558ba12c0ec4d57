"""The report's sections, in order; each is `build(context) -> Section` in its own module."""
from __future__ import annotations

from fentflow.report.sections import baseline, calibration, claims, risk, run, scenarios, sources

ORDER = (run, baseline, calibration, scenarios, risk, claims, sources)
