"""Compiled helpers shared by the step kernels: recording results, a cycle counter.

Every module's week is one compiled function (its *step kernel*), so a whole run can be
a single compiled loop (`fused.py`). Kernels write into preallocated arrays in place;
what they share is here.
"""
from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic


class Periods(NamedTuple):
    """Where a week's results go: a flow is split over up to two periods (`flow_period`,
    `flow_share`, a share of 0 marking an unused slot), a stock sets its `stock_period`."""
    flow_period: np.ndarray   # (week, 2) int64
    flow_share: np.ndarray    # (week, 2) float
    stock_period: np.ndarray  # (week,) int64


# Plain loops rather than array expressions here and in the kernels: they compile in a
# fraction of the time, and the first run on a machine waits for the compiler.

# Every compiled function of the engine is a `@kernel`: cached on disk, and dividing as NumPy
# does (x / 0 is inf or nan, as IEEE says) rather than as Python does. numba counts the
# references to each array a function takes, atomically, in and out, unless it can see that the
# counts cancel; a path that can raise hides that from it. Python's division raises, as does
# an allocation, and a call of another compiled function (whose error numba passes on): the
# step kernels counted every array of their states at every call, about 1,300 atomic
# operations a week, a sixth of a default run. So the kernels
# - divide as NumPy does (the numbers are the same: every division in them is by a number that
#   cannot be 0, or is guarded);
# - allocate nothing (scratch arrays live in the module's state);
# - record their results last (`add_flow`, `set_stock`), once they have read their state for the
#   last time: the state is one variable, and every array of it that is alive across a call is
#   counted. The kernels that draw (crossing, demand, violence) still count the arrays they use
#   around the dice;
# - take the arrays they loop over out of their tuples (state, parameters, road) before the
#   loop: read inside it, each read cost numba a reference count (crossing's booking took 35 ms
#   a run written that way, 14 ms the other; benchmarks/README.md).
# `tests/test_sim_kernel_rules.py` checks the first two in the source.
kernel = numba.njit(cache=True, error_model="numpy")

# A helper called from one place only is compiled as part of its caller (`@inlined`). Each
# separately compiled function optimises and emits again the machine code of everything it
# calls, so every level of calls compiles the levels below it once more; inlining the
# once-called helpers of the step kernels cut the first run's compile by a
# quarter. The numbers are the same: no fast-math, the arithmetic is unchanged.
inlined = numba.njit(cache=True, inline="always", error_model="numpy")


@kernel
def zero(array):
    """Set every element of a C-contiguous array to 0: a loop, since `array[:] = 0.0` on a slice of a
    3- or 4-D array compiled several times slower (`road.py`)."""
    flat = array.reshape(-1)
    for i in range(flat.size):
        flat[i] = 0.0


# A kernel records a quantity into its row of the module's results block, `out[ROW]`: the row is
# passed as a view rather than as a number, because numba compiles a called function once for
# each constant number it is handed (20 versions of these two, a second of compiling).
@kernel
def add_flow(target, week, values, periods):
    """Add a (rep, place) flow to its period(s) of `target`, (period, rep, place). A week inside one
    period has a share of exactly 1 there, and x * 1.0 is x: one loop serves both cases."""
    for k in range(2):
        share = periods.flow_share[week, k]
        if share == 0.0:
            continue
        row = periods.flow_period[week, k]
        for r in range(values.shape[0]):
            for place in range(values.shape[1]):
                target[row, r, place] += values[r, place] * share


@kernel
def set_stock(target, week, values, periods):
    """Set a (rep, place) stock as the value of its period in `target`."""
    row = periods.stock_period[week]
    for r in range(values.shape[0]):
        for place in range(values.shape[1]):
            target[row, r, place] = values[r, place]


@intrinsic
def cycles(typingctx):
    """The processor's cycle counter (a few nanoseconds to read): the fused loop times its steps with it."""
    def codegen(context, builder, signature, args):
        counter = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.IntType(64), []),
                                                 "llvm.readcyclecounter")
        return builder.call(counter, [])
    return types.int64(), codegen

