"""Model vs data: each simulated observable beside its public series, with error measures and charts.

    from fentflow.calibrate.fitcheck import fit_check, write_fit_check
    fit = fit_check(sim)                      # a finished Sim (one or many replicates)
    fit.errors                                # one row per series: n, mean ratio, MALE, RMSE, ...
    write_fit_check(fit, "out/fit-check")     # one PNG per series, errors.csv, points.csv

Observed and simulated values meet in one place, `align()`: the same periods (CBP fiscal years
and months, calendar years), places (component, field office or sector, state) and units, one
row per (series, period, place, replicate). Periods the simulation does not cover in full are
left out, so a short run is never compared with a whole year of data. Calibration reuses
`align()` and `error_table(aligned, per_replicate=True)`: one distance per parameter set.

Error measures (`error_measures`), over the points with an exact observed value:
- `mean_ratio`: mean of model / observed (observed > 0); 1 is unbiased.
- `male`: mean absolute log error, mean |ln(model / observed)| over points where both are > 0
  (`n_log` of them); a model off by a factor 2 everywhere scores ln 2 = 0.69.
- `mean_log_ratio`: mean ln(model / observed), the signed bias on the log scale.
- `rmse` in the series' unit, `nrmse` = rmse / mean observed.
- `corr`: Pearson correlation of model and observed, from 3 points with variation in both.
- `coverage_90`: share of observed points inside the model's 5-95% band (several replicates).
- `male_chance`: the MALE the model scores against itself (`chance_male`): each replicate in turn
  stands for the data, against the median of the others. It is what a model right in every
  respect would score against data that vary by chance as much as its replicates do; a `male`
  near it is chance, one well above it is misfit (3 replicates or more).
Observed values that are bounds (DEA's 2021 pills: "less than 25.3 million") are not errors:
they are counted in `bounds` and `bounds_met` (the model median on the right side).
"""
from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from fentflow.calibrate.plots import label_points

from fentflow.observed.series import load_series
from fentflow.sim.calendar import Calendar

log = logging.getLogger(__name__)

NATIONAL = "all"
POINT_COLUMNS = ["series", "period", "time", "place", "observed", "bound"]


@dataclass(frozen=True)
class Target:
    """One observed series as the fit check compares it: which table, value, period and place."""

    name: str              # the comparison's name in outputs
    title: str
    unit: str
    source: str            # observed series and observable of the same name
    value: str             # column holding the value in both tables
    period: str            # "fy" (CBP fiscal year), "year" or "month"
    place: str | None      # column naming the place, None for a national series
    chart: str = "time"    # "time": over periods, one panel per place; "scatter": model vs observed


TARGETS: tuple[Target, ...] = (
    Target("cbp_sw_component_lb", "CBP Southwest border: fentanyl seized by component", "lb",
           "cbp_sw_component", "lb", "fy", "component"),
    Target("cbp_sw_component_events", "CBP Southwest border: seizure events by component", "events",
           "cbp_sw_component", "events", "fy", "component"),
    Target("cbp_sw_unit_lb", "CBP Southwest border: fentanyl seized by field office and sector", "lb",
           "cbp_sw_unit", "lb", "fy", "unit"),
    Target("cbp_sw_monthly_lb", "CBP Southwest border: fentanyl seized by month", "lb",
           "cbp_sw_monthly", "lb", "month", None),
    Target("cdc_synthetic_deaths", "CDC: synthetic-opioid (T40.4) overdose deaths", "deaths",
           "cdc_deaths", "synthetic", "year", None),
    Target("dea_pills", "DEA: fentanyl pills seized", "pills", "dea_seizures", "pills", "year", None),
    Target("dea_powder_lb", "DEA: fentanyl powder seized", "lb", "dea_seizures", "powder_lb", "year", None),
    Target("dea_share_2mg", "DEA: share of tested pills with >= 2 mg", "share", "dea_share_2mg", "share",
           "year", None),
    Target("sesnsp_homicides", "Mexico: intentional-homicide victims by state (SESNSP)", "victims",
           "sesnsp_homicides", "victims", "year", "abbr", chart="scatter"),
)
TARGET_BY_NAME = {target.name: target for target in TARGETS}

