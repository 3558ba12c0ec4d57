"""Observed public series (with sources) and unit conversions with honest uncertainty.

    from fentflow.observed import load_series, convert
    load_series("cbp_sw_monthly")          # tidy DataFrame, every row with source_url
    convert("10.2 million pills").pure_kg  # Estimate(point, p05, p50, p95)
    use_data_folder("data/")               # read series imported with `fentflow data import` too
"""
from __future__ import annotations

from fentflow.observed.amounts import Amount, parse_amount
from fentflow.observed.assumptions import YearAssumptions, assumptions_for
from fentflow.observed.conversions import Conversion, Estimate, convert
from fentflow.observed.series import list_series, load_series, series_names, use_data_folder

__all__ = [
    "Amount", "Conversion", "Estimate", "YearAssumptions",
    "assumptions_for", "convert", "list_series", "load_series", "parse_amount", "series_names", "use_data_folder",
]
