"""Compiled draws, number for number what NumPy's `Generator` gives, from keyed dice.

Every random number of a run belongs to one *unit* of one decision of one replicate: a
(week, place) for decisions about places (raids, seizure counts, overdoses, homicides), an
event at a (week, place) for decisions about it (a seized load's form, size and potency).
The unit's *die* is a PCG64 state made from the decision's key (`rng.decision_keys`: seed,
decision name, the replicate's global index) and the unit's counter by `roll`, a keyed
hash (SplitMix64's mixer). So no draw depends on another replicate, on the batch or block
a replicate runs in, or on how many draws other units took: two scenario arms stay paired
wherever their histories agree, even when a lever changes how many loads are seized.

A die is a record of four words (`DIE`: the PCG64 state and increment, high and low) in an
array the caller keeps (`new_die`, a module's state), handed to the kernels as `die[0]`: a
record is a pointer, so passing it costs nothing, where an array argument costs numba two
atomic reference counts a call. The kernels step PCG64 themselves and shape the numbers with
NumPy's own algorithms (`numpy/random/src/distributions/distributions.c`), so a die draws
exactly what NumPy's `Generator(PCG64)` with that state would (`rng.generator_of`). Tests
compare every distribution with NumPy's, draw for draw, and golden values catch any change of
a draw. The truncated normals (`normal_above`, `normal_below`) are fentflow's own; tests check
their law.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

from fentflow.sim.kernels import inlined, kernel

MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645    # PCG's default 128-bit multiplier
TO_DOUBLE = 1.0 / 9007199254740992.0               # 2 ** -53
GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)       # SplitMix64's increment
MIX_1, MIX_2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)

# NumPy's ziggurat tables (numpy/random/src/distributions/ziggurat_constants.h), shipped as package
# data (scripts/make_ziggurat_tables.py wrote them once); the three edges as NumPy defines them.
_TABLES = np.load(Path(__file__).with_name("data") / "ziggurat.npz")
ZIGGURAT_NORMAL = (_TABLES["ki"], _TABLES["wi"], _TABLES["fi"])
ZIGGURAT_EXPONENTIAL = (_TABLES["ke"], _TABLES["we"], _TABLES["fe"])
ZIGGURAT_NOR_R = 3.6541528853610087963519472518
ZIGGURAT_NOR_INV_R = 0.27366123732975827203338247596
ZIGGURAT_EXP_R = 7.6971174701310497140446280481


DIE = np.dtype([("state_high", np.uint64), ("state_low", np.uint64),
                ("increment_high", np.uint64), ("increment_low", np.uint64)])


def new_die() -> np.ndarray:
    """Room for one die, (1,) `DIE`: the kernels roll and draw from `die[0]`, while the array keeps it."""
    return np.zeros(1, DIE)


def die_of(generator: np.random.Generator) -> np.ndarray:
    """A die, (1,) `DIE`, in the state of a PCG64 `generator` (a copy: the die then moves on its own)."""
    state = generator.bit_generator.state
    if state["bit_generator"] != "PCG64":
        raise ValueError(f"dice follow PCG64 streams, not {state['bit_generator']}")
    words = [state["state"]["state"] >> 64, state["state"]["state"], state["state"]["inc"] >> 64,
             state["state"]["inc"]]
    return np.array([tuple(w & 0xFFFFFFFFFFFFFFFF for w in words)], DIE)


def words_of(die: np.ndarray) -> list[int]:
    """The four words of a die, (1,) `DIE`, in `rng.die_words`'s order."""
    return [int(die[0][name]) for name in DIE.names]


@kernel
def mix64(z):
    """SplitMix64's output mixer: a bijection of 64-bit words that scatters every input bit."""
    z = (z ^ (z >> np.uint64(30))) * MIX_1
    z = (z ^ (z >> np.uint64(27))) * MIX_2
    return z ^ (z >> np.uint64(31))


@kernel
def roll(die, key, counter):
    """Set `die` (a `DIE` record) to the start of unit `counter`'s stream under the decision key `key` (two words).

    The four words are the next four outputs of a SplitMix64 sequence started at the hashed
    (key, counter); the increment is made odd, as PCG64 requires."""
    s = key[0] ^ mix64(np.uint64(counter) ^ key[1])
    s += GOLDEN_GAMMA
    die.state_high = mix64(s)
    s += GOLDEN_GAMMA
    die.state_low = mix64(s)
    s += GOLDEN_GAMMA
    die.increment_high = mix64(s)
    s += GOLDEN_GAMMA
    die.increment_low = mix64(s) | np.uint64(1)


