"""How much a calibration learnt: each fitted parameter's posterior 90% interval against its prior's.

A posterior that only repeats its prior leaves every answer as wide as the prior; the ratio of
the two 90% intervals, on the fitting scale (log10 for a log-uniform prior), says how far the
data narrowed each parameter: about 1 means nothing was learnt, 0.5 halves the width.
The parameters that set the seizure share (detection at and between ports, the supply's size
and timing) are held to a stricter bar, because the headline estimate inherits their width.

    from fentflow.calibrate.learning import learning_table, learning_summary
    table = learning_table(posterior, fitted_parameters())
    learning_summary(table)   # {"median_ratio": ..., "share_setters_max_ratio": ..., ...}
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fentflow.calibrate.posterior import weighted_quantiles
from fentflow.calibrate.priors import FITTED, FittedParameter, fitted_parameters

# The parameters the seizure share depends on most directly (docs/calibration.md, "What it learnt").
SHARE_SETTERS: tuple[str, ...] = ("poe_detection_2019", "poe_detection_2023", "between_detection",
                                  "supply_kg_week_2023", "supply_growth_to_2019", "supply_growth_2019_2021",
                                  "supply_growth_2021_2023")
TARGET_MEDIAN_RATIO = 0.5
TARGET_SHARE_SETTER_RATIO = 0.4
PRIOR_INTERVAL90 = 0.9     # a uniform prior's 90% interval is 0.9 of its range


def learning_table(posterior: pd.DataFrame, fitted: Sequence[FittedParameter]) -> pd.DataFrame:
    """Per fitted parameter: posterior and prior 90% interval widths on the fitting scale, and their ratio."""
    weights = posterior["weight"].to_numpy(float)
    rows = []
    for p in fitted:
        on_fit_scale = np.array([p.to_fit_scale(v) for v in posterior[p.name].to_numpy(float)])
        low, high = weighted_quantiles(on_fit_scale, weights, [0.05, 0.95])
        prior_width = PRIOR_INTERVAL90 * (p.high - p.low)
        rows.append({"parameter": p.name, "scale": "log10" if p.log_scale else "linear",
                     "posterior_width90": high - low, "prior_width90": prior_width,
                     "ratio": (high - low) / prior_width, "sets_seizure_share": p.name in SHARE_SETTERS})
    return pd.DataFrame(rows)


def posterior_learning(draws: pd.DataFrame) -> pd.DataFrame:
    """`learning_table` of a posterior file's draws over the parameters it drew: one the calibration
    held (`CalibrationSpec.held`) is a constant column, and nothing was learnt of it."""
    drawn = [name for name in FITTED if name in draws.columns and draws[name].nunique() > 1]
    return learning_table(draws, fitted_parameters(drawn))


def learning_summary(table: pd.DataFrame) -> dict[str, float | bool | str]:
    """The headline: median ratio, the widest share-setting parameter, and whether both meet their targets."""
    setters = table[table["sets_seizure_share"]]
    widest = setters.loc[setters["ratio"].idxmax()] if len(setters) else None
    median = float(table["ratio"].median())
    worst = float(widest["ratio"]) if widest is not None else float("nan")
    return {"median_ratio": median, "median_target": TARGET_MEDIAN_RATIO,
            "share_setters_max_ratio": worst,
            "share_setters_widest": str(widest["parameter"]) if widest is not None else "",
            "share_setter_target": TARGET_SHARE_SETTER_RATIO,
            "meets_targets": bool(median <= TARGET_MEDIAN_RATIO and worst <= TARGET_SHARE_SETTER_RATIO)}
