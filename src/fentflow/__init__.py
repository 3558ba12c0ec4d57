"""fentflow: simulate, calibrate and map the illicit fentanyl supply chain that feeds the U.S. market.

The flat public API::

    import fentflow as ff
    world = ff.World.load()                 # the bundled default world (or a directory)
    sim = ff.Sim(world, seed=1)             # 2015-2030, weekly, the shipped posterior, 20 replicates
    sim.parameter_source                    # where the parameters came from
    results = sim.run()
    ff.aggregate(results, "deaths", by_place=False)    # deaths per replicate and year
    tables = ff.observables(results, sim.net)          # the public series' counterparts
    surge = ff.load_scenario("port_surge")             # a bundled scenario, or a .toml file
    arm = ff.Sim(world, seed=1, interventions=surge.interventions)
    ff.convert("13000 lb pills")            # pure kg, pills, doses with 90% intervals

`docs/tutorial.ipynb` walks through a scenario in Jupyter. Every public name has a docstring
with an example (`help(ff.Sim)`); wrong names raise `ff.InputError` with the closest match.
"""
from __future__ import annotations

import logging

from fentflow.errors import InputError, LedgerError
from fentflow.observed.conversions import convert
from fentflow.observed.series import list_series, load_series
from fentflow.policy.interventions import Intervention
from fentflow.policy.scenarios import Scenario, load_scenario
from fentflow.sim.engine import STEP_ORDER, Sim
from fentflow.sim.observables import aggregate
from fentflow.sim.observables import all_observables as observables
from fentflow.sim.output import write_outputs
from fentflow.sim.pars import PARAMETERS, Pars
from fentflow.world import World

__version__ = "0.1.0"
__all__ = [
    "World", "Sim", "Pars", "PARAMETERS", "STEP_ORDER", "Intervention", "Scenario", "load_scenario", "observables",
    "aggregate",
    "write_outputs", "convert", "load_series", "list_series", "InputError", "LedgerError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
