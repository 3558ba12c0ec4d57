"""The compiled engine: the fused run loop agrees with stepping week by week, draws follow NumPy,
the kernel cache follows its sources, and the fast path still checks and times every step."""
from typing import NamedTuple

import numba
import numpy as np
import pytest

from fentflow.errors import LedgerError
from fentflow.policy.interventions import Intervention
from fentflow.sim import compile_cache, dice, fused
from fentflow.sim.cargo import PILL_PURE, POWDER_PURE
from fentflow.sim.engine import STEP_ORDER, Sim
from fentflow.sim.kernels import add_flow
from fentflow.sim.modules.base import Module
from fentflow.sim.rng import decision_keys, die_words, generator_of

LEVERS = (Intervention("port_inspection", "2019-03-01", "2019-12-31", 2.0),
          Intervention("precursor_control", "2019-06-01", "2020-03-31", 0.4),
          Intervention("treatment", "2019-06-01", "2020-06-30", 1.0))


def _sim(**kwargs) -> Sim:
    kwargs = {"start": "2019-01-01", "end": "2020-06-30", "seed": 4, **kwargs}
    if "pars" not in kwargs:   # one run at the default parameters unless a test asks for more
        kwargs = {"parameters": "defaults", "replicates": 1, **kwargs}
    return Sim(**kwargs)


def _stepped(sim: Sim) -> Sim:
    for week in range(sim.calendar.n_weeks):
        sim.step(week)
    return sim


@pytest.mark.parametrize("kwargs", [
    {},
    {"pars": {"poe_detection_2023": [0.05, 0.3], "supply_kg_week_2023": [150.0, 400.0]},
     "resolution": "month", "interventions": LEVERS},
])
def test_compiled_run_equals_stepping_week_by_week(kwargs):
    fused, stepped = _sim(**kwargs), _stepped(_sim(**kwargs))
    assert fused.compiled
    fused.run()
    for name, data in stepped.results.data.items():
        np.testing.assert_allclose(fused.results[name], data, rtol=1e-12, atol=1e-12, err_msg=name)
    assert fused.loads_on_road == stepped.loads_on_road


class Census(Module):
    """A plain-Python step that only reads: inserting it must change no result."""
    name = "census"

    def declare_results(self):
        self.sim.results.declare("loads_on_road", "loads", "stock", "national")

    def step(self, week):
        self.record("loads_on_road", week, np.array([[self.sim.loads_on_road]], float))


def test_a_python_module_in_the_order_runs_stepwise_with_the_same_results():
    custom = _sim(steps=(*STEP_ORDER, Census))
    assert not custom.compiled
    custom.run()
    standard = _sim()
    standard.run()
    assert custom.results["loads_on_road"][-1, 0, 0] == standard.loads_on_road > 0
    for name in standard.results.data:
        np.testing.assert_array_equal(custom.results[name], standard.results[name], err_msg=name)


# Adding a compiled module: its own file (here: the class, state, results and kernel below) and the
# one place that wires the week (here: `week_with_tally`, passed as `Sim(week=...)`). Nothing else.
class TallyState(NamedTuple):
    shipped: np.ndarray          # (rep,) pure kg the sites have shipped so far


class Tally(Module):
    """A trivial compiled module: adds up the pure kg of the sites' cargo (production's state)."""
    name = "tally"

    def __init__(self, sim):
        super().__init__(sim)
        self.state = TallyState(np.zeros(self.n_reps))

    def declare_results(self):
        self.results_block = self.sim.results.declare_block("national", ("all",), {
            "sites_shipped_kg": ("pure kg", "flow", "pure kg the sites shipped")})


@numba.njit(cache=True)
def tally_step(week, st, cargo, out, periods):
    kg = np.zeros((st.shipped.size, 1))
    for r in range(st.shipped.size):
        for s in range(cargo.shape[1]):
            kg[r, 0] += cargo[r, s, PILL_PURE] + cargo[r, s, POWDER_PURE]
        st.shipped[r] += kg[r, 0]
    add_flow(out[0], week, kg, periods)


