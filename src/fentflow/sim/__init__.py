"""The simulator: engine, state arrays, random streams, one module per process, results, ledger."""
from fentflow.sim import compile_cache

compile_cache.refresh()
