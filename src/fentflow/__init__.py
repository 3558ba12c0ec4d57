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

import importlib
import logging

# The flat API, loaded on first use: `import fentflow` (and the CLI's start) stays light.
_EXPORTS = {
    "InputError": ("fentflow.errors", "InputError"), "LedgerError": ("fentflow.errors", "LedgerError"),
    "convert": ("fentflow.observed.conversions", "convert"),
    "list_series": ("fentflow.observed.series", "list_series"),
    "load_series": ("fentflow.observed.series", "load_series"),
    "Intervention": ("fentflow.policy.interventions", "Intervention"),
    "Scenario": ("fentflow.policy.scenarios", "Scenario"),
    "load_scenario": ("fentflow.policy.scenarios", "load_scenario"),
    "STEP_ORDER": ("fentflow.sim.engine", "STEP_ORDER"), "Sim": ("fentflow.sim.engine", "Sim"),
    "aggregate": ("fentflow.sim.observables", "aggregate"),
    "observables": ("fentflow.sim.observables", "all_observables"),
    "write_outputs": ("fentflow.sim.output", "write_outputs"),
    "PARAMETERS": ("fentflow.sim.pars", "PARAMETERS"), "Pars": ("fentflow.sim.pars", "Pars"),
    "World": ("fentflow.world", "World"),
}

__version__ = "0.1.0"
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'fentflow' has no attribute '{name}'")
    module, attribute = _EXPORTS[name]
    return getattr(importlib.import_module(module), attribute)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


logging.getLogger(__name__).addHandler(logging.NullHandler())
