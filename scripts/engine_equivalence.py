"""Is a new engine statistically the old one? Key outputs of 40 replicates of the defaults, compared.

A change of the random streams (issue 12: a stream per decision *and* replicate) changes every
number, so the reference run of `tests/test_engine_reference.py` cannot show that the model is
unchanged. This script can: it runs `REPLICATES` replicates of the default parameters over
2015-2030 and reduces each to key outputs (deaths, consumption, production, attempted crossings,
border seizures and the border seizure share, homicides, price, for a few years). Run it on the
old engine with `--save old.npz`, then on the new one with `--against old.npz`: for every
output it prints both means, their difference in standard errors of the difference, and the
5/50/95 % quantiles. The engines agree when no |z| exceeds ~3.5 (about 60 outputs).

    PYTHONPATH=src .venv/bin/python scripts/engine_equivalence.py --save /tmp/old.npz     # old engine
    PYTHONPATH=src .venv/bin/python scripts/engine_equivalence.py --against /tmp/old.npz  # new engine
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

REPLICATES = 40
SEED = 5
YEARS = (2017, 2020, 2023, 2027, 2030)
NATIONAL = ("deaths", "consumed_pure_kg", "produced_kg", "attempted_crossings", "border_seized_pure_kg",
            "border_seized_gross_kg", "mexico_seized_pure_kg", "homicides")


def key_outputs() -> dict[str, np.ndarray]:
    """Output name -> (replicate,) values."""
    import fentflow as ff
    from fentflow.sim import observables as ob

    sim = ff.Sim(ff.World.load(), ff.Pars({"supply_kg_week_2023": [190.0] * REPLICATES}), seed=SEED,
                 resolution="month")
    sim.run()
    national = ob.national_annual(sim.results)
    share = ob.seizure_share(sim.results, sim.net)
    price = ob.aggregate(sim.results, "price_usd_per_pill", "year", by_place=False)
    out = {}
    for year in YEARS:
        rows = national[national["year"] == year].sort_values("replicate")
        for name in NATIONAL:
            out[f"{name} {year}"] = rows[name].to_numpy()
        rows = share[(share["year"] == year) & (share["component"] == "all")].sort_values("replicate")
        out[f"border seizure share {year}"] = rows["share_pure"].to_numpy()
        rows = price[price["year"] == year].sort_values("replicate")
        out[f"price (sum over markets) {year}"] = rows["price_usd_per_pill"].to_numpy()
    return out


def compare(new: dict[str, np.ndarray], old: dict[str, np.ndarray]) -> float:
    """Print the comparison; return the largest |z|."""
    worst = 0.0
    print(f"{'output':44s} {'old mean':>12s} {'new mean':>12s} {'z':>6s}   old q05/q50/q95 | new q05/q50/q95")
    for name in old:
        a, b = old[name], new[name]
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        z = 0.0 if se == 0 else (b.mean() - a.mean()) / se
        worst = max(worst, abs(z))
        qa, qb = np.quantile(a, [0.05, 0.5, 0.95]), np.quantile(b, [0.05, 0.5, 0.95])
        print(f"{name:44s} {a.mean():12.5g} {b.mean():12.5g} {z:6.2f}   "
              f"{'/'.join(f'{q:.4g}' for q in qa)} | {'/'.join(f'{q:.4g}' for q in qb)}")
    print(f"{len(old)} outputs, {REPLICATES} replicates each; largest |z| = {worst:.2f}")
    return worst


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", help="write this engine's key outputs to an .npz file")
    parser.add_argument("--against", help="compare this engine with key outputs saved earlier")
    args = parser.parse_args(argv)
    outputs = key_outputs()
    if args.save:
        np.savez_compressed(args.save, **outputs)
    if args.against:
        old = dict(np.load(args.against))
        return 1 if compare(outputs, old) > 3.5 else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
