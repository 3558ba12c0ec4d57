"""Simulated counterparts of the public series, in their units and periods, plus the hidden quantities.

Each function takes `Results` and returns a tidy table with a `replicate` column. Table and
column names follow `fentflow.observed` (e.g. `cbp_sw_component`: fy, component, lb), so
model and data can be put side by side. CBP speaks in fiscal years (October-September) and
pounds; CDC, DEA and SESNSP in calendar years.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.errors import InputError, unknown_name
from fentflow.sim import yearly
from fentflow.sim.period_sums import group_sums, period_rows
from fentflow.sim.periods import Span
from fentflow.sim.results import Results
from fentflow.units import KG_PER_LB

COMPONENT = {True: "port", False: "between"}


def _by_crossing(results: Results, net, names: list[str], period_keys: list[str],
                 crossing_keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """Crossing results summed by replicate, period keys and the crossings' CBP `unit` and `component`."""
    info = {"unit": net.crossing_unit, "component": [COMPONENT[bool(p)] for p in net.crossing_is_port]}
    return group_sums(results, names, period_keys, {key: info[key] for key in crossing_keys})


def cbp_sw_component(results: Results, net) -> pd.DataFrame:
    out = _by_crossing(results, net, ["seized_gross_kg", "seizure_events"], ["fy"], ("component",))
    out["lb"] = out.pop("seized_gross_kg") / KG_PER_LB
    return out.rename(columns={"seizure_events": "events"})


def cbp_sw_unit(results: Results, net) -> pd.DataFrame:
    out = _by_crossing(results, net, ["seized_gross_kg"], ["fy"], ("unit", "component"))
    out["lb"] = out.pop("seized_gross_kg") / KG_PER_LB
    return out


def cbp_sw_monthly(results: Results, net) -> pd.DataFrame:
    out = _by_crossing(results, net, ["seized_gross_kg"], ["fy", "year", "month"])
    out["lb"] = out.pop("seized_gross_kg") / KG_PER_LB
    return out


def cdc_deaths(results: Results) -> pd.DataFrame:
    return group_sums(results, ["deaths"], ["year"]).rename(columns={"deaths": "synthetic"})


def dea_seizures(results: Results) -> pd.DataFrame:
    out = group_sums(results, ["domestic_seized_pills", "domestic_seized_powder_gross_kg"], ["year"])
    out["powder_lb"] = out.pop("domestic_seized_powder_gross_kg") / KG_PER_LB
    return out.rename(columns={"domestic_seized_pills": "pills"})


def dea_share_2mg(results: Results) -> pd.DataFrame:
    """Share of domestically seized pills carrying >= 2 mg (DEA laboratory testing)."""
    out = group_sums(results, ["domestic_seized_pills", "domestic_seized_pills_ge2mg"], ["year"])
    pills = out["domestic_seized_pills"]
    out["share"] = out["domestic_seized_pills_ge2mg"] / pills.where(pills > 0)
    return out[["replicate", "year", "share"]]


def sesnsp_homicides(results: Results) -> pd.DataFrame:
    out = group_sums(results, ["homicides"], ["year"], {"abbr": results.quantities["homicides"].places})
    return out.rename(columns={"homicides": "victims"})


def seizure_share(results: Results, net) -> pd.DataFrame:
    """Hidden: share of what reached the border that was seized, by pure and gross weight, per calendar year."""
    sums = ["seized_pure_kg", "attempted_pure_kg", "seized_gross_kg", "attempted_gross_kg"]
    by_component = _by_crossing(results, net, sums, ["year"], ("component",))
    overall = _by_crossing(results, net, sums, ["year"]).assign(component="all")
    out = pd.concat([by_component, overall], ignore_index=True)
    out["share_pure"] = out["seized_pure_kg"] / out["attempted_pure_kg"].where(out["attempted_pure_kg"] > 0)
    out["share_gross"] = out["seized_gross_kg"] / out["attempted_gross_kg"].where(out["attempted_gross_kg"] > 0)
    return out[["replicate", "year", "component", "share_pure", "share_gross"]]


def us_retail_price(results: Results) -> pd.DataFrame:
    """U.S. retail price per calendar year, weighted by pure kg consumed over the periods and markets:
    per pill, and per pure mg (price / potency)."""
    year = yearly.period_years(results)
    consumed, price, potency = results["consumed_pure_kg"], results["price_usd_per_pill"], results["potency_mg_per_unit"]
    per_mg = np.divide(price, potency, out=np.zeros_like(price), where=potency > 0)
    years = np.unique(year)
    return pd.DataFrame({"replicate": np.tile(np.arange(results.n_reps), len(years)),
                         "year": np.repeat(years, results.n_reps),
                         "price_per_pill": yearly.weighted_means(price, consumed, year).reshape(-1),
                         "price_per_pure_mg": yearly.weighted_means(per_mg, consumed, year).reshape(-1)})


NATIONAL = {
    "precursor_inflow_kg": "precursor_inflow_kg", "produced_kg": "produced_kg", "attempts": "attempted_crossings",
    "attempted_pure_kg": "attempted_pure_kg", "seized_pure_kg": "border_seized_pure_kg",
    "seized_gross_kg": "border_seized_gross_kg", "mexico_seized_kg": "mexico_seized_pure_kg",
    "destroyed_kg": "destroyed_pure_kg", "domestic_seized_pure_kg": "domestic_seized_pure_kg",
    "consumed_pure_kg": "consumed_pure_kg", "deaths": "deaths", "homicides": "homicides",
}


