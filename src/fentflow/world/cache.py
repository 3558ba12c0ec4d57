"""The one world cache of a process: workers simulating many runs load each world once."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=4)
def load_world(world_dir: str | None):
    """The world of a directory (None: the bundled one), loaded once per process."""
    from fentflow.world.loader import World

    return World.load(world_dir)
