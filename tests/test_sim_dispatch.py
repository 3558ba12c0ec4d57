"""`Resolved`: the week's argument types are worked out once, and stepping gives the fused run's numbers."""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
import pandas as pd

import fentflow as ff
from fentflow.sim import dispatch
from fentflow.sim.dispatch import Resolved, kinds


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


class Pair(NamedTuple):
    first: np.ndarray
    second: np.ndarray


def _kind_variants() -> list:
    """Values whose numba types differ in every way the week's arguments could."""
    grid = np.zeros((3, 4))
    read_only = np.zeros((3, 4))
    read_only.flags.writeable = False
    return [grid, np.asfortranarray(grid), grid[:, ::2], read_only, grid.astype(np.int64), np.zeros(3),
            np.zeros(4), np.zeros((2, 2, 2)), (grid, grid), (grid, np.zeros(3)), Pair(grid, grid),
            Pair(grid, np.zeros(3)), ((grid,), 1), 1, 2, 2 ** 63 + 1, 1.0, True, np.float64(1.0), np.int64(1)]


def test_values_of_the_same_kinds_have_the_same_numba_type():
    """`kinds` may tell apart more than numba does, never less: the version found for one value's
    kinds is called with another's."""
    variants = _kind_variants()
    for a in variants:
        for b in variants:
            if kinds(a) == kinds(b):
                assert numba.typeof(a) == numba.typeof(b), (a, b)
    assert len({repr(kinds(v)) for v in variants}) == len(variants) - 2    # shared: 1 and 2, and two lengths


class Subclass(np.ndarray):
    pass


def test_what_kinds_cannot_read_is_left_to_numba():
    grid = np.zeros((3, 4))
    for value in (grid.view(Subclass), [grid], "text", (grid, "text"), np.float32(1.0)):
        assert kinds(value) is None, value


def test_a_second_resolution_for_the_same_kinds_takes_the_version_found(monkeypatch):
    """A later `Sim` calls its week at once: the process keeps what the first found, under the kinds."""
    first = ff.Sim(parameters="defaults", replicates=2, start="2019-01-01", end="2019-03-31", seed=4)
    first.run()

    def no_typeof(value):
        raise AssertionError("the argument types were worked out again")

    monkeypatch.setattr(dispatch, "typeof", no_typeof)
    again = ff.Sim(parameters="defaults", replicates=2, start="2019-01-01", end="2019-03-31", seed=4)
    again.run()
    assert again._week.compiled is first._week.compiled
    for name in first.results.quantities:
        np.testing.assert_array_equal(again.results[name], first.results[name])


def test_arguments_of_other_kinds_are_resolved_anew():
    @numba.njit
    def total(values):
        return values.sum()

    grid = np.arange(12.0).reshape(3, 4)
    assert Resolved(total)(grid) == grid.sum()
    strided = Resolved(total)
    assert strided(grid[:, ::2]) == grid[:, ::2].sum()
    assert strided.compiled is total.get_overload((numba.typeof(grid[:, ::2]),))