def national_annual(results: Results) -> pd.DataFrame:
    """Calendar-year national totals of the main flows, hidden ones included."""
    shares = period_rows(results, flows=True)
    years = np.sort(shares["year"].unique())
    year_of = np.searchsorted(years, shares["year"].to_numpy())
    period, share = shares["period"].to_numpy(), shares["share"].to_numpy()[:, None]

    def by_year(name: str) -> np.ndarray:
        """(year, rep) flattened; summed period by period (no matrix product, whose rounding
        would depend on how many replicates share the batch)."""
        out = np.zeros((len(years), results.n_reps))
        np.add.at(out, year_of, results[name].sum(axis=2)[period] * share)
        return out.reshape(-1)

    columns = {label: by_year(name) for name, label in NATIONAL.items()}
    index = {"replicate": np.tile(np.arange(results.n_reps), len(years)),
             "year": np.repeat(years, results.n_reps)}
    return pd.DataFrame({**index, **columns}).sort_values(["replicate", "year"], ignore_index=True)


COLUMN_UNITS = {
    "year": "calendar year", "fy": "U.S. federal fiscal year (October-September)", "month": "calendar month (1-12)",
    "component": "port (ports of entry, OFO) or between (Border Patrol, USBP); all: both",
    "unit": "CBP field office or Border Patrol sector", "abbr": "Mexican state code",
    "lb": "gross lb (pills and powder as weighed)", "events": "seizure events", "synthetic": "deaths",
    "pills": "pills", "powder_lb": "gross lb of powder", "share": "share of pills (0-1)", "victims": "homicide victims",
    "share_pure": "share of pure kg (0-1)", "share_gross": "share of gross kg (0-1)",
    "price_per_pill": "USD per retail pill (weighted by pure kg consumed)",
    "price_per_pure_mg": "USD per pure mg at retail (price / potency, weighted by pure kg consumed)",
}


def observable_units(results: Results) -> dict[str, str]:
    """Unit of every column of `all_observables`: national columns inherit their result's unit."""
    return COLUMN_UNITS | {label: results.quantities[name].unit for name, label in NATIONAL.items()}


def all_observables(results: Results, net) -> dict[str, pd.DataFrame]:
    """Every simulated counterpart of a public series, plus hidden quantities, as tidy tables.

    Names and columns follow `fentflow.observed` (`ff.list_series()`); each table has a
    `replicate` column. Example::

        sim = ff.Sim(start="2019-01-01", end="2023-12-31", replicates=20)
        tables = ff.observables(sim.run(), sim.net)
        tables["cdc_deaths"].groupby("year")["synthetic"].median()     # deaths per year
        tables["seizure_share"].query("component == 'all'")            # share of what reached the border
    """
    return {**fitted_observables(results, net), "cbp_sw_monthly": cbp_sw_monthly(results, net),
            "seizure_share": seizure_share(results, net), "national_annual": national_annual(results)}


def fitted_observables(results: Results, net) -> dict[str, pd.DataFrame]:
    """The tables the calibration's summary statistics read (`calibrate.statistics.TargetSet.simulated`)."""
    return {"cbp_sw_component": cbp_sw_component(results, net), "cbp_sw_unit": cbp_sw_unit(results, net),
            "cdc_deaths": cdc_deaths(results), "dea_seizures": dea_seizures(results),
            "dea_share_2mg": dea_share_2mg(results), "sesnsp_homicides": sesnsp_homicides(results),
            "us_retail_price": us_retail_price(results)}


PERIOD_KEYS = {"year": ["year"], "fiscal_year": ["fy"], "month": ["year", "month"]}


def aggregate(results: Results, name: str, period: str = "year", by_place: bool = True) -> pd.DataFrame:
    """Any result summed (flows) or taken at period end (stocks) by calendar year, CBP fiscal year or month.

    `name` is a result declared by a module (`list(results.quantities)`: deaths, seized_gross_kg,
    people_in_treatment, ...); `period` is "year", "fiscal_year" or "month". The `partial` column
    is true for a period the run covers only in part (`fentflow.sim.periods`). Example::

        results = ff.Sim(start="2021-01-01", end="2022-12-31", replicates=20).run()
        ff.aggregate(results, "deaths", by_place=False)                 # replicate, year, deaths
        ff.aggregate(results, "seized_gross_kg", "fiscal_year")        # ... per crossing and FY
    """
    if period not in PERIOD_KEYS:
        raise InputError(f"period must be one of {', '.join(PERIOD_KEYS)}, not {period!r}", field="period")
    if name not in results.quantities:
        raise unknown_name("result", name, results.quantities, field="name")
    quantity = results.quantities[name]
    out = group_sums(results, [name], PERIOD_KEYS[period], {"place": quantity.places} if by_place else None,
                     last_period_only=quantity.kind == "stock")
    out = Span.of(results.calendar).flag(out)
    return out.rename(columns={"place": results.quantities[name].place_kind})
