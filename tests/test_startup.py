"""What a command loads before it starts: reading the shipped posterior for a run does not import
scikit-learn (1.5 s), which only a calibration's regression adjustment needs (`calibrate/posterior.py`),
nor DuckDB or Dask, which only comparisons need: the parameter sources are the engine's
(`fentflow.sim.sources`), not the ensemble package's (24 MB of a default run's peak memory, `make
bench` row 2)."""
from __future__ import annotations

import subprocess
import sys

NOT_NEEDED = ("sklearn", "duckdb", "dask", "distributed", "fentflow.ensemble")
READ_AND_BUILD = ("import sys, fentflow as ff; ff.Sim(parameters='calibrated', replicates=2, start='2019-01-01', "
                  f"end='2019-01-31'); print(sorted(set(sys.modules) & set({NOT_NEEDED!r})))")


def test_a_run_with_the_shipped_posterior_loads_neither_scikit_learn_nor_what_comparisons_need():
    done = subprocess.run([sys.executable, "-c", READ_AND_BUILD], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