@kernel
def place_unit(week, place):
    """The counter of a (week, place) unit."""
    return (np.int64(week) << 32) | np.int64(place)


@kernel
def event_unit(week, place, number):
    """The counter of the `number`-th event at a (week, place), e.g. a seized load: its draws are keyed by
    it (weeks < 2**19, places < 2**20, events < 2**24)."""
    return (np.int64(week) << 44) | (np.int64(place) << 24) | np.int64(number)


@intrinsic
def _lcg_step(typingctx, state_high, state_low, increment_high, increment_low):
    """PCG64's 128-bit LCG step, state * multiplier + increment (mod 2**128), in LLVM's 128-bit integers."""
    def codegen(context, builder, signature, args):
        wide = ir.IntType(128)

        def joined(high, low):
            return builder.or_(builder.shl(builder.zext(high, wide), ir.Constant(wide, 64)), builder.zext(low, wide))

        state = builder.add(builder.mul(joined(args[0], args[1]), ir.Constant(wide, MULTIPLIER)),
                            joined(args[2], args[3]))
        high = builder.trunc(builder.lshr(state, ir.Constant(wide, 64)), ir.IntType(64))
        return context.make_tuple(builder, signature.return_type, (high, builder.trunc(state, ir.IntType(64))))
    return types.UniTuple(types.uint64, 2)(types.uint64, types.uint64, types.uint64, types.uint64), codegen


@kernel
def next_uint64(die):
    """PCG64: step the state, return 64 random bits (the XSL-RR output of the new state)."""
    high, low = _lcg_step(die.state_high, die.state_low, die.increment_high, die.increment_low)
    die.state_high, die.state_low = high, low
    mixed = high ^ low
    rotation = high >> np.uint64(58)
    return (mixed >> rotation) | (mixed << ((np.uint64(64) - rotation) & np.uint64(63)))


@kernel
def uniform(die):
    """Generator.random(): a double in [0, 1)."""
    return np.float64(next_uint64(die) >> np.uint64(11)) * TO_DOUBLE


@kernel
def standard_normal(die):
    """Generator.standard_normal(): NumPy's ziggurat."""
    ki, wi, fi = ZIGGURAT_NORMAL
    while True:
        r = next_uint64(die)
        idx = np.int64(r & np.uint64(0xFF))
        r >>= np.uint64(8)
        rabs = (r >> np.uint64(1)) & np.uint64(0x000FFFFFFFFFFFFF)
        x = np.float64(rabs) * wi[idx]
        if r & np.uint64(1):
            x = -x
        if rabs < ki[idx]:
            return x
        if idx == 0:
            while True:
                xx = -ZIGGURAT_NOR_INV_R * np.log1p(-uniform(die))
                yy = -np.log1p(-uniform(die))
                if yy + yy > xx * xx:
                    return -(ZIGGURAT_NOR_R + xx) if (rabs >> np.uint64(8)) & np.uint64(1) else ZIGGURAT_NOR_R + xx
        elif (fi[idx - 1] - fi[idx]) * uniform(die) + fi[idx] < np.exp(-0.5 * x * x):
            return x


@kernel
def standard_exponential(die):
    """Generator.standard_exponential(): NumPy's ziggurat."""
    ke, we, fe = ZIGGURAT_EXPONENTIAL
    while True:
        ri = next_uint64(die) >> np.uint64(3)
        idx = np.int64(ri & np.uint64(0xFF))
        ri >>= np.uint64(8)
        x = np.float64(ri) * we[idx]
        if ri < ke[idx]:
            return x
        if idx == 0:
            return ZIGGURAT_EXP_R - np.log1p(-uniform(die))
        if (fe[idx - 1] - fe[idx]) * uniform(die) + fe[idx] < np.exp(-x):
            return x


@kernel
def normal_above(die, low):
    """A standard normal draw conditioned on being at least `low` (which may be -inf): rejection from the
    normal where that accepts at least a third of the time, else Robert's (1995) exponential proposal.
    fentflow's own, not one of NumPy's methods."""
    if low < 0.45:
        while True:
            z = standard_normal(die)
            if z >= low:
                return z
    rate = 0.5 * (low + np.sqrt(low * low + 4.0))
    while True:
        z = low + standard_exponential(die) / rate
        if uniform(die) <= np.exp(-0.5 * (z - rate) ** 2):
            return z


