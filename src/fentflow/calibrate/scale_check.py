"""Can the public series tell how much crosses? The posterior's supply scaled with what it trades with.

Every fitted series sees the supply's size through a rate of its own:
- CBP's seizures are what reaches the border times the chance of being caught there;
- DEA's domestic seizures are what is sold times DEA's rate;
- CDC's deaths follow what people take against what they need, times the overdose hazard.

So a posterior whose supply is k times larger, with detection at and between ports and DEA's
domestic rate k times smaller and the need per person k times larger (`PARTNERS`), should fit
these series about as well as the posterior itself, while its seizure share is about 1/k of
the posterior's. If it does, the data cannot pin down the size of the flow (nor the share
seized), and the posterior's width along that line is its priors'.

`scale_check` tests it. The same posterior draws are scaled by each factor. Their
deaths-only parameters are fitted again exactly, as the calibration fits them
(`deaths_scale.refit`), and each draw is simulated over the fitted span with the same random
numbers for every factor. Each factor's row reports:
- the calibration's own distance;
- the fit check's MALE for each series;
- the pooled coverage of the 90% bands;
- the 2022 seizure share;
- U.S. consumption in 2021 and the share of draws under RAND's bound, the one public figure on the
  flow's size (an upper bound);
- the share of draws that the scaling puts outside the priors, in all and partner by partner.

    from fentflow.calibrate.scale_check import scale_check
    table = scale_check(posterior, (0.5, 1.0, 2.0), draws=100, seed=0, executor=executor)
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from fentflow.calibrate.batch import chunk_predictive, chunk_statistics, chunks_of
from fentflow.calibrate.deaths_scale import refit
from fentflow.calibrate.distance import distance_of
from fentflow.calibrate.estimates import rand_comparison, seizure_share_table
from fentflow.calibrate.executor import Executor
from fentflow.calibrate.fitcheck import error_table
from fentflow.calibrate.posterior import parameter_columns, posterior_weights, weighted_quantiles
from fentflow.calibrate.predictive import choose_draws
from fentflow.calibrate.priors import FITTED, FittedParameter, fitted_parameters
from fentflow.calibrate.seed_stability import share_figures
from fentflow.calibrate.seeds import derive_seed
from fentflow.calibrate.statistics import TargetSet
from fentflow.calibrate.validation import pooled_coverage
from fentflow.errors import InputError

# Each parameter that trades with the supply's size, and the power of the factor it is scaled by.
PARTNERS: dict[str, int] = {
    "supply_kg_week_2023": 1,          # the supply's size (its growth rates set the path to it)
    "need_mg_per_user_week": 1,        # what a person takes, so that users and their exposure stay
    "poe_detection_2019": -1,          # detection at ports of entry ...
    "poe_detection_2023": -1,
    "between_detection": -1,           # ... and between them: CBP's seizures stay
    "between_detection_2023": -1,
    "domestic_seizure_rate": -1,       # DEA's seizures stay
}
FACTORS = (0.5, 0.71, 1.0, 1.41, 2.0)
CHUNK = 100       # draws simulated together; any size gives the same numbers (a run is keyed by its draw)


def scaled(draws: pd.DataFrame, factor: float) -> pd.DataFrame:
    """`draws` with each partner multiplied by factor ** its power (`PARTNERS`); the rest as they are."""
    if not np.isfinite(factor) or factor <= 0:
        raise InputError(f"a scale factor must be a positive number, not {factor}", field="--factor")
    missing = [name for name in PARTNERS if name not in draws.columns]
    if missing:
        raise InputError(f"the posterior has no column {', '.join(missing)}: it does not fit the supply's partners",
                         field="posterior")
    return draws.assign(**{name: draws[name] * factor ** power for name, power in PARTNERS.items()})


def scale_between(posterior: pd.DataFrame, reference: pd.DataFrame) -> float:
    """Where `posterior` sits, as a factor of `reference`'s scale, on the line of `PARTNERS` that the data
    cannot see: exp of the mean over the partners of power x ln(weighted median / the reference's
    weighted median). A posterior scaled by k (`scaled`) sits at k."""
    logs = [power * np.log(_weighted_median(posterior, name) / _weighted_median(reference, name))
            for name, power in PARTNERS.items()]
    return float(np.exp(np.mean(logs)))


def _weighted_median(posterior: pd.DataFrame, name: str) -> float:
    weights = posterior_weights(posterior)
    return float(weighted_quantiles(posterior[name].to_numpy(float), weights, [0.5])[0])


def outside_priors(draws: pd.DataFrame, fitted: Sequence[FittedParameter]) -> dict[str, float]:
    """The share of draws with any partner outside its prior's bounds (`outside_priors`), and each
    partner's own share (`outside_<name>`): which priors bound the line the data cannot see."""
    shares, any_outside = {}, np.zeros(len(draws), bool)
    for p in fitted:
        if p.name in PARTNERS:
            low, high = p.natural_bounds
            values = draws[p.name].to_numpy(float)
            outside = (values < low) | (values > high)
            shares[f"outside_{p.name}"] = float(outside.mean())
            any_outside |= outside
    return {"outside_priors": float(any_outside.mean())} | shares


