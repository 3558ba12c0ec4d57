"""What a command loads before it starts: reading the shipped posterior for a run does not import
scikit-learn (1.5 s), which only a calibration's regression adjustment needs (`calibrate/posterior.py`)."""
from __future__ import annotations

import subprocess
import sys

READ_AND_BUILD = ("import sys, fentflow as ff; ff.Sim(parameters='calibrated', replicates=2, start='2019-01-01', "
                  "end='2019-01-31'); print('sklearn' in sys.modules)")


def test_a_run_with_the_shipped_posterior_does_not_import_scikit_learn():
    done = subprocess.run([sys.executable, "-c", READ_AND_BUILD], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
