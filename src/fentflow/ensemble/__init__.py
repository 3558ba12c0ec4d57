"""Ensembles: policy scenarios compared run by run, on Dask, with a resumable Parquet store.

    from fentflow.ensemble import ComparisonSpec, compare, write_report, connect
    from fentflow.policy.scenarios import load_scenario

    spec = ComparisonSpec(arms=tuple(map(load_scenario, ["baseline", "port_surge", "treatment"])), runs=20)
    comparison = compare(spec, "out/compare", workers=2)   # or scheduler="tcp://host:8786"
    comparison.differences      # deaths averted, kg consumed/seized, shares, price... with 90% intervals
    comparison.displacement     # change in each CBP unit's / state's share: the balloon effect
    write_report(comparison, "out/compare")                # tables/*.csv|parquet, charts/*.png
    connect("out/compare").sql("SELECT * FROM national WHERE metric = 'deaths'").df()

Parts, one concept each: `spec` (what a comparison is; blocks, seeds, fingerprints), `run`
(`run_block`, `run_one`: the pure unit of work), `summary` (what one run keeps), `store`
(per-run Parquet files with integrity checks), `execute` (this process, a local Dask cluster or
`--scheduler`), `compare` (plan, resume, compute), `paired` (paired differences and quantiles),
`comparison` (the result), `report` and `charts` (files), `query` (DuckDB views), `cli` (the
commands). Where a run's parameters come from (the defaults or posterior draws) is the engine's
(`fentflow.sim.sources`): `ff.Sim` reads them too, without loading what comparisons need
(DuckDB, Dask).
"""
from __future__ import annotations

from fentflow.ensemble.compare import compare
from fentflow.ensemble.comparison import Comparison
from fentflow.ensemble.query import connect, query
from fentflow.ensemble.report import write_report
from fentflow.ensemble.run import run_block, run_one
from fentflow.ensemble.spec import ComparisonSpec
from fentflow.ensemble.store import RunStore
from fentflow.sim.sources import DefaultParameters, PosteriorDraws

__all__ = ["Comparison", "ComparisonSpec", "DefaultParameters", "PosteriorDraws", "RunStore", "compare",
           "connect", "query", "run_block", "run_one", "write_report"]