def scale_check(posterior: pd.DataFrame, factors: Sequence[float], *, draws: int, seed: int, executor: Executor,
                targets: TargetSet | None = None,
                progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """One row per factor: how well the posterior's `draws` fit with the supply scaled by it (`PARTNERS`),
    and their seizure share. The same draws and random numbers for every factor. `progress(done, total)`
    hears of each factor finished."""
    targets = targets or TargetSet()
    chosen = choose_draws(posterior, draws, seed)
    columns = parameter_columns(posterior)
    fitted = fitted_parameters([name for name in FITTED if name in columns and chosen[name].nunique() > 1])
    rows = []
    for done, factor in enumerate(factors, start=1):
        rescaled = scaled(chosen[columns], factor)
        refitted = _refit_deaths(rescaled, fitted, targets, seed, executor)
        rows.append({"factor": factor, "draws": draws} | _fit(refitted, fitted, targets, seed, executor)
                    | outside_priors(rescaled, fitted))
        if progress:
            progress(done, len(factors))
    return pd.DataFrame(rows)


def _refit_deaths(draws: pd.DataFrame, fitted: Sequence[FittedParameter], targets: TargetSet, seed: int,
                  executor: Executor) -> pd.DataFrame:
    """The draws with their deaths-only parameters fitted exactly to CDC's deaths, as the calibration does."""
    others = {name: draws[name].to_numpy(float) for name in draws.columns}

    def simulate(parameters: dict[str, np.ndarray]) -> pd.DataFrame:
        chunks = chunks_of(others | parameters, CHUNK, derive_seed(seed, "scale check refit"), targets)
        return pd.DataFrame([row for part in executor.ordered(chunk_statistics, chunks) for row in part])

    return refit(draws, fitted, simulate, targets.observed, list(targets.weights))


def _fit(draws: pd.DataFrame, fitted: Sequence[FittedParameter], targets: TargetSet, seed: int,
         executor: Executor) -> dict[str, float]:
    """The draws simulated over the fitted span: the calibration's distance (median over draws), the fit
    check's MALE per series and pooled 90% coverage, and the 2022 seizure share (`share_figures`)."""
    params = {name: draws[name].to_numpy(float) for name in draws.columns}
    chunks = chunks_of(params, CHUNK, derive_seed(seed, "scale check"), targets)
    parts = list(executor.ordered(_predictive_with_statistics, chunks))
    tables = {name: pd.concat([part[name] for part in parts], ignore_index=True) for name in parts[0]}
    errors = error_table(tables["aligned"])
    return ({"distance_median": _median_distance(draws, tables["statistics"], fitted, targets),
             "coverage_90": pooled_coverage(errors)}
            | {f"male_{row.series}": float(row.male) for row in errors.itertuples()}
            | share_figures(seizure_share_table(tables["seizure_share"])) | _rand_figures(tables["national_annual"]))


def _rand_figures(national: pd.DataFrame) -> dict[str, float]:
    """U.S. consumption in RAND's year (pure tonnes, median) and the share of draws under RAND's bound: the one
    public figure on the flow's size, an upper bound, so it limits the line from above only."""
    rand = rand_comparison(national)
    if not rand.get("draws"):
        return {}
    return {f"consumed_{rand['year']}_t_median": rand["median"], f"rand_{rand['year']}_below_bound": rand["share_below_bound"]}


def _predictive_with_statistics(chunk) -> dict[str, pd.DataFrame]:
    """A chunk's fit-check rows, hidden quantities and summary statistics (a function Dask can ship)."""
    return chunk_predictive(chunk, statistics=True)


def _median_distance(draws: pd.DataFrame, statistics: pd.DataFrame, fitted: Sequence[FittedParameter],
                     targets: TargetSet) -> float:
    """The median over draws of the calibration's distance to the data, each draw's deaths judged at its
    best-fitting hazard as in the calibration."""
    names = list(targets.weights)
    values = statistics.sort_values("replicate")[names].to_dict("records")
    distances = [distance_of(targets, simulated, fitted=fitted,
                             par={p.fit_name: p.to_fit_scale(float(draws[p.name].iloc[i])) for p in fitted})
                 for i, simulated in enumerate(values)]
    return float(np.median(distances))