@kernel
def normal_below(die, high):
    """A standard normal draw conditioned on being below `high` (which may be +inf)."""
    return -normal_above(die, -high)


@kernel
def standard_gamma(die, shape):
    """Generator.standard_gamma(shape): Marsaglia and Tsang above 1, Johnk-style below."""
    if shape == 1.0:
        return standard_exponential(die)
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = uniform(die)
            v = standard_exponential(die)
            if u <= 1.0 - shape:
                x = u ** (1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -np.log((1 - u) / shape)
                x = (1.0 - shape + shape * y) ** (1.0 / shape)
                if x <= v + y:
                    return x
    return _marsaglia_tsang(die, *_marsaglia_tsang_constants(shape))


@kernel
def _marsaglia_tsang_constants(shape):
    """The constants Marsaglia and Tsang's method draws a gamma of `shape` > 1 with: d = shape - 1/3, 1 / sqrt(9 d)."""
    b = shape - 1.0 / 3.0
    return b, 1.0 / np.sqrt(9 * b)


@kernel
def _marsaglia_tsang(die, b, c):
    """A gamma draw above shape 1, from its two constants (`_marsaglia_tsang_constants`)."""
    while True:
        while True:
            x = standard_normal(die)
            v = 1.0 + c * x
            if v > 0.0:
                break
        v = v * v * v
        u = uniform(die)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if np.log(u) < 0.5 * x * x + b * (1.0 - v + np.log(v)):
            return b * v


@kernel
def beta(die, a, b):
    """Generator.beta(a, b): Johnk's algorithm when both are at most 1, else a ratio of gammas."""
    if a <= 1.0 and b <= 1.0:
        while True:
            u, v = uniform(die), uniform(die)
            x, y = u ** (1.0 / a), v ** (1.0 / b)
            total = x + y
            if total <= 1.0 and u + v > 0.0:
                if total > 0:
                    return x / total
                log_x, log_y = np.log(u) / a, np.log(v) / b
                log_m = max(log_x, log_y)
                log_x -= log_m
                log_y -= log_m
                return np.exp(log_x - np.log(np.exp(log_x) + np.exp(log_y)))
    ga = standard_gamma(die, a)
    gb = standard_gamma(die, b)
    return ga / (ga + gb)


@kernel
def poisson(die, lam):
    """Generator.poisson(lam): multiplication below 10, PTRS (Hörmann) from 10."""
    if lam >= 10:
        return _poisson_ptrs(die, lam)
    if lam == 0:
        return 0
    limit, count, product = np.exp(-lam), 0, 1.0
    while True:
        product *= uniform(die)
        if product > limit:
            count += 1
        else:
            return count


SURE_MARGIN = 1e-9   # `poisson_surely_zero`: above the rounding of a mean below 1 and of exp; forgoes 1e-9 of the sure


@inlined
def poisson_surely_zero(die, most):
    """Whether `poisson(die, lam)` returns 0 for every lam <= `most`, told without lam from the uniform it
    draws first (drawn here: roll the die again before drawing the count, and it is the same draw). Below a
    mean of 10 it returns 0 exactly when that uniform is at most exp(-lam) >= exp(-most) >= 1 - most;
    `SURE_MARGIN` covers the rounding of the two sides."""
    return most < 1.0 and uniform(die) <= 1.0 - most - SURE_MARGIN


@kernel
def _poisson_ptrs(die, lam):
    slam, loglam = np.sqrt(lam), np.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = uniform(die) - 0.5
        v = uniform(die)
        us = 0.5 - abs(u)
        k = np.int64(np.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b) <= -lam + k * loglam - _loggam(k + 1.0):
            return k


LOGGAM_COEFFICIENTS = (8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                       -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                       6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                       -1.39243221690590e+00)


@kernel
def _loggam(x):
    """log Gamma(x), as NumPy's `random_loggam` computes it."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = int(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    series = LOGGAM_COEFFICIENTS[9]
    for k in range(8, -1, -1):
        series = series * x2 + LOGGAM_COEFFICIENTS[k]
    result = series / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * np.log(x0) - x0
    for _ in range(n):
        result -= np.log(x0 - 1.0)
        x0 -= 1.0
    return result