PERIOD_KEYS = {"fy": ["fy"], "year": ["year"], "month": ["year", "month"]}
ERROR_COLUMNS = ["n", "n_log", "mean_ratio", "male", "mean_log_ratio", "rmse", "nrmse", "corr", "coverage_90",
                 "male_chance", "bounds", "bounds_met"]


@dataclass(frozen=True)
class FitCheck:
    """The model beside the data: replicate-level rows, per-point bands and error measures."""

    aligned: pd.DataFrame   # series, period, time, place, observed, bound, replicate, model
    points: pd.DataFrame    # one row per observed point: observed, bound, model median / p05 / p95
    errors: pd.DataFrame    # one row per series


# Alignment ----------------------------------------------------------------------------------

def align(observables: Mapping[str, pd.DataFrame], calendar: Calendar | None = None,
          targets: tuple[Target, ...] = TARGETS) -> pd.DataFrame:
    """Observed and simulated values side by side, one row per (series, period, place, replicate).

    `calendar`: the simulated weeks; observed periods it does not cover in full are dropped.
    Without it every period present in the observables counts as covered.
    """
    months = covered_months(calendar) if calendar is not None else None
    frames = [frame for target in targets if not (frame := _align_target(target, observables, months)).empty]
    return pd.concat(frames, ignore_index=True) if frames else _no_rows()


def covered_months(calendar: Calendar) -> frozenset[tuple[int, int]]:
    """(year, month) pairs all of whose weeks were simulated (a week counts in its Thursday's month)."""
    thursday = calendar.thursday
    months = set(zip(thursday.year, thursday.month))
    week = pd.Timedelta(days=7)
    first, last = thursday[0], thursday[-1]
    if (first - week).month == first.month:     # the month began before the simulation
        months.discard((first.year, first.month))
    if (last + week).month == last.month:       # the month goes on after it
        months.discard((last.year, last.month))
    return frozenset(months)


def _align_target(target: Target, observables: Mapping[str, pd.DataFrame],
                  months: frozenset[tuple[int, int]] | None) -> pd.DataFrame:
    """The target's observed points, each repeated for every replicate (in replicate order), beside
    the model's value there: its rows summed by replicate and keys, NaN where it has none."""
    keys = [*PERIOD_KEYS[target.period], *([target.place] if target.place else [])]
    points = _points(target, keys, months)
    if points.empty:
        return _no_rows()
    model = observables[target.source][["replicate", *keys, target.value]]
    model = model.groupby(["replicate", *keys])[target.value].sum(min_count=1)
    replicates = np.sort(model.index.get_level_values("replicate").unique().to_numpy())
    rows = points.loc[points.index.repeat(len(replicates))].reset_index(drop=True)
    rows["replicate"] = np.tile(replicates, len(points))
    found = model.index.get_indexer(pd.MultiIndex.from_arrays([rows["replicate"], *(rows[key] for key in keys)]))
    _warn_unmatched(target, found)
    rows["model"] = np.where(found >= 0, model.to_numpy()[found], np.nan)
    return rows[[*POINT_COLUMNS, "replicate", "model"]]


def _points(target: Target, keys: list[str], months: frozenset[tuple[int, int]] | None) -> pd.DataFrame:
    """The target's observed points in the covered months, labelled (series, period, time, place)."""
    points = _observed(target, keys)
    if months is not None:
        points = points[_is_covered(points, target.period, months)].reset_index(drop=True)
    if points.empty:
        return points
    points["series"] = target.name
    points["period"] = _period_label(points, target.period)
    points["time"] = _period_time(points, target.period)
    points["place"] = points[target.place].astype(str) if target.place else NATIONAL
    return points


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=[*POINT_COLUMNS, "replicate", "model"])


