"""Calibration with uncertainty: ABC-SMC (pyABC) on the public series, batched on Dask, resumable.

    from fentflow.calibrate import calibrate_and_report, load_default_posterior
    report = calibrate_and_report("small", "out/calibration", workers=2, seed=0)
    posterior = load_default_posterior()      # the shipped draws: parameters + weight

Modules, one concept each: `priors` (which parameters, from their declarations), `statistics`
(targets and summary statistics), `distance`, `epsilon`, `transition` (ABC-SMC pieces),
`batch` (worker side: a chunk of parameter sets as one batched Sim), `executor` (Dask),
`sampler` (pyABC sampler simulating in batches), `seeds`, `budget`, `calibration` (the run,
resume), `posterior`, `predictive`, `estimates` (seizure share, flows, RAND), `plots`,
`outputs`, `run` (all of it), `validation`, `shipped`, `cli`. `fitcheck` is the model-vs-data
check that calibration reuses for alignment. docs/calibration.md explains the choices.
"""
from __future__ import annotations

import importlib

# Lazy exports: `fentflow.calibrate.fitcheck` is imported by the fit check and the claims, which
# should not pay for importing pyABC (seconds).
_EXPORTS = {
    "BUDGETS": "budget", "Budget": "budget", "get_budget": "budget",
    "CalibrationResult": "calibration", "CalibrationSpec": "calibration", "calibrate": "calibration",
    "default_posterior_path": "posterior", "load_default_posterior": "posterior", "read_posterior": "posterior",
    "FITTED": "priors", "fitted_parameters": "priors", "calibrate_and_report": "run", "TargetSet": "statistics",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
