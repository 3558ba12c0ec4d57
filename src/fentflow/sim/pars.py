"""Every model parameter, declared once: default, unit, bounds, prior and source.

`Pars` holds one value per parameter, or one array of values per parameter for a batch
of replicates (leading replicate axis). Unknown names are rejected; values outside
their bounds are rejected. Priors are read by the calibration layer.

Sources: `source` names the figure and where it is bundled (the observed series, see
`fentflow data show NAME`, each row with its publisher's and its copy's URL) or the publication;
`primary_url` is the figure's page at its publisher (empty for a pure assumption). Anything we
chose ourselves says `assumption` and why.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from fentflow.errors import InputError, unknown_name


@dataclass(frozen=True)
class Par:
    name: str
    default: float
    unit: str
    bounds: tuple[float, float]
    prior: tuple  # ("uniform", lo, hi) | ("loguniform", lo, hi) | ("fixed",)
    source: str
    doc: str
    primary_url: str = ""   # the source's page at its publisher (observed/publishers.py)


def _p(name, default, unit, lo, hi, prior, source, doc, primary_url="") -> Par:
    return Par(name, float(default), unit, (float(lo), float(hi)), prior, source, doc, primary_url)


PARAMETERS: tuple[Par, ...] = (
    # 1. Precursor inflow (fentanyl-equivalent kg; no chemistry)
    _p("supply_kg_week_2023", 235, "fent-eq kg/week", 10, 2000, ("loguniform", 60, 600),
       "assumption: sized so 2023 U.S. consumption stays within RAND's single-digit pure "
       "tonnes (Kilmer, Pardo, Caulkins, Reuter 2022, doi:10.1080/00952990.2022.2092491); the public series "
       "fix it only together with detection, DEA's seizure rate and the need per person, so its bounds and "
       "theirs set the seizure share (`fentflow validate scale`)",
       "precursor inflow reaching Mexican entry points in 2023", "https://www.rand.org/pubs/external_publications/EP68975.html"),
    _p("supply_growth_to_2019", 0.32, "1/year", -1, 3, ("uniform", 0, 1.2),
       "assumption: CDC T40.4 deaths x3.8 from 2015 to 2019 (series cdc_deaths)",
       "growth rate of supply (ln per year) before mid-2019", "https://wonder.cdc.gov/mcd.html"),
    _p("supply_growth_2019_2021", 0.44, "1/year", -1, 3, ("uniform", -0.3, 1.2),
       "assumption: CDC T40.4 deaths x1.9 and CBP Southwest-border seizure events x3.4 from 2019 to 2021 "
       "(series cdc_deaths, cbp_sw_component)",
       "growth rate of supply (ln per year) from mid-2019 to mid-2021", "https://wonder.cdc.gov/mcd.html"),
    _p("supply_growth_2021_2023", 0.05, "1/year", -1, 3, ("uniform", -0.3, 1.2),
       "assumption: CDC T40.4 deaths level off 2021-2023 while CBP's events stay near 900-1,100 a year "
       "(series cdc_deaths, cbp_sw_component)",
       "growth rate of supply (ln per year) from mid-2021 to mid-2023",
       "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("supply_growth_after_2023", 0.0, "1/year", -1, 1, ("fixed",),
       "assumption: supply holds its 2023 level (no bundled data after 2023 inform it; fit it with "
       "`calibrate --data DIR --data-through 2024` once later years are imported)",
       "growth rate of supply (ln per year) after mid-2023"),
    _p("supply_price_elasticity", 0.3, "-", 0, 2, ("uniform", 0, 1),
       "assumption: production follows profit (the supply step, `fentflow steps`)", "response of inflow to the retail price index"),
    _p("precursor_port_seizure_rate", 0.02, "share", 0, 1, ("uniform", 0, 0.1),
       "assumption; Manzanillo precursor seizures began 2022 (Mexican Navy, via EFE 24 Jul 2023: "
       "https://www.lanacion.com.ar/agencias/manzanillo-una-barrera-en-el-pacifico-mexicano-contra-el-fentanilo-nid24072023/)",
       "share of precursor inflow seized at Mexican ports from 2022", "https://www.gob.mx/semar"),
    _p("substitution_weeks", 52, "weeks", 1, 520, ("uniform", 13, 156),
       "assumption: China's 2019 class-wide control did not stop supply (article claim C11, `fentflow claims`)",
       "time constant over which supply routes around a precursor control",
       "https://www.unodc.org/LSS/announcement/Details/f2adea68-fbed-4292-a4cc-63771c943318"),
    # 2. Production
    _p("capacity_headroom", 2.0, "x supply", 1, 10, ("fixed",),
       "assumption", "pressing capacity relative to the supply trajectory"),
    _p("ship_fraction", 0.5, "share/week", 0.05, 1, ("fixed",),
       "assumption", "share of finished stock at a site shipped north each week"),
    _p("raids_per_year", 5.0, "raids/year", 0, 200, ("uniform", 1, 15),
       "stated: SEDENA fentanyl labs 3-10 per year 2019-2023 (series mexico_fentanyl_labs; SEDENA "
       "transparency reply 330026424002985)", "raids on production sites, all sites", "https://www.plataformadetransparencia.org.mx/"),
    _p("raid_stock_destroyed", 0.15, "share", 0, 1, ("uniform", 0.05, 0.5),
       "inference: SEDENA seized 816 kg of fentanyl in 26 labs 2019-2024, 31 kg a lab (transparency reply "
       "330026424002985, computed); a raided site holds ~200-350 kg of stock in 2021-2023 at default parameters, "
       "so 0.15 destroys 30-55 kg a raid (the prior spans ~10-175 kg)", "share of a site's stock destroyed in a raid",
       "https://www.plataformadetransparencia.org.mx/"),
    _p("raid_capacity_loss", 0.3, "share", 0, 1, ("fixed",), "assumption", "share of a site's capacity lost in a raid"),
    _p("capacity_recovery_weeks", 26, "weeks", 1, 520, ("fixed",), "assumption", "time for lost capacity to recover"),
    _p("pill_share_2017", 0.103, "share of loads", 0.001, 0.999, ("uniform", 0.05, 0.2),
       "stated: pill form 10.3% of fentanyl seizures 2017 (Palamar et al., Int J Drug Policy 2024, HIDTA data)",
       "share of loads pressed into pills, 2017", "https://doi.org/10.1016/j.drugpo.2024.104417"),
    _p("pill_share_2023", 0.49, "share of loads", 0.001, 0.999, ("uniform", 0.35, 0.65),
       "stated: pill form 49% of fentanyl seizures 2023 (Palamar et al., Int J Drug Policy 2024, HIDTA data)",
       "share of loads pressed into pills, 2023", "https://doi.org/10.1016/j.drugpo.2024.104417"),
    _p("pill_mg_median_2017", 1.2, "mg/pill", 0.1, 10, ("uniform", 0.8, 1.6),
       "inference: ~1 in 10 pills >= 2 mg in 2017 (series dea_share_2mg) with a lognormal of sigma 0.4",
       "median fentanyl per pill, 2017", "https://www.dea.gov/press-releases"),
    _p("pill_mg_median_2023", 2.4, "mg/pill", 0.1, 10, ("uniform", 1.8, 3.0),
       "inference: mean 2.4 mg (2022, DEA NDTA 2024) and 6 in 10 >= 2 mg (series dea_purity, dea_share_2mg)",
       "median fentanyl per pill, 2023", "https://www.dea.gov/documents"),
    _p("pill_mg_sigma", 0.4, "log-sd", 0.05, 2, ("uniform", 0.25, 0.7),
       "inference: matches DEA's >= 2 mg shares with the medians above (series dea_share_2mg)",
       "spread of mg per pill between batches", "https://www.dea.gov/onepill"),
    _p("pill_mass_mg", 100, "mg/pill", 20, 1000, ("fixed",),
       "assumption: a typical counterfeit tablet", "gross mass of one pill"),
    _p("powder_purity_2017", 0.07, "share", 0.001, 1, ("uniform", 0.04, 0.12),
       "stated: ~7% typical purity c. 2017 (series dea_purity; a news report, no publisher's page known)",
       "mean purity of trafficked powder, 2017"),
    _p("powder_purity_2023", 0.19, "share", 0.001, 1, ("uniform", 0.12, 0.3),
       "stated: 19.2% mean powder purity 2022 (DEA NDTA 2024; series dea_purity)",
       "mean purity of trafficked powder, 2023", "https://www.dea.gov/documents"),
    _p("retail_dilution", 0.7, "share", 0.05, 1, ("uniform", 0.4, 1.0),
       "assumption: article claim C10 (cut to 10-15% at retail; `fentflow claims`)", "retail purity relative to border purity"),
    # 3. Transport
    # A seized load weighs ~3.2 x the median (lognormal sigma 1.2, detection ~ size^0.3: exp(1.2^2 x 1.6 / 2)).
    _p("load_gross_median_kg", 1.15, "kg", 0.05, 500, ("uniform", 0.5, 4),
       "inference: CBP SW ports FY2019 2,408 lb in 322 events, 3.4 kg per event / 3.2 (series cbp_sw_component)",
       "median gross mass of a load, mid-2019 (the name predates the 2023 anchor)",
       "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("load_gross_median_kg_2023", 3.2, "kg", 0.05, 500, ("uniform", 1.5, 10),
       "inference: CBP SW ports FY2023 23,927 lb in 945 events, 11.5 kg per event / 3.2 (series cbp_sw_component)",
       "median gross mass of a load, mid-2023", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("load_gross_sigma", 1.2, "log-sd", 0.1, 3, ("fixed",), "assumption", "spread of load sizes (lognormal)"),
    _p("staging_weeks_mean", 1.5, "weeks", 0, 26, ("fixed",), "assumption", "mean wait before a load moves north"),
    _p("route_hours_scale", 12, "hours", 1, 500, ("uniform", 6, 48),
       "assumption (calibrated to the CBP field-office split, series cbp_sw_unit)",
       "travel hours that divide a route's appeal by e", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("foreign_plaza_access", 0.025, "share", 1e-4, 1, ("loguniform", 0.003, 0.2),
       "assumption (calibrated to the CBP field-office split, series cbp_sw_unit)",
       "access to a border city for an organisation holding no share of it (its control share otherwise)", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("plaza_access_exponent", 6.0, "-", 0, 12, ("uniform", 0.5, 8),
       "assumption (calibrated to the CBP field-office split, series cbp_sw_unit)",
       "how strongly control of a border city gates passage: appeal ~ access ** exponent", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("plaza_passage_share", 0.5, "share", 0.05, 1, ("uniform", 0.3, 1),
       "stated: CJNG made Tijuana its main entry, controlling about half the traffic through it with Sinaloa "
       "its only rival (DEA NDTA 2017; read in the translation by Zeta/Borderland Beat: "
       "https://barkgrowlbite.blogspot.com/2017/11/dea-expects-mexican-cartels-will.html); calibrated to the CBP "
       "field-office split (series cbp_sw_unit)",
       "control share of a border city that gives an organisation full passage (access = min(1, share / this))",
       "https://www.dea.gov/documents"),
    _p("traffic_cover_exponent", 0.25, "-", 0, 2, ("uniform", 0, 1),
       "assumption: loads hide in traffic (CBP: >90% of fentanyl smuggled in vehicles at ports, FY2023)",
       "appeal of a port vs its vehicle traffic", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("between_ports_weight", 0.4, "-", 0, 10, ("uniform", 0.05, 0.5),
       "inference: USBP ~10-20% of SW seizures (series cbp_sw_component)",
       "appeal of a Border Patrol sector relative to a port", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("rival_territory_risk", 0.02, "prob per unit rival share", 0, 1, ("fixed",),
       "assumption", "extra interception risk per unit of rival control along a leg"),
    _p("mexico_interdiction_scale", 1.0, "x", 0, 20, ("uniform", 0.3, 3),
       "assumption", "multiplier on the routes' base interception risk in Mexico"),
    # 4. Crossing
    _p("poe_detection_2019", 0.02, "prob/load", 1e-4, 1, ("uniform", 0.01, 0.2),
       "assumption (calibrated to CBP OFO seizures, series cbp_sw_component, which fix detection x supply, not "
       "detection: its prior's bounds set the seizure share, `fentflow validate scale`)",
       "detection probability of a 5 kg load at a port of entry, 2019", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("poe_detection_2023", 0.08, "prob/load", 1e-4, 1, ("uniform", 0.03, 0.35),
       "assumption (calibrated to CBP OFO seizures, series cbp_sw_component, which fix detection x supply, not "
       "detection: its prior's bounds set the seizure share, `fentflow validate scale`)",
       "detection probability of a 5 kg load at a port of entry, 2023", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("between_detection", 0.04, "prob/load", 1e-4, 1, ("uniform", 0.02, 0.4),
       "assumption (calibrated to CBP USBP seizures, series cbp_sw_component, which fix detection x supply, not "
       "detection: its prior's bounds set the seizure share, `fentflow validate scale`)",
       "detection probability of a 5 kg load between ports, 2019 (the name predates the 2023 anchor)",
       "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("between_detection_2023", 0.14, "prob/load", 1e-4, 1, ("uniform", 0.02, 0.4),
       "assumption (calibrated to CBP USBP seizures, series cbp_sw_component, which fix detection x supply, not "
       "detection: its prior's bounds set the seizure share, `fentflow validate scale`)",
       "detection probability of a 5 kg load between ports, 2023", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"),
    _p("detection_size_elasticity", 0.3, "-", 0, 2, ("fixed",), "assumption", "larger loads are easier to detect"),
    # 5. U.S. distribution
    _p("gravity_distance_km", 4000, "km", 50, 10000, ("fixed",),
       "assumption: distance matters little within the U.S. (DEA NDTA 2020: West Coast traffickers often "
       "supply the East Coast; fentanyl deaths rose first in the East), so the decay is continental", "distance decay of domestic distribution", "https://www.dea.gov/documents"),
    _p("distribution_price_pull", 2.0, "-", 0, 5, ("fixed",),
       "assumption: wholesale supply goes where it sells dear (a market paying twice the reference "
       "price draws four times its gravity share), so fentanyl fills every market's demand before it piles up",
       "exponent of the retail price in the distribution weights"),
    _p("domestic_seizure_rate", 0.10, "share", 0, 1, ("uniform", 0.03, 0.3),
       "assumption (calibrated to DEA seizures, series dea_seizures, which fix this rate x supply, not the rate: "
       "its prior's bounds set the seizure share, `fentflow validate scale`)",
       "share of arrivals in a market seized by domestic enforcement", "https://www.dea.gov/press-releases"),
    # 6. Retail market
    _p("market_turnover", 0.5, "share/week", 0.01, 1, ("fixed",), "assumption", "share of retail stock reachable per week"),
    _p("price_per_pill_ref", 10.0, "USD/pill", 0.1, 100, ("fixed",),
       "assumption: public points $0.45-$20 per pill (series prices)", "retail pill price at reference supply",
       "https://www.justice.gov/usao-sdca"),
    _p("price_cover_elasticity", 0.5, "-", 0, 3, ("fixed",), "assumption", "price response to weeks of supply on hand"),
    _p("demand_price_elasticity", 0.2, "-", 0, 2, ("fixed",), "assumption: opioid demand is inelastic", "use response to price"),
    # 7. Demand and mortality
    _p("need_mg_per_user_week", 30, "pure mg/week", 1, 1000, ("uniform", 10, 80),
       "assumption: ~6 M people with OUD (SAMHSA, 2022 NSDUH: 6.1 M aged 12+) and RAND's single-digit tonnes; "
       "CDC's deaths fix use against this need, not its size, so its prior's bounds set the seizure share "
       "(`fentflow validate scale`)",
       "fentanyl used by an active user at full supply",
       "https://www.samhsa.gov/data/report/2022-nsduh-annual-national-report"),
    _p("overdose_hazard", 2.15e-4, "deaths/user-week", 1e-6, 1e-2, ("loguniform", 1e-4, 1e-3),
       "assumption (calibrated to CDC T40.4 deaths, series cdc_deaths)",
       "synthetic-opioid death hazard at full exposure", "https://wonder.cdc.gov/mcd.html"),
    _p("lethal_pill_hazard", 1.7, "x per share", 0, 50, ("uniform", 0, 10),
       "assumption (identified by CDC T40.4 deaths against DEA's >= 2 mg share, series cdc_deaths and "
       "dea_share_2mg; DEA counts 2 mg a potentially lethal dose)",
       "extra overdose hazard per unit share of pills with >= 2 mg", "https://www.dea.gov/onepill"),
    _p("moud_hazard_ratio", 0.5, "ratio", 0, 1, ("fixed",), "assumption: MOUD roughly halves overdose mortality",
       "use and overdose hazard in treatment relative to out of treatment"),
    _p("treatment_retention_weeks", 52, "weeks", 1, 520, ("fixed",), "assumption", "mean time in treatment"),
    _p("naloxone_reversal_2015", 0.05, "share", 0.001, 0.99, ("fixed",), "assumption", "share of fatal overdoses reversed, 2015"),
    _p("naloxone_reversal_2023", 0.20, "share", 0.001, 0.99, ("fixed",),
       "assumption: retail pharmacy naloxone ~x9 in five years to 2021 (AMA data, via "
       "https://www.notfarfromme.org/news/naloxone-is-reaching-more-people-than-ever/)",
       "share of fatal overdoses reversed, 2023"),
    # 8. Adaptation
    _p("route_adaptation", 8.0, "-", 0, 100, ("uniform", 0, 20),
       "assumption: the balloon effect", "shift of loads away from crossings with recent losses"),
    _p("adaptation_weeks", 13, "weeks", 1, 520, ("fixed",), "assumption", "memory of recent losses"),
    _p("production_adaptation", 3.0, "-", 0, 100, ("fixed",), "assumption", "shift of production away from sites with losses"),
    # 9. Violence
    _p("violence_baseline_share", 0.8, "share", 0, 1, ("uniform", 0.5, 1.0),
       "assumption: violence not driven by fentanyl flows, as a share of SESNSP 2015 (the pre-fentanyl year; "
       "series sesnsp_homicides, world states.homicides_2015)",
       "baseline homicides as a share of the state's observed 2015 level",
       "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"),
    _p("violence_flow_effect", 0.5, "ratio", 0, 20, ("loguniform", 0.3, 5),
       "assumption (calibrated to SESNSP by state 2016-2023: national homicides rose ~1.7x from 2015 to 2018-2022)",
       "rise in a state's homicides over its baseline when fentanyl conflict saturates",
       "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"),
    _p("violence_half_conflict", 0.1, "pure t/yr", 0.001, 1000, ("fixed",),
       "assumption: fixed, because SESNSP by state barely separates it from the flow and national effects "
       "(settings from 0.03 to 0.1 fit about equally well)",
       "conflict (rivalry x pure tonnes a year through the state) that brings half the rise"),
    _p("violence_national_effect", 1.8, "ratio", 0, 20, ("loguniform", 0.1, 3),
       "assumption (calibrated to SESNSP by state; homicides rose in states with no fentanyl corridor too)",
       "rise in every state's homicides when the mean conflict over states saturates (the trade's spill-over)",
       "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"),
    _p("violence_state_sd", 0.3, "ln", 0, 2, ("uniform", 0.05, 0.6),
       "assumption: SESNSP state homicides moved from 2015 with a cross-state sd of ln 0.40 by 2016 and 0.77 "
       "by 2023 (sd0^2 + drift^2 x years fits 0.3 and 0.25; part of it is the conflict the model holds)",
       "sd of the state factor (lognormal, mean 1) in 2015: local violence the model does not explain",
       "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"),
    _p("violence_state_drift", 0.25, "ln/yr^0.5", 0, 2, ("uniform", 0.0, 0.5),
       "assumption: see violence_state_sd (the widening of the states' spread from 2016 to 2023)",
       "random-walk drift of the ln state factor, sd per square-root year",
       "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"),
)

PAR_BY_NAME: dict[str, Par] = {p.name: p for p in PARAMETERS}


class Pars(Mapping[str, np.ndarray]):
    """Parameter values for `n_reps` replicates (each value an array of shape (n_reps,)).

    Names not given keep their declared default (`fentflow params`, `ff.PARAMETERS`); a number
    applies to every replicate, an array gives one value each. Unknown names and values outside
    their bounds raise `ff.InputError`. Example::

        pars = ff.Pars({"supply_kg_week_2023": [150.0, 250.0]})     # two replicates
        pars["overdose_hazard"]                                     # the default, twice
        sim = ff.Sim(pars=pars, start="2019-01-01", end="2023-12-31")

    Most users pass `ff.Sim(parameters="calibrated" | "defaults" | path)` instead.
    """

    def __init__(self, values: Mapping[str, float | np.ndarray] | None = None, n_reps: int | None = None):
        values = dict(values or {})
        _reject_unknown(values)
        self.n_reps = n_reps or _batch_size(values)
        # One (parameter, rep) table checked at once; each parameter is a row of it, a fresh writeable
        # C array whatever was given: the kernels compile one signature per array type, and a read-only
        # column (pandas hands views of a DataFrame read-only) would be another.
        table = np.empty((len(PARAMETERS), self.n_reps))
        for row, par in zip(table, PARAMETERS):
            row[:] = self._column(par, values.get(par.name, par.default))
        _check_bounds(table)
        self._values = {par.name: row for row, par in zip(table, PARAMETERS)}

    def _column(self, par: Par, value) -> np.ndarray | float:
        if isinstance(value, (int, float)):
            return value
        arr = np.asarray(value, dtype=float)
        if arr.ndim != 0 and arr.shape != (self.n_reps,):
            raise InputError(f"expected a number or {self.n_reps} values, got shape {arr.shape}", field=par.name)
        return arr

    def __getitem__(self, name: str) -> np.ndarray:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replicate(self, r: int) -> dict[str, float]:
        """The values of replicate `r` as plain floats."""
        return {k: float(v[r]) for k, v in self._values.items()}


LOWER, UPPER = (np.array([p.bounds[k] for p in PARAMETERS], float)[:, None] for k in (0, 1))


def _check_bounds(table: np.ndarray) -> None:
    """InputError naming the first parameter (in declared order) with a value outside its bounds."""
    bad = ~np.isfinite(table) | (table < LOWER) | (table > UPPER)
    if bad.any():
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        par, value = PARAMETERS[row], table[row][bad[row]][0]
        lo, hi = par.bounds
        raise InputError(f"value {value:g} is outside its bounds [{lo:g}, {hi:g}] ({par.unit})", field=par.name)


def _reject_unknown(values: Mapping) -> None:
    unknown = sorted(set(values) - set(PAR_BY_NAME))
    if unknown:
        raise unknown_name("parameter", unknown[0], PAR_BY_NAME, field=unknown[0])


def _batch_size(values: Mapping) -> int:
    sizes = {np.asarray(v).shape[0] for v in values.values() if np.ndim(v) == 1}
    if len(sizes) > 1:
        raise InputError(f"parameter arrays disagree on the number of replicates: {sorted(sizes)}")
    return sizes.pop() if sizes else 1
