"""The static system fentflow simulates: a validated world loaded from a directory of files.

    from fentflow.world import World
    world = World.load()            # the bundled default world
    world = World.load("my-world")  # a copy you edited (format: docs/world-format.md)
"""
from __future__ import annotations

from fentflow.world.loader import TABLE_NAMES, World, default_world_path

__all__ = ["TABLE_NAMES", "World", "default_world_path"]
