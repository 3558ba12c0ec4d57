from pathlib import Path

import pytest

from fentflow.sim import compile_cache

# Kernels defined in the tests with cache=True call the simulator's: their cache must follow both
# sources, as the simulator's own does (`sim/compile_cache.py`), or an old one is loaded after a change.
TESTS = Path(__file__).resolve().parent
compile_cache.refresh(TESTS, TESTS / "__pycache__" / "kernels.fingerprint", depends_on=(compile_cache.SIM_DIR,))


@pytest.fixture(scope="session")
def repo_script():
    """Load a file of the repository's scripts/ as a module: `repo_script("build_routes")`."""
    import importlib.util

    def load(name: str):
        spec = importlib.util.spec_from_file_location(name, TESTS.parent / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load


@pytest.fixture(scope="session")
def world():
    from fentflow.world import World
    return World.load()


def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` (long validation suites) run only with FENTFLOW_SLOW=1."""
    import os

    if os.environ.get("FENTFLOW_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow suite: set FENTFLOW_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def claim_context(world):
    """One claims baseline (default parameters, seed 0, one replicate) for the claim tests that need the model."""
    from fentflow.claims import ClaimContext
    return ClaimContext(world, seed=0, replicates=1)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory):
    """A report built from scratch: the baseline 2015-2023 (seed 0) is run into the folder first.
    Shared by the report and browser tests (about 20 s to build): copy the folder to change it."""
    from fentflow.report import build_report

    out = tmp_path_factory.mktemp("report") / "run"
    build_report(out, start="2015-01-01", end="2023-12-31", seed=0)
    return out


def pytest_configure(config):
    """Compile the simulation kernels once, before pytest-xdist starts its workers: they then load
    numba's cache instead of each compiling the same kernels at the same time."""
    if hasattr(config, "workerinput"):      # a worker: the controller has compiled them
        return
    from fentflow.sim.engine import Sim

    Sim(parameters="defaults", replicates=1, start="2019-01-01", end="2019-01-31").run()


@pytest.fixture
def bundled_only(monkeypatch):
    """The test starts and ends reading the bundled public series only (no imported `--data` folder)."""
    from fentflow.observed.series import DATA_FOLDER_ENV, use_data_folder

    monkeypatch.delenv(DATA_FOLDER_ENV, raising=False)
    yield
    use_data_folder(None)
