"""The engine gives the numbers it gave before: every result of a short two-replicate run with
every lever, against `tests/data/engine_reference.npz` (remade when draws became keyed per
replicate, after `scripts/engine_equivalence.py` showed the new engine equals the old in
distribution; `scripts/make_engine_reference.py` says when to remake it)."""
import runpy
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def test_results_match_the_reference_run():
    reference = np.load(ROOT / "tests" / "data" / "engine_reference.npz")
    results = runpy.run_path(str(ROOT / "scripts" / "make_engine_reference.py"), run_name="reference")["reference_run"]()
    assert sorted(results) == sorted(reference.files)
    for name in reference.files:
        np.testing.assert_allclose(results[name], reference[name], rtol=1e-12, atol=1e-9, err_msg=name)
