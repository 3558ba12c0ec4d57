"""Write src/fentflow/sim/data/ziggurat.npz: NumPy's ziggurat tables, which `sim/dice.py` draws with.

The tables are NumPy's own (`numpy/random/src/distributions/ziggurat_constants.h`, the `ki/wi/fi`
normal and `ke/we/fe` exponential tables). NumPy keeps them in C only; numba carries a copy in
a private module, read here once, so fentflow itself depends on public APIs only. The test
`tests/test_sim_compiled.py::test_dice_draw_what_numpy_draws_number_for_number` proves draws
with the shipped tables still equal NumPy's. Run it only if NumPy ever changes its tables:

    .venv/bin/python scripts/make_ziggurat_tables.py
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "fentflow" / "sim" / "data" / "ziggurat.npz"


def main() -> None:
    from numba.np.random import _constants as tables   # numba's copy of NumPy's C tables

    np.savez_compressed(OUT, ki=tables.ki_double.astype(np.uint64), wi=tables.wi_double.astype(np.float64),
                        fi=tables.fi_double.astype(np.float64), ke=tables.ke_double.astype(np.uint64),
                        we=tables.we_double.astype(np.float64), fe=tables.fe_double.astype(np.float64))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
