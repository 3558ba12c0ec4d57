"""Risk of Mexico's 32 states along the fentanyl supply chain: a transparent, reproducible index.

    from fentflow.risk import assess, write_map_files
    a = assess(year=2023)                   # model 2015-2023 + SESNSP homicides -> index
    a.table()                               # level, score, drivers, stability, hotspots per state
    write_map_files(a, "out/map")           # HTML (offline), PNG, GeoJSON, CSV

The pieces, esda-style estimators with documented attributes:

    RiskIndex(raw)              hazard x exposure composite, levels, drivers (method: risk.method)
    LevelSensitivity(index)     Sobol sensitivity of levels to weights and cut points (SALib)
    GiStarHotspots(y, w)        Getis-Ord Gi* hot and cold spots (esda)
    LocalMoranClusters(y, w)    Local Moran clusters and outliers (esda)

The method, every weight and cut point with its reason: docs/risk.md.
"""
from __future__ import annotations

from fentflow.risk.assess import RiskAssessment, assess, assess_frames, default_year
from fentflow.risk.geometry import adjacency, code_table, state_shapes
from fentflow.risk.hotspots import GiStarHotspots, LocalMoranClusters
from fentflow.risk.index import RiskIndex
from fentflow.risk.inputs import ActivityFrames, annual_activity, raw_indicators
from fentflow.risk.method import CUT_POINTS, DIMENSION_WEIGHTS, INDICATORS, LEVELS, METHOD, IndexMethod, describe_method
from fentflow.risk.sensitivity import FACTORS, LevelSensitivity
from fentflow.risk.writers import write_map_files

__all__ = [
    "ActivityFrames", "CUT_POINTS", "DIMENSION_WEIGHTS", "FACTORS", "GiStarHotspots", "INDICATORS", "IndexMethod",
    "LEVELS", "LevelSensitivity", "LocalMoranClusters", "METHOD", "RiskAssessment", "RiskIndex", "adjacency",
    "annual_activity", "assess", "assess_frames", "code_table", "default_year", "describe_method", "raw_indicators",
    "state_shapes", "write_map_files",
]
