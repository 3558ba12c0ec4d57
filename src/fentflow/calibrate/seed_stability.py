"""Does the calibration pin its answers down? The same calibration under several seeds, side by side.

An affordable ABC-SMC stops while its particles still carry their seed's chance, so the same
model, data and budget calibrated with another seed can fit differently (docs/calibration.md,
"Limits": one seed's posterior). `seed_stability` calibrates once per seed, each in its own
folder (`seed-<k>/`, resumable like any calibration), reads each posterior as the
documentation reads the shipped one — the fit check with `replicates` draws of it (`fentflow
fit-check --replicates 40 --parameters`), how far it narrowed the priors (`fentflow validate
learning --posterior`), its 2022 seizure share and where it sits, against the first seed, on the
line of scale that the data cannot see (`scale_check.scale_between`) — and puts the figures side
by side with their spread across seeds. A model change judged on one calibration of each is judged inside
that spread.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from fentflow.calibrate.fitcheck import FitCheck
from fentflow.calibrate.run import calibrate_and_report
from fentflow.observed.series import last_data_year

DEATHS_YEARS = tuple(range(2018, 2024))     # the issue's window for the deaths' median errors ...
BAND_YEARS = (2021, 2022, 2023)             # ... and for their 90% bands
MALE_SERIES = ("cdc_synthetic_deaths", "cbp_sw_component_lb", "cbp_sw_component_events", "cbp_sw_unit_lb",
               "sesnsp_homicides")
SHARE_YEAR = 2022
SCALE = "scale_vs_first_seed"
SPREAD = "spread"


def seed_stability(budget: str, seeds: Sequence[int], out: str | Path, *, workers: int = 2,
                   scheduler: str | None = None, replicates: int = 40,
                   progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Calibrate with each seed into `out/seed-<k>/` and return one row of figures per seed plus their
    spread (`SPREAD`, max - min); also written to `out/seeds.csv`. `progress(done, total)` hears of
    each seed finished."""
    out = Path(out)
    rows = []
    for done, seed in enumerate(seeds, start=1):
        folder = seed_folder(out, seed)
        report = calibrate_and_report(budget, folder, workers=workers, scheduler=scheduler, seed=seed,
                                      data_through=last_data_year())   # as `fentflow calibrate` fits
        rows.append(seed_figures(folder, report.result.generations, replicates) | {"seed": str(seed)}
                    | scale_figures(folder, seed_folder(out, seeds[0])))
        if progress:
            progress(done, len(seeds))
    table = with_spread(pd.DataFrame(rows).set_index("seed"))
    table.to_csv(out / "seeds.csv")
    return table


def seed_folder(out: Path, seed: int) -> Path:
    """Where one seed's calibration lives under the command's `--out`."""
    return out / f"seed-{seed}"


def seed_figures(folder: Path, generations: pd.DataFrame, replicates: int) -> dict[str, float]:
    """The figures of one finished calibration in `folder` (its posterior.parquet, seizure_share.csv)."""
    posterior = folder / "posterior.parquet"
    last = generations.iloc[-1]
    return ({"generations": float(len(generations)), "simulations": float(generations["simulations"].sum()),
             "last_epsilon": float(last["epsilon"])}
            | fit_figures(_fit_check(posterior, replicates)) | learning_figures(posterior)
            | share_figures(pd.read_csv(folder / "seizure_share.csv")))


def _fit_check(posterior: Path, replicates: int) -> FitCheck:
    from fentflow.calibrate.fitcheck import fit_check
    from fentflow.sim.engine import Sim

    sim = Sim(parameters=str(posterior), replicates=replicates, end=f"{last_data_year()}-12-31", seed=0)
    sim.run()
    return fit_check(sim)


def fit_figures(fit: FitCheck) -> dict[str, float]:
    """Deaths' median errors and 90% band half-widths (% of CDC's), CBP's growth FY2019-FY2023, MALEs."""
    points = fit.points
    deaths = points[points["series"] == "cdc_synthetic_deaths"].set_index("period")
    deaths.index = deaths.index.astype(int)
    figures = {f"deaths_error_{year}": 100 * (deaths.at[year, "model_median"] / deaths.at[year, "observed"] - 1)
               for year in DEATHS_YEARS if year in deaths.index}
    figures |= {f"deaths_band_{year}": 100 * (deaths.at[year, "model_p95"] - deaths.at[year, "model_p05"])
                / 2 / deaths.at[year, "observed"] for year in BAND_YEARS if year in deaths.index}
    component = points[points["series"] == "cbp_sw_component_lb"].groupby("period")["model_median"].sum()
    if {"FY2019", "FY2023"} <= set(component.index):
        figures["cbp_growth_fy2019_fy2023"] = component["FY2023"] / component["FY2019"]
    errors = fit.errors.set_index("series")
    figures |= {f"male_{name}": float(errors.at[name, "male"]) for name in MALE_SERIES if name in errors.index}
    return figures


def learning_figures(posterior: Path) -> dict[str, float]:
    """The median posterior/prior width ratio and the widest seizure-share parameter's (`learning.py`)."""
    from fentflow.calibrate.learning import learning_summary, posterior_learning
    from fentflow.calibrate.posterior import read_posterior

    summary = learning_summary(posterior_learning(read_posterior(posterior)))
    return {"learning_median": summary["median_ratio"],
            "learning_share_setters_max": summary["share_setters_max_ratio"]}


def scale_figures(folder: Path, first: Path) -> dict[str, float]:
    """Where this seed's posterior sits, against the first seed's, on the line the data cannot see
    (`scale_check.scale_between`): its 2022 share moves about as 1 / this."""
    from fentflow.calibrate.posterior import read_posterior
    from fentflow.calibrate.scale_check import scale_between

    return {SCALE: scale_between(read_posterior(folder / "posterior.parquet"),
                                 read_posterior(first / "posterior.parquet"))}


def share_figures(seizure_share: pd.DataFrame) -> dict[str, float]:
    """The seizure share of `SHARE_YEAR` by pure weight, in %: median and 90% interval."""
    row = seizure_share[(seizure_share["year"] == SHARE_YEAR) & (seizure_share["component"] == "all")
                        & (seizure_share["measure"] == "pure")].iloc[0]
    return {f"share_{SHARE_YEAR}_{q}": 100 * float(row[q]) for q in ("median", "p05", "p95")}


def with_spread(table: pd.DataFrame) -> pd.DataFrame:
    """`table` (one row per seed) with a last row `SPREAD`: each figure's max - min over the seeds."""
    spread = table.max() - table.min()
    return pd.concat([table, spread.to_frame(SPREAD).T]).rename_axis("seed")
