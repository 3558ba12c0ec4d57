"""`Resolved`: the week's argument types are worked out once, and stepping gives the fused run's numbers."""
from __future__ import annotations

import numba
import numpy as np
import pandas as pd

import fentflow as ff
from fentflow.sim.dispatch import Resolved


def _argument_types(sim: ff.Sim, week: int) -> tuple:
    return tuple(numba.typeof(arg) for arg in sim.week_arguments(week, week + 1, 0, sim.week_wiring.n_steps))


def test_the_weeks_argument_types_never_change_during_a_run():
    """What `Resolved` rests on: the states, results and ledger the week is handed keep their types all run long."""
    sim = ff.Sim(parameters="defaults", replicates=2, start="2019-01-01", end="2019-12-31", seed=2)
    first = _argument_types(sim, 0)
    for week in range(sim.calendar.n_weeks):
        sim.step(week)
        assert _argument_types(sim, week + 1) == first, f"the week's argument types changed after week {week}"


def test_parameters_from_a_dataframe_give_the_week_the_same_argument_types():
    """The week compiles once per argument types (about 27 s each). The calibration hands the week
    its particles as a DataFrame's columns, which pandas gives out read-only: they must not make a
    second signature beside the defaults' (they made two more, in every calibration's processes)."""
    draws = pd.DataFrame({"supply_kg_week_2023": [150.0, 250.0], "overdose_hazard": [2e-4, 3e-4]})
    sims = [ff.Sim(pars=ff.Pars(values, n_reps=2), start="2019-01-01", end="2019-01-31", seed=1)
            for values in ({}, {name: draws[name] for name in draws})]
    assert _argument_types(sims[0], 0) == _argument_types(sims[1], 0)


def test_parameters_given_read_only_are_held_writeable():
    column = np.array([150.0, 250.0])
    column.flags.writeable = False
    held = ff.Pars({"supply_kg_week_2023": column})["supply_kg_week_2023"]
    assert held.flags.writeable and held.flags.c_contiguous
    np.testing.assert_array_equal(held, column)


def test_stepping_calls_the_compiled_week_directly_after_its_first_week():
    sim = ff.Sim(parameters="defaults", replicates=1, start="2019-01-01", end="2019-03-31")
    assert sim._week.compiled is None
    sim.step(0)
    assert sim._week.compiled is sim.week_wiring.run.get_overload(_argument_types(sim, 1))


def test_a_resolved_dispatcher_gives_what_the_dispatcher_gives():
    @numba.njit
    def scaled(values, factor):
        return values * factor

    resolved = Resolved(scaled)
    values = np.arange(4.0)
    assert np.array_equal(resolved(values, 2.0), scaled(values, 2.0))
    assert resolved.compiled is not None
    assert np.array_equal(resolved(values, 3.0), values * 3.0)


def test_a_plain_function_is_called_as_it_is():
    resolved = Resolved(lambda a, b: a + b)
    assert resolved(1, 2) == 3 and resolved.compiled is None and resolved(2, 2) == 4