@numba.njit(cache=True)
def week_with_tally(first, stop, lo, hi, periods, ledger, states, outs, ticks, progress):
    """The standard week (nine steps, eight of them with results), then the tally as step 10."""
    for week in range(first, stop):
        fused.run_weeks(week, week + 1, lo, min(hi, 9), periods, ledger, states[:9], outs[:8], ticks, progress)
        if progress[fused.BROKEN_WEEK] >= 0:
            return
        if lo <= 9 < hi:
            tally_step(week, states[9], states[1].cargo, outs[8], periods)


def test_a_compiled_module_is_added_by_its_file_and_the_week_that_wires_it():
    week = fused.Week((*fused.MODULES, Tally), week_with_tally, fused.stocks)
    tallied, standard = _sim(week=week), _sim()
    assert tallied.compiled
    tallied.run(), standard.run()
    shipped = tallied.results["sites_shipped_kg"]
    assert shipped.sum() == pytest.approx(standard.results["dispatched_kg"].sum(), rel=1e-12)
    assert shipped.sum() == pytest.approx(tallied.modules["tally"].shipped.sum(), rel=1e-12) and shipped.sum() > 0
    for name in standard.results.data:
        np.testing.assert_array_equal(tallied.results[name], standard.results[name], err_msg=name)
    stepped = _stepped(_sim(week=week))
    np.testing.assert_array_equal(stepped.results["sites_shipped_kg"], shipped)


def test_every_array_the_kernels_take_is_c_contiguous():
    """One memory layout for every run keeps to one compiled signature (no recompiling for a batch)."""
    sim = _sim(pars={"raids_per_year": np.linspace(1, 9, 8)[::2]}, resolution="month")
    states = [m.state for m in sim.modules.values()]
    tuples = [sim.results.periods, sim.ledger.arrays, sim.modules["crossing"].state.road, *states]
    odd = [(type(arrays).__name__, name) for arrays in tuples for name, array in zip(arrays._fields, arrays)
           if not isinstance(array, tuple) and not (array.flags.c_contiguous and array.flags.writeable)]
    odd += [(name, "results") for name, m in sim.modules.items()
            if m.results_block is not None and not m.results_block.flags.c_contiguous]
    assert odd == []


def test_the_compiled_steps_keep_the_order_the_week_wires():
    with pytest.raises(ValueError, match="in the order the week wires them"):
        _sim(steps=(STEP_ORDER[1], STEP_ORDER[0], *STEP_ORDER[2:]))
    with pytest.raises(ValueError, match="once each"):
        _sim(steps=STEP_ORDER[:-1])


def test_the_compiled_path_checks_the_mass_balance():
    sim = _sim()
    sim.modules["market"].stock[0, 0, 0] = 1.0     # pure kg out of nowhere
    with pytest.raises(LedgerError, match=r"week 0 \(\d{4}-\d\d-\d\d\), replicate 0"):
        sim.run()


class CtrlCAsItReturns:
    """The compiled week, then the KeyboardInterrupt a Ctrl-C taken during it raises as it returns."""

    def __init__(self, week):
        self.week, self.compiled = week, week.compiled

    def __call__(self, *arguments):
        self.week(*arguments)
        raise KeyboardInterrupt


