"""fentflow: simulate, calibrate and map the illicit fentanyl supply chain that feeds the U.S. market.

The flat public API::

    import fentflow as ff
    world = ff.World.load()                 # the bundled default world (or a directory)
    sim = ff.Sim(world, seed=1)             # 2015-2030, weekly; pars={...} for other parameters
    results = sim.run()
    tables = ff.observables(results, sim.net)
    ff.convert("13000 lb pills")            # pure kg, pills, doses with 90% intervals
"""
from __future__ import annotations

import logging

from fentflow.errors import InputError, LedgerError
from fentflow.observed.conversions import convert
from fentflow.observed.series import list_series, load_series
from fentflow.policy.interventions import Intervention
from fentflow.sim.engine import STEP_ORDER, Sim
from fentflow.sim.observables import aggregate
from fentflow.sim.observables import all_observables as observables
from fentflow.sim.output import write_outputs
from fentflow.sim.pars import PARAMETERS, Pars
from fentflow.world import World

__version__ = "0.1.0"
__all__ = [
    "World", "Sim", "Pars", "PARAMETERS", "STEP_ORDER", "Intervention", "observables", "aggregate",
    "write_outputs", "convert", "load_series", "list_series", "InputError", "LedgerError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
