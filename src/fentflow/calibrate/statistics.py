"""Calibration targets: the observed series reduced to a few documented summary statistics.

Observed and simulated values are put on the same periods and places by the fit check's
`align()` (one alignment for the whole project); this module reduces those points to a short
vector of statistics, the same function for data and for every simulated replicate:

| group              | statistics (one per ...)                                  | scale | weight |
|--------------------|-----------------------------------------------------------|-------|--------|
| `cbp_lb`           | ln lb seized, per CBP fiscal year and component (port, between) | ln 2 | 2 |
| `cbp_lb_per_event` | ln(lb / events), per CBP fiscal year and component (load size over time) | ln 2 | 1 |
| `cbp_port_split`   | share of port lb by OFO field office, pooled              | 0.1   | 1      |
| `cbp_between_split`| share of between-ports lb by sector group (CA, AZ, TX-NM) | 0.1   | 0.5    |
| `cdc_deaths`       | ln synthetic-opioid deaths, per calendar year             | ln 2  | 2      |
| `dea_share_2mg`    | share of DEA-tested pills >= 2 mg, per year from 2019     | 0.1   | 1      |
| `dea_seizures`     | ln DEA pills and ln powder lb seized, per year            | ln 2  | 1      |
| `sesnsp_total`     | ln homicide victims in Mexico, per year from 2016         | ln 2  | 0.5    |
| `sesnsp_chain_share` | share of homicides in the nine supply-chain states, per year from 2016 | 0.1 | 0.5 |
| `sesnsp_states`    | ln homicide victims per state and year from 2016 (mean = mean abs ln(model/obs)) | ln 2 | 1 |
| `sesnsp_spread`    | sd over states of ln(victims / SESNSP 2015 victims), per year from 2016 | 0.1 | 0.5 |
| `price_trend`      | ln change of the U.S. retail price over a public span, censored at its bound (`price_trends.py`) | ln 2 | 1 |

SESNSP's 2015 counts are the model's violence baseline (world `states.homicides_2015`), so
the sesnsp groups fit only the later years.

The distance (`distance.py`) is a weighted L1 norm: each group adds weight x (mean absolute
difference of its statistics / scale), so a group counts the same however many points it
has, and "scale" is the error that counts as one unit (a factor 2 for log statistics, 10
points for shares). Observed values that are only bounds (DEA's 2021 pills) are not fitted.
`data_end` keeps the points of periods ending by that year (out-of-sample validation fits
through 2021).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from fentflow.calibrate import price_trends
from fentflow.calibrate.fitcheck import TARGET_BY_NAME, align
from fentflow.observed.series import LAST_DATA_YEAR, load_series
from fentflow.sim.calendar import Calendar

LN2 = math.log(2)
SHARE_SCALE = 0.1
FIRST_DEA_SHARE_YEAR = 2019             # the target window: DEA >= 2 mg share 2019-2023
BASELINE_SESNSP_YEAR = 2015             # the violence baseline (world states.homicides_2015), not fitted
FIRST_SESNSP_YEAR = BASELINE_SESNSP_YEAR + 1
SUPPLY_CHAIN_STATES = ("SIN", "BC", "SON", "CHIH", "DGO", "JAL", "MICH", "GRO", "COL")
SECTOR_GROUPS = {
    "San Diego Sector": "CA", "El Centro Sector": "CA", "Yuma Sector": "AZ", "Tucson Sector": "AZ",
    "El Paso Sector": "TX-NM", "Big Bend Sector": "TX-NM", "Del Rio Sector": "TX-NM", "Laredo Sector": "TX-NM",
    "Rio Grande Valley Sector": "TX-NM",
}
FIT_SERIES = ("cbp_sw_component_lb", "cbp_sw_component_events", "cbp_sw_unit_lb", "cdc_synthetic_deaths",
              "dea_pills", "dea_powder_lb", "dea_share_2mg", "sesnsp_homicides")
FIT_TARGETS = tuple(TARGET_BY_NAME[name] for name in FIT_SERIES)

Wide = pd.DataFrame   # index: replicate; columns: (series, period, place); values: lb, deaths, shares...


@dataclass(frozen=True)
class StatGroup:
    name: str
    scale: float
    weight: float
    compute: Callable[[Wide], pd.DataFrame]   # wide points -> statistics (columns named "<group>:...")
    doc: str


def _series(wide: Wide, name: str) -> Wide:
    return wide.xs(name, axis=1, level="series") if name in wide.columns.get_level_values("series") else \
        pd.DataFrame(index=wide.index)


def _log(values: pd.DataFrame | pd.Series):
    return np.log(values.clip(lower=0) + 1.0)


def _named(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [f"{group}:" + ":".join(map(str, c)) if isinstance(c, tuple) else f"{group}:{c}"
                     for c in frame.columns]
    return frame


def _cbp_lb(wide: Wide) -> pd.DataFrame:
    return _named(_log(_series(wide, "cbp_sw_component_lb")), "cbp_lb")


def _cbp_lb_per_event(wide: Wide) -> pd.DataFrame:
    lb, events = _series(wide, "cbp_sw_component_lb"), _series(wide, "cbp_sw_component_events")
    common = lb.columns.intersection(events.columns)
    if common.empty:
        return pd.DataFrame(index=wide.index)
    # Per fiscal year, not pooled: CBP's lb per event rose ~3x FY2019-23, the load-size trend to fit.
    return _named(np.log((lb[common] + 1.0) / events[common].clip(lower=1.0)), "cbp_lb_per_event")


def _split(lb: Wide, group_of: Callable[[str], str | None], group: str) -> pd.DataFrame:
    if lb.empty:
        return pd.DataFrame(index=lb.index)
    labels = [group_of(place) for place in lb.columns.get_level_values("place")]
    keep = [label is not None for label in labels]
    by_group = lb.loc[:, keep].T.groupby([label for label in labels if label is not None]).sum().T
    total = by_group.sum(axis=1)
    return _named(by_group.div(total.where(total > 0), axis=0).fillna(0.0), group)


def _cbp_port_split(wide: Wide) -> pd.DataFrame:
    return _split(_series(wide, "cbp_sw_unit_lb"), lambda p: p if p.endswith("Field Office") else None,
                  "cbp_port_split")


def _cbp_between_split(wide: Wide) -> pd.DataFrame:
    return _split(_series(wide, "cbp_sw_unit_lb"), SECTOR_GROUPS.get, "cbp_between_split")


def _cdc_deaths(wide: Wide) -> pd.DataFrame:
    return _named(_log(_series(wide, "cdc_synthetic_deaths")), "cdc_deaths")


def _dea_share_2mg(wide: Wide) -> pd.DataFrame:
    shares = _series(wide, "dea_share_2mg")
    keep = [_year(period) >= FIRST_DEA_SHARE_YEAR for period in shares.columns.get_level_values("period")]
    return _named(shares.loc[:, keep].fillna(0.0), "dea_share_2mg")


def _dea_seizures(wide: Wide) -> pd.DataFrame:
    pills = _named(_log(_series(wide, "dea_pills")), "dea_seizures:pills")
    powder = _named(_log(_series(wide, "dea_powder_lb")), "dea_seizures:powder_lb")
    return pd.concat([pills, powder], axis=1)


def _sesnsp_victims(wide: Wide) -> Wide:
    """SESNSP victims by (period, state) in the fitted years (after the baseline year)."""
    victims = _series(wide, "sesnsp_homicides")
    return victims.loc[:, [_year(period) >= FIRST_SESNSP_YEAR for period in victims.columns.get_level_values("period")]]


def _sesnsp_total(wide: Wide) -> pd.DataFrame:
    victims = _sesnsp_victims(wide)
    if victims.empty:
        return pd.DataFrame(index=wide.index)
    return _named(_log(victims.T.groupby(level="period").sum().T), "sesnsp_total")


def _sesnsp_share(wide: Wide) -> pd.DataFrame:
    victims = _sesnsp_victims(wide)
    if victims.empty:
        return pd.DataFrame(index=wide.index)
    by_year = victims.T.groupby(level="period")
    total = by_year.sum().T
    chain = victims.loc[:, victims.columns.get_level_values("place").isin(SUPPLY_CHAIN_STATES)]
    chain = chain.T.groupby(level="period").sum().T.reindex(columns=total.columns, fill_value=0.0)
    return _named(chain / total.where(total > 0), "sesnsp_chain_share").fillna(0.0)


def _sesnsp_states(wide: Wide) -> pd.DataFrame:
    return _named(_log(_sesnsp_victims(wide)), "sesnsp_states")


def _sesnsp_spread(wide: Wide) -> pd.DataFrame:
    """How unevenly the states moved from SESNSP's 2015 (sd over states of ln(victims / 2015 victims)):
    what the state factor must hold beside the conflict rise. A mean |ln(model/obs)| alone would
    always prefer no state factor, and bands of Poisson noise only."""
    victims = _sesnsp_victims(wide)
    if victims.empty:
        return pd.DataFrame(index=wide.index)
    growth = _log(victims) - np.log(_sesnsp_2015().reindex(victims.columns.get_level_values("place")).to_numpy() + 1.0)
    return _named(growth.T.groupby(level="period").std().T, "sesnsp_spread")


def _sesnsp_2015() -> pd.Series:
    """SESNSP victims by state in the baseline year (the model's baseline, world `states.homicides_2015`)."""
    series = load_series("sesnsp_homicides")
    return series[series["year"] == BASELINE_SESNSP_YEAR].set_index("abbr")["victims"]


GROUPS: tuple[StatGroup, ...] = (
    StatGroup("cbp_lb", LN2, 2.0, _cbp_lb, "ln CBP Southwest-border lb by fiscal year and component"),
    StatGroup("cbp_lb_per_event", LN2, 1.0, _cbp_lb_per_event,
              "ln mean lb per seizure event by fiscal year and component"),
    StatGroup("cbp_port_split", SHARE_SCALE, 1.0, _cbp_port_split, "share of port lb by OFO field office"),
    StatGroup("cbp_between_split", SHARE_SCALE, 0.5, _cbp_between_split,
              "share of between-ports lb by sector group (CA, AZ, TX-NM)"),
    StatGroup("cdc_deaths", LN2, 2.0, _cdc_deaths, "ln CDC synthetic-opioid (T40.4) deaths by year"),
    StatGroup("dea_share_2mg", SHARE_SCALE, 1.0, _dea_share_2mg, "DEA share of pills >= 2 mg by year"),
    StatGroup("dea_seizures", LN2, 1.0, _dea_seizures, "ln DEA pills and powder lb seized by year"),
    StatGroup("sesnsp_total", LN2, 0.5, _sesnsp_total, "ln SESNSP homicide victims in Mexico by year"),
    StatGroup("sesnsp_chain_share", SHARE_SCALE, 0.5, _sesnsp_share,
              "share of homicides in the nine supply-chain states by year"),
    StatGroup("sesnsp_states", LN2, 1.0, _sesnsp_states, "ln SESNSP homicide victims by state and year"),
    StatGroup("sesnsp_spread", SHARE_SCALE, 0.5, _sesnsp_spread, "sd over states of ln(homicide victims / 2015's) by year"),
)
# The price trends are bounds computed from the U.S. retail price, not from aligned points
# (`price_trends.py`): the group only declares their scale and weight.
GROUPS = GROUPS + (StatGroup(price_trends.GROUP, LN2, 1.0, lambda wide: pd.DataFrame(index=wide.index),
                             "ln change of the U.S. retail price, censored at its public bound"),)
GROUP_BY_NAME = {group.name: group for group in GROUPS}


def _year(period: str) -> int:
    return int(re.search(r"\d{4}", str(period)).group())


def group_of(statistic: str) -> str:
    return statistic.split(":", 1)[0]


@dataclass(frozen=True)
class TargetSet:
    """The targets of one calibration: the simulated span and the last year of data fitted."""

    start: str = "2015-01-01"
    end: str = f"{LAST_DATA_YEAR}-12-31"
    data_end: int = LAST_DATA_YEAR

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar.between(self.start, self.end)

    @cached_property
    def observed_points(self) -> pd.DataFrame:
        """The observed points the calibration fits: exact values, covered periods, through `data_end`."""
        stand_in = {target.source: load_series(target.source).assign(replicate=0) for target in FIT_TARGETS}
        points = align(stand_in, self.calendar, FIT_TARGETS)
        return self._fitted(points)[["series", "period", "place", "observed"]].reset_index(drop=True)

    def _fitted(self, aligned: pd.DataFrame) -> pd.DataFrame:
        years = aligned["period"].map({period: _year(period) for period in aligned["period"].unique()})
        return aligned[(aligned["bound"] == "exact") & (years <= self.data_end)]

    def statistics_of_points(self, points: pd.DataFrame, value: str) -> pd.DataFrame:
        """Summary statistics (one row per replicate) of aligned points holding `value`."""
        frame = points.assign(replicate=points["replicate"] if "replicate" in points else 0)
        wide = frame.pivot_table(index="replicate", columns=["series", "period", "place"], values=value,
                                 aggfunc="sum", dropna=False)
        wide = wide.reindex(columns=pd.MultiIndex.from_frame(self.observed_points[["series", "period", "place"]]))
        stats = pd.concat([group.compute(wide.fillna(0.0)) for group in GROUPS], axis=1)
        return stats.replace([np.inf, -np.inf], np.nan).fillna(0.0)

    @cached_property
    def observed(self) -> dict[str, float]:
        """The observed summary statistics."""
        row = self.statistics_of_points(self.observed_points, "observed").iloc[0]
        return {**{name: float(value) for name, value in row.items()},
                **price_trends.observed_statistics(self.data_end)}

    def simulated(self, observables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        """Summary statistics of simulated observables (`observables.all_observables`, or at least the
        fitted series and `us_retail_price`), one row per replicate, the same columns as `observed`.

        Every statistic is computed: none is filled in for a missing table (a synthetic truth once
        got 0 for its price trends that way)."""
        if "us_retail_price" not in observables:
            raise ValueError("the price-trend statistics need the simulated `us_retail_price` table")
        stats = self.statistics_of_points(self._fitted(align(observables, self.calendar, FIT_TARGETS)), "model")
        prices = price_trends.simulated_statistics(observables["us_retail_price"], self.data_end)
        stats[prices.columns] = prices.reindex(stats.index).to_numpy()
        return stats[list(self.observed)]

    @cached_property
    def weights(self) -> dict[str, float]:
        """Distance weight of each statistic: group weight / (statistics in the group x scale)."""
        names = list(self.observed)
        counts = pd.Series([group_of(name) for name in names]).value_counts()
        return {name: GROUP_BY_NAME[group_of(name)].weight / (counts[group_of(name)] * GROUP_BY_NAME[
            group_of(name)].scale) for name in names}