def test_a_week_stepped_records_itself_before_a_ctrl_c_can_be_taken():
    """`Sim.step` runs the compiled week with no Ctrl-C guard: the week itself records that it ran
    and whether the balance broke, so a KeyboardInterrupt as it returns loses neither."""
    reference, sim = _sim(), _sim()
    reference.run()
    sim.step(0)
    sim._week = CtrlCAsItReturns(real := sim._week)
    with pytest.raises(KeyboardInterrupt):
        sim.step(1)
    assert sim.week == 1
    sim._week = real
    for week in range(2, sim.calendar.n_weeks):
        sim.step(week)
    for name, data in sim.results.data.items():
        np.testing.assert_array_equal(reference.results[name], data, err_msg=name)

    broken = _sim()
    broken.modules["market"].stock[0, 0, 0] = 1.0     # pure kg out of nowhere
    broken._week = CtrlCAsItReturns(broken._week)
    with pytest.raises(KeyboardInterrupt):
        broken.step(0)
    broken._week = broken._week.week
    with pytest.raises(LedgerError, match=r"week 0 \(\d{4}-\d\d-\d\d\), replicate 0"):
        broken.step(1)


def test_the_compiled_path_times_every_step_and_reports_progress():
    sim = _sim()
    weeks = []
    sim.run(progress=weeks.append)
    assert weeks[-1] == sim.calendar.n_weeks - 1 and weeks == sorted(weeks) and len(weeks) > 1
    assert set(sim.timings) == {*[cls.name for cls in STEP_ORDER], "ledger"}
    assert all(seconds > 0 for seconds in sim.timings.values())


# Draws: the compiled kernels take exactly NumPy's numbers from each die ---------
@numba.njit
def _draws(dice_array, lam, a, b, shape):
    die, n = dice_array[0], lam.size
    out = np.empty((6, n))
    for i in range(n):
        out[0, i] = dice.uniform(die)
    for i in range(n):
        out[1, i] = dice.standard_normal(die)
    for i in range(n):
        out[2, i] = dice.standard_exponential(die)
    for i in range(n):
        out[3, i] = dice.poisson(die, lam[i])
    for i in range(n):
        out[4, i] = dice.beta(die, a[i], b[i])
    for i in range(n):
        out[5, i] = dice.standard_gamma(die, shape[i])
    return out


def test_dice_draw_what_numpy_draws_number_for_number():
    rng, n = np.random.default_rng(1), 100_000
    lam = rng.uniform(0, 60, n)
    lam[::5] = 0.0
    lam[::7] = rng.uniform(10.0, 11.0, lam[::7].size)       # PTRS near its lower end
    a, b = rng.uniform(0.05, 20, n), rng.uniform(0.05, 20, n)
    a[::3], b[::3] = rng.uniform(0.01, 1, a[::3].size), rng.uniform(0.01, 1, b[::3].size)   # Johnk's beta
    shape = rng.uniform(0, 5, n)
    shape[::9] = 1.0
    generator = np.random.default_rng([5, 123])
    die = dice.die_of(generator)
    ours = _draws(die, lam, a, b, shape)
    numpy_draws = [generator.random(n), generator.standard_normal(n), generator.standard_exponential(n),
                   generator.poisson(lam), generator.beta(a, b), generator.standard_gamma(shape)]
    for name, mine, theirs in zip(("random", "normal", "exponential", "poisson", "beta", "gamma"),
                                  ours, numpy_draws):
        np.testing.assert_array_equal(mine, theirs, err_msg=name)
    np.testing.assert_array_equal(die, dice.die_of(generator))   # and the stream ends where NumPy's does


def test_a_keyed_die_draws_what_numpy_draws_from_the_same_state():
    keys = decision_keys(9, "load size", [0, 41])
    die = dice.new_die()
    for key in keys:
        for counter in (0, 1, dice.event_unit(300, 7, 12), 2**62):
            dice.roll(die[0], key, counter)
            words = die_words(key, counter)
            assert dice.words_of(die) == words                 # the compiled hash is the documented one
            generator = generator_of(words)
            np.testing.assert_array_equal(_draws(die, np.full(50, 20.0), np.full(50, 3.0), np.full(50, 12.0),
                                                 np.full(50, 0.5)),
                                          [generator.random(50), generator.standard_normal(50),
                                           generator.standard_exponential(50), generator.poisson(np.full(50, 20.0)),
                                           generator.beta(3.0, 12.0, 50), generator.standard_gamma(np.full(50, 0.5))])