def _observed(target: Target, keys: list[str]) -> pd.DataFrame:
    table = load_series(target.source)
    bound = table["bound"] if "bound" in table else pd.Series("exact", index=table.index)
    out = table[keys].assign(observed=table[target.value].astype(float), bound=bound)
    return out[out["observed"].notna()].reset_index(drop=True)


def _is_covered(observed: pd.DataFrame, period: str, months: frozenset[tuple[int, int]]) -> pd.Series:
    if period == "month":
        wanted = [[(y, m)] for y, m in zip(observed["year"], observed["month"])]
    elif period == "fy":
        wanted = [[(fy - 1, m) for m in (10, 11, 12)] + [(fy, m) for m in range(1, 10)] for fy in observed["fy"]]
    else:
        wanted = [[(year, m) for m in range(1, 13)] for year in observed["year"]]
    return pd.Series([all(month in months for month in needed) for needed in wanted], index=observed.index,
                     dtype=bool)


def _warn_unmatched(target: Target, found: np.ndarray) -> None:
    """A place or period the model does not have at all (e.g. a unit renamed in the world) is a bug."""
    missing = int((found < 0).sum())
    if missing:
        log.warning("fit check %s: %d observed points have no simulated counterpart", target.name, missing)


def _period_label(rows: pd.DataFrame, period: str) -> pd.Series:
    if period == "fy":
        return "FY" + rows["fy"].astype(str)
    if period == "month":
        return rows["year"].astype(str) + "-" + rows["month"].map("{:02d}".format)
    return rows["year"].astype(str)


def _period_time(rows: pd.DataFrame, period: str) -> pd.Series:
    """A number to plot the period at: the (fiscal) year, or year + mid-month fraction."""
    if period == "month":
        return rows["year"] + (rows["month"] - 0.5) / 12
    return rows[PERIOD_KEYS[period][0]].astype(float)


# Bands and errors ----------------------------------------------------------------------------

def summarize(aligned: pd.DataFrame) -> pd.DataFrame:
    """One row per observed point: the model's median, 5% and 95% over replicates beside the data."""
    grouped = aligned.groupby(POINT_COLUMNS, sort=False, dropna=False)["model"]
    points = grouped.agg(model_median="median", model_p05=lambda m: m.quantile(0.05),
                         model_p95=lambda m: m.quantile(0.95), replicates="count")
    return points.reset_index()


def error_measures(model, observed) -> dict[str, float]:
    """Error measures of model vs observed values (see the module docstring); NaN pairs are skipped."""
    model, observed = np.asarray(model, dtype=float), np.asarray(observed, dtype=float)
    finite = np.isfinite(model) & np.isfinite(observed)
    model, observed = model[finite], observed[finite]
    positive_observed = observed > 0
    both_positive = positive_observed & (model > 0)
    log_ratio = np.log(model[both_positive] / observed[both_positive])
    rmse = _mean((model - observed) ** 2) ** 0.5
    mean_observed = _mean(observed)
    return {
        "n": int(model.size),
        "n_log": int(both_positive.sum()),
        "mean_ratio": _mean(model[positive_observed] / observed[positive_observed]),
        "male": _mean(np.abs(log_ratio)),
        "mean_log_ratio": _mean(log_ratio),
        "rmse": rmse,
        "nrmse": rmse / mean_observed if mean_observed > 0 else math.nan,
        "corr": _correlation(model, observed),
    }


def error_table(aligned: pd.DataFrame, per_replicate: bool = False) -> pd.DataFrame:
    """Error measures per series: of the replicates' median (default), or of each replicate."""
    keys = ["series", "replicate"] if per_replicate else ["series"]
    if per_replicate:
        table = aligned.rename(columns={"model": "model_median"})
    else:
        table = summarize(aligned)
    rows = [{**dict(zip(keys, key)), **_series_errors(points)}
            for key, points in table.groupby(keys, sort=False)]
    if not per_replicate:
        chance = aligned.groupby("series", sort=False).apply(chance_male, include_groups=False)
        for row in rows:
            row["male_chance"] = chance.get(row["series"], math.nan)
    out = pd.DataFrame(rows, columns=[*keys, *ERROR_COLUMNS])
    out.insert(1, "unit", out["series"].map(lambda name: TARGET_BY_NAME[name].unit if name in TARGET_BY_NAME else ""))
    return out


