"""Ship a finished calibration with the package.

Copies the posterior and the estimates made from it into `src/fentflow/calibrate/data/`
(what `fentflow run --parameters calibrated`, `compare`, `claims` and the report read), the
charts into `docs/img/calibration/`, and writes the data folder's README: what ran, the
command that reproduces it, and its figures.

    .venv/bin/fentflow calibrate --budget default --workers 2 --seed 0 --out out/calibration
    .venv/bin/python scripts/ship_calibration.py out/calibration
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import pandas as pd

from fentflow.calibrate.budget import BUDGETS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "fentflow" / "calibrate" / "data"
IMAGES = ROOT / "docs" / "img" / "calibration"
TABLES = ("posterior.parquet", "seizure_share.csv", "national.csv", "posterior_summary.csv", "summary.json",
          "generations.csv", "calibration.json")
PREDICTIVE_TABLES = {"predictive/errors.csv": "predictive_errors.csv"}
CHARTS = ("marginals.png", "seizure_share.png", "predictive/cdc_synthetic_deaths.png",
          "predictive/cbp_sw_component_lb.png", "predictive/cbp_sw_unit_lb.png", "predictive/dea_share_2mg.png",
          "predictive/sesnsp_homicides.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("calibration", type=Path, help="A finished `fentflow calibrate --out` directory.")
    parser.add_argument("--data-dir", type=Path, default=DATA, help="Where the tables go (default: the package).")
    parser.add_argument("--images-dir", type=Path, default=IMAGES, help="Where the charts go (default: docs/img).")
    args = parser.parse_args()
    source: Path = args.calibration
    problem = _not_shippable(source)
    if problem:
        print(f"error: {source}: {problem}", file=sys.stderr)
        return 2
    ship(source, args.data_dir, args.images_dir)
    print(f"shipped {source} -> {args.data_dir} and {args.images_dir}")
    return 0


def ship(source: Path, data: Path, images: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    images.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        shutil.copyfile(source / name, data / name)
    for name, target in PREDICTIVE_TABLES.items():
        shutil.copyfile(source / name, data / target)
    for name in CHARTS:
        shutil.copyfile(source / name, images / Path(name).name)
    (data / "README.md").write_text(readme(source))


def _not_shippable(source: Path) -> str | None:
    spec_file = source / "calibration.json"
    if not spec_file.is_file():
        return "no calibration.json: not a calibration directory"
    if not json.loads(spec_file.read_text()).get("finished"):
        return "the calibration has not finished (run the same `fentflow calibrate` command again to resume)"
    missing = [name for name in (*TABLES, *PREDICTIVE_TABLES, *CHARTS) if not (source / name).is_file()]
    return f"missing outputs: {', '.join(missing)}" if missing else None


def _cap_option(budget: dict) -> str:
    """`--max-simulations N` where the calibration replaced its budget's cap, else nothing."""
    cap = budget["max_simulations"]
    return "" if cap == BUDGETS[budget["name"]].max_simulations else f" --max-simulations {cap}"


def readme(source: Path) -> str:
    spec = json.loads((source / "calibration.json").read_text())["spec"]
    generations = pd.read_csv(source / "generations.csv")
    last = generations.iloc[-1]
    benchmark = _benchmark(source)
    command = (f"fentflow calibrate --budget {spec['budget']['name']} --seed {spec['seed']} --workers 2 "
               f"--data-through {spec['targets']['data_end']}{_cap_option(spec['budget'])} --out out/calibration")
    lines = [
        "# The shipped calibration",
        "",
        "Written by `scripts/ship_calibration.py` from a finished `fentflow calibrate` run; do not edit by hand.",
        "docs/calibration.md explains the method and reads these figures.",
        "",
        "Reproduce it (the same seed gives the same posterior with any number of workers):",
        "",
        "```bash",
        command,
        "python scripts/ship_calibration.py out/calibration",
        "```",
        "",
        f"- budget `{spec['budget']['name']}`: population {spec['budget']['population']}, at most "
        f"{spec['budget']['generations']} generations, stop after {spec['budget']['max_simulations']:,} simulations",
        f"- data fitted: {spec['targets']['start'][:4]}-{spec['targets']['data_end']}; "
        f"{len(spec['fitted'])} fitted parameters",
        f"- {len(generations)} generations, {int(generations['simulations'].sum()):,} simulations; last epsilon "
        f"{last['epsilon']:.3f}, acceptance {last['acceptance']:.1%}, effective sample size "
        f"{last['ess']:.0f} of {int(last['particles'])}",
    ]
    if benchmark:
        lines.append(f"- wall time: {benchmark['calibration_s']:.0f} s of calibration, {benchmark['total_s']:.0f} s "
                     f"with the predictive draws and outputs ({benchmark['workers']} workers, "
                     f"{benchmark['cpu_count']} cores; `benchmarks/bench_calibration_full.py`)")
    lines += ["", "| file | what |", "|---|---|",
              "| posterior.parquet | the last generation, regression-adjusted (`calibrate/adjustment.py`), its "
              "overdose hazard and lethal-pill term then fitted exactly to CDC's deaths (`calibrate/deaths_scale.py`): "
              "one row per particle, the fitted parameters, `weight`, "
              "`distance`, `generation` |",
              "| posterior_summary.csv | per parameter: prior range, weighted median, 50% and 90% intervals |",
              "| seizure_share.csv | per year, component (port, between, all) and measure (pure, gross): "
              "posterior-predictive quantiles of the share seized |",
              "| national.csv | per year: attempted crossings, pure tonnes attempted, seized, consumed, deaths |",
              "| summary.json | the headline estimates, RAND comparison |",
              "| generations.csv | epsilon, simulations, acceptance and effective sample size per generation |",
              "| predictive_errors.csv | posterior-predictive coverage and errors per observed series |",
              "| calibration.json | the calibration's specification |", ""]
    return "\n".join(lines)


def _benchmark(source: Path) -> dict | None:
    path = source / "benchmark.json"
    return json.loads(path.read_text()) if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