# Golden values: any change of a key, a die or a distribution changes these (and so every result).
GOLDEN_KEY_WORDS = [[0x5DA549CE8236DC7A, 0xC6E5449F5F1CE244], [0x80256281ED3F33CE, 0x16B243B0AFDECE86]]
GOLDEN_DRAWS = (0.5042768235745262, 0.5250746987064542, 44, 0.21553257333525588)


@numba.njit
def _golden_draws(key, dice_array):
    die = dice_array[0]
    dice.roll(die, key, dice.place_unit(700, 3))
    u = dice.uniform(die)
    dice.roll(die, key, dice.event_unit(5, 2, 9))
    z = dice.standard_normal(die)
    k = dice.poisson(die, 37.5)
    b = dice.beta(die, 4.0, 16.0)
    return u, z, k, b


def test_draws_keep_their_golden_values():
    """A new NumPy, numba or fentflow that changes any draw fails here, before it changes a result."""
    keys = decision_keys(2026, "golden", [0, 17])
    assert keys.tolist() == GOLDEN_KEY_WORDS
    assert _golden_draws(keys[1], dice.new_die()) == GOLDEN_DRAWS


# The kernel cache ----------------------------------------------------------------------
def test_kernel_cache_is_emptied_when_the_sources_change(tmp_path):
    root = tmp_path / "sim"
    (root / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_text("@numba.njit\ndef f(): return 1\n")
    (root / "b.py").write_text("y = 1\n")                  # no kernels: not part of the fingerprint
    cached = root / "__pycache__" / "a.f-3.py311.nbi"
    stamp = root / "__pycache__" / "kernels.fingerprint"
    assert compile_cache.refresh(root, stamp)               # no fingerprint yet
    cached.write_text("machine code")
    assert not compile_cache.refresh(root, stamp) and cached.exists()
    (root / "b.py").write_text("y = 2\n")
    assert not compile_cache.refresh(root, stamp) and cached.exists()
    (root / "a.py").write_text("@numba.njit\ndef f(): return 2\n")
    assert compile_cache.refresh(root, stamp) and not cached.exists()
    cached.write_text("machine code")
    (tmp_path / "units.py").write_text("WEEKS_PER_YEAR = 52.0\n")   # constants the kernels compile in
    assert compile_cache.refresh(root, stamp) and not cached.exists()
    cached.write_text("machine code")
    (root / "data").mkdir()
    (root / "data" / "ziggurat.npz").write_bytes(b"tables")            # tables the kernels compile in
    assert compile_cache.refresh(root, stamp) and not cached.exists()


def test_a_cache_is_emptied_when_the_compiled_code_it_calls_changes(tmp_path):
    """The tests' cached kernels call the simulator's: a change there empties their cache too."""
    root, called = tmp_path / "tests", tmp_path / "sim"
    (root / "__pycache__").mkdir(parents=True)
    called.mkdir()
    (root / "t.py").write_text("@numba.njit(cache=True)\ndef f(): return g()\n")
    (called / "g.py").write_text("@numba.njit\ndef g(): return 1\n")
    stamp, cached = root / "__pycache__" / "kernels.fingerprint", root / "__pycache__" / "t.f-1.py311.nbi"
    compile_cache.refresh(root, stamp, depends_on=(called,))
    cached.write_text("machine code")
    assert not compile_cache.refresh(root, stamp, depends_on=(called,)) and cached.exists()
    (called / "g.py").write_text("@numba.njit\ndef g(): return 2\n")
    assert compile_cache.refresh(root, stamp, depends_on=(called,)) and not cached.exists()


def test_a_fresh_cache_is_reported_as_not_compiled(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    (tmp_path / "__pycache__").mkdir()
    assert not compile_cache.kernels_cached(tmp_path)
    (tmp_path / "__pycache__" / "fused.run_weeks-35.py311.nbi").write_text("index")
    assert compile_cache.kernels_cached(tmp_path)