def _series_errors(points: pd.DataFrame) -> dict[str, float]:
    exact = points[points["bound"] == "exact"]
    bounded = points[points["bound"] != "exact"]
    measures = error_measures(exact["model_median"], exact["observed"])
    measures["coverage_90"] = _coverage(exact)
    measures["bounds"] = len(bounded)
    measures["bounds_met"] = int(_bound_met(bounded).sum())
    return measures


def chance_male(aligned: pd.DataFrame) -> float:
    """The MALE of a series' replicates against themselves: the median over replicates k of the MALE
    of the other replicates' median against replicate k, on the exact points (NaN under 3 replicates).

    Replicates drawn from the posterior vary by chance and by parameters, as data would if the
    model were right, so this is the MALE such a model would score against the data."""
    exact = aligned[aligned["bound"] == "exact"]
    values = exact.pivot_table(index=["period", "place"], columns="replicate", values="model",
                               dropna=False).to_numpy()
    if values.ndim != 2 or values.shape[1] < 3:
        return math.nan
    scores = []
    for k in range(values.shape[1]):
        others = np.median(np.delete(values, k, axis=1), axis=1)
        scores.append(error_measures(others, values[:, k])["male"])
    return float(np.nanmedian(scores)) if np.isfinite(scores).any() else math.nan


def _coverage(points: pd.DataFrame) -> float:
    if "model_p05" not in points or (points["replicates"] < 2).all() or points.empty:
        return math.nan
    inside = (points["model_p05"] <= points["observed"]) & (points["observed"] <= points["model_p95"])
    return float(inside.mean())


def _bound_met(points: pd.DataFrame) -> pd.Series:
    model, observed = points["model_median"], points["observed"]
    return ((points["bound"] == "upper") & (model <= observed)) | ((points["bound"] == "lower") & (model >= observed))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan


def _correlation(model: np.ndarray, observed: np.ndarray) -> float:
    if model.size < 3 or model.std() == 0 or observed.std() == 0:
        return math.nan
    return float(np.corrcoef(model, observed)[0, 1])


# Entry points ---------------------------------------------------------------------------------

def compare(observables: Mapping[str, pd.DataFrame], calendar: Calendar | None = None) -> FitCheck:
    """The fit check of simulated observables (`fentflow.sim.observables.all_observables`)."""
    aligned = align(observables, calendar)
    return FitCheck(aligned=aligned, points=summarize(aligned), errors=error_table(aligned))


def fit_check(sim) -> FitCheck:
    """The fit check of a finished `Sim`: its observables, on the periods it covers in full."""
    from fentflow.sim.observables import all_observables

    return compare(all_observables(sim.results, sim.net), sim.calendar)


