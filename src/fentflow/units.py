"""Exact unit constants shared by the whole project (one place, tested).

Mass is tracked in kilograms internally; pounds appear only at the edges where
the public series speak in pounds (CBP).
"""
from __future__ import annotations

KG_PER_LB = 0.45359237          # exact, by definition of the international pound
MG_PER_KG = 1_000_000.0
LETHAL_DOSE_MG = 2.0            # DEA convention: 2 mg is a potentially lethal dose
DOSES_PER_PURE_KG = MG_PER_KG / LETHAL_DOSE_MG  # 500,000 (DEA: "1 kg = 500,000 lethal doses")
WEEKS_PER_YEAR = 52.1775        # mean Gregorian year / 7


def lb_to_kg(lb):
    return lb * KG_PER_LB


def kg_to_lb(kg):
    return kg / KG_PER_LB
