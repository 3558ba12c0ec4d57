"""What moves north, as expected quantities: the fields of a cargo.

Between the production sites and the border fentflow moves flows, not loads: a site's
shipment of the week, its part on each route, what waits to set off and what is on the road
to a crossing are each a vector of these fields, in expected loads, kilograms and pills.
Loads are drawn one by one only where one is seen, at a seizure at the border
(`modules/crossing.py`); the rest moves as masses, so a run's work no longer grows with the
number of loads.

The first fields are those a U.S. market keeps (`distribution.FIELDS`): what passes a
crossing is handed on as it is.
"""
from __future__ import annotations

from fentflow.sim.modules.distribution import (FIELDS, PILL_PURE, PILLS, PILLS_GE2MG,  # noqa: F401 (re-exported)
                                               POWDER_GROSS, POWDER_PURE)

CARGO = FIELDS + ("pill_gross_kg", "pill_loads", "powder_loads")
PILL_GROSS, PILL_LOADS, POWDER_LOADS = range(len(FIELDS), len(CARGO))
N_CARGO = len(CARGO)