def write_fit_check(fit: FitCheck, out_dir: str | Path) -> dict[str, Path]:
    """Write one PNG per series, `errors.csv` and `points.csv` into `out_dir`; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"errors": out / "errors.csv", "points": out / "points.csv"}
    fit.errors.to_csv(paths["errors"], index=False)
    fit.points.to_csv(paths["points"], index=False)
    for name, points in fit.points.groupby("series", sort=False):
        paths[name] = plot_series(points, TARGET_BY_NAME[name], out / f"{name}.png")
    log.info("fit check written to %s (%d charts)", out, len(paths) - 2)
    return paths


# Charts ---------------------------------------------------------------------------------------

def plot_series(points: pd.DataFrame, target: Target, path: Path) -> Path:
    """One PNG: model median (and 5-95% band over replicates) with the observed points."""
    figure = _scatter_chart(points, target) if target.chart == "scatter" else _time_chart(points, target)
    figure.savefig(path, dpi=100)
    return path


def _time_chart(points: pd.DataFrame, target: Target) -> Figure:
    places = list(dict.fromkeys(points["place"]))
    columns = min(len(places), 4)
    rows = math.ceil(len(places) / columns)
    panel_width, panel_height = (8.0, 4.5) if len(places) == 1 else (3.6, 2.8)
    width, height = panel_width * columns + 0.4, panel_height * rows + 0.6
    figure = Figure(figsize=(width, height))
    # Fixed margins in inches: constrained layout costs seconds with a dozen panels.
    figure.subplots_adjust(left=0.7 / width, right=1 - 0.2 / width, bottom=0.5 / height, top=1 - 0.6 / height,
                           hspace=0.5, wspace=0.3)
    axes = figure.subplots(rows, columns, squeeze=False, sharex=True).ravel()
    for ax, place in zip(axes, places):
        _time_panel(ax, points[points["place"] == place].sort_values("time"), target)
        ax.set_title(place if place != NATIONAL else "", fontsize=9)
    for ax in axes[len(places):]:
        ax.set_visible(False)
    for ax in axes[:len(places)]:
        ax.tick_params(labelbottom=True)   # shared years, but every panel says which
    axes[0].legend(fontsize=7, loc="upper left")
    figure.suptitle(f"{target.title} ({target.unit})", fontsize=11)
    return figure


def _time_panel(ax, points: pd.DataFrame, target: Target) -> None:
    time = points["time"].to_numpy()
    if (points["replicates"] > 1).any():
        ax.fill_between(time, points["model_p05"], points["model_p95"], color="tab:blue", alpha=0.25,
                        label="model 5-95%")
    ax.plot(time, points["model_median"], color="tab:blue", marker=".", label="model")
    for bound, marker, label in (("exact", "o", "observed"), ("upper", "v", "observed upper bound"),
                                 ("lower", "^", "observed lower bound")):
        chosen = points[points["bound"] == bound]
        if not chosen.empty:
            ax.scatter(chosen["time"], chosen["observed"], color="black", marker=marker, zorder=3, label=label)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_label))
    ax.set_xlabel("fiscal year" if target.period == "fy" else "year", fontsize=8)
    ax.tick_params(labelsize=7)
    if target.period != "month":
        ax.set_xticks(sorted(set(time)))


def _scatter_chart(points: pd.DataFrame, target: Target) -> Figure:
    figure = Figure(figsize=(7, 6.5))
    ax = figure.subplots()
    for (period, group), color in zip(points.groupby("period"), ("tab:blue", "tab:orange", "tab:green", "tab:red")):
        spread = np.vstack([group["model_median"] - group["model_p05"], group["model_p95"] - group["model_median"]])
        ax.errorbar(group["observed"], group["model_median"], yerr=np.clip(spread, 0, None), fmt="o", color=color,
                    markersize=4, elinewidth=0.8, label=str(period))
    positive = points[["observed", "model_median"]].to_numpy()
    positive = positive[positive > 0]
    if positive.size:
        low, high = positive.min() / 1.5, positive.max() * 1.5
        ax.plot([low, high], [low, high], color="grey", linestyle="--", linewidth=0.8, label="model = observed")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
    latest = points[points["period"] == points["period"].max()]   # one label per place, at its latest point
    misfit = np.abs(np.log(latest["model_median"].clip(lower=1e-9) / latest["observed"].clip(lower=1e-9)))
    latest = latest.loc[misfit.sort_values(ascending=False).index]   # the worst fits get their labels first
    label_points(ax, latest["observed"], latest["model_median"], latest["place"])
    ax.set_xlabel(f"observed ({target.unit})")
    ax.set_ylabel(f"model ({target.unit})")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(target.title + f"\n(labels at {points['period'].max()}, where they fit)", fontsize=11)
    return figure


def _tick_label(value: float, _position) -> str:
    if abs(value) >= 1e6:
        return f"{value / 1e6:g}M"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:g}"
