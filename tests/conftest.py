import pytest


@pytest.fixture(scope="session")
def world():
    from fentflow.world import World
    return World.load()
