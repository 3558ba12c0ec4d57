"""Observed series: the registry, provenance on every row, and the arithmetic the sources imply."""
from __future__ import annotations

import pandas as pd
import pytest

from fentflow.errors import InputError
from fentflow.observed.publishers import publisher_of
from fentflow.observed.series import (
    CONFIDENCE_MARKS,
    SERIES,
    list_series,
    load_series,
    read_series_file,
    series_names,
)

API_SERIES = {
    "cbp_sw_monthly": {"fy", "year", "month", "lb"},
    "cbp_sw_component": {"fy", "component", "lb", "events"},
    "cbp_sw_total": {"fy", "lb", "events"},
    "cbp_sw_unit": {"fy", "unit", "component", "lb"},
    "cbp_nationwide": {"fy", "lb"},
    "dea_seizures": {"year", "pills", "powder_lb", "bound"},
    "dea_surge_2022": {"pills", "powder_lb", "lethal_doses"},
    "dea_share_2mg": {"year", "share"},
    "dea_purity": {"year", "measure", "value", "low", "high"},
    "cdc_deaths": {"year", "total", "synthetic", "status"},
    "sesnsp_homicides": {"abbr", "code", "state", "year", "victims", "population", "rate_per_100k"},
    "mexico_fentanyl_labs": {"state", "labs", "period"},
    "prices": {"place", "period", "value", "unit", "what"},
}
FISCAL_YEARS = [2019, 2020, 2021, 2022, 2023]


def lb_by(frame: pd.DataFrame, *keys: str) -> pd.Series:
    return frame.groupby(list(keys))["lb"].sum()


# --- registry -------------------------------------------------------------------------------

def test_every_api_series_is_registered_with_its_columns():
    assert set(series_names()) == set(API_SERIES)
    for name, columns in API_SERIES.items():
        assert columns <= set(load_series(name).columns), name


def test_list_series_describes_each_series():
    catalog = list_series()
    assert list(catalog.columns) == ["name", "description", "unit", "period", "rows", "source", "imported"]
    assert list(catalog["name"]) == series_names()
    assert (catalog["rows"] > 0).all()
    assert catalog["description"].str.len().gt(10).all()


def test_unknown_series_is_an_input_error_listing_valid_names():
    with pytest.raises(InputError) as caught:
        load_series("cbp_monthly")
    assert caught.value.field == "name"
    assert "cbp_sw_monthly" in str(caught.value) and "prices" in str(caught.value)


def test_load_series_returns_an_independent_copy():
    frame = load_series("dea_share_2mg")
    frame.loc[:, "share"] = 0.0
    assert load_series("dea_share_2mg")["share"].max() > 0


@pytest.mark.parametrize("spec", SERIES, ids=lambda spec: spec.name)
def test_every_row_has_a_source_url_and_a_confidence_mark(spec):
    frame = load_series(spec.name)
    assert frame["source_url"].str.match(r"https?://\S+$").all()
    assert set(frame["confidence"]) <= CONFIDENCE_MARKS
    assert not frame.duplicated(list(spec.key)).any()


PRIMARY_SHARE_TARGET = 0.95     # issue 16: at least 95% of the public-series rows name the publisher's page


def test_at_least_95_percent_of_rows_have_a_primary_url_at_a_publisher():
    urls = pd.concat([load_series(spec.name)["primary_url"] for spec in SERIES])
    at_publisher = urls.map(lambda url: bool(url) and publisher_of(url) is not None)
    assert at_publisher.mean() >= PRIMARY_SHARE_TARGET, f"{at_publisher.sum()} of {len(urls)} rows"


@pytest.mark.parametrize("spec", SERIES, ids=lambda spec: spec.name)
def test_every_primary_url_is_at_a_publishers_site(spec):
    urls = load_series(spec.name)["primary_url"]
    assert all(publisher_of(url) for url in urls if url)


def test_publisher_of_matches_the_domain_not_a_lookalike():
    assert publisher_of("https://www.cbp.gov/newsroom/stats/drug-seizure-statistics")
    assert publisher_of("https://wonder.cdc.gov/mcd.html")
    assert publisher_of("https://notcbp.gov.example.com/x") is None
    assert publisher_of("https://github.com/Howard-Xuan/fentanyl_traffick") is None


# --- CBP Southwest border -------------------------------------------------------------------

def test_monthly_series_covers_five_fiscal_years_in_calendar_months():
    monthly = load_series("cbp_sw_monthly")
    assert sorted(monthly["fy"].unique()) == FISCAL_YEARS
    assert monthly.groupby("fy")["month"].apply(sorted).map(list).eq([list(range(1, 13))] * 5).all()
    october = monthly.query("month >= 10")
    assert (october["year"] == october["fy"] - 1).all()      # FY starts 1 Oct of the prior year
    assert (monthly.query("month < 10")["year"] == monthly.query("month < 10")["fy"]).all()


def fiscal_year_totals() -> pd.DataFrame:
    return load_series("cbp_sw_total").set_index("fy")


def test_monthly_sums_equal_fiscal_year_totals_within_rounding():
    monthly = lb_by(load_series("cbp_sw_monthly"), "fy")
    # 12 months each rounded to 1 lb, and a total rounded to 1 lb
    assert ((monthly - fiscal_year_totals()["lb"]).abs() <= 12 * 0.5 + 0.5).all()


def test_components_are_ports_and_between_ports_only():
    component = load_series("cbp_sw_component")
    assert sorted(component["component"].unique()) == ["between", "port"]
    agencies = dict(zip(component["component"], component["agency"], strict=True))
    assert agencies == {"port": "OFO", "between": "USBP"}


def test_components_add_to_totals_within_rounding():
    components = load_series("cbp_sw_component").groupby("fy")[["lb", "events"]].sum()
    totals = fiscal_year_totals()
    assert ((components["lb"] - totals["lb"]).abs() <= 1.5).all()
    assert (components["events"] == totals["events"]).all()      # counts add exactly


def test_field_offices_and_sectors_add_to_component_totals_within_rounding():
    units = load_series("cbp_sw_unit")
    by_component = lb_by(units, "fy", "component")
    components = load_series("cbp_sw_component").set_index(["fy", "component"])["lb"]
    for (fy, component), lb in by_component.items():
        assert abs(lb - components[(fy, component)]) <= 13 * 0.05 + 0.5, (fy, component)


def test_units_are_cbp_names_with_the_right_component():
    units = load_series("cbp_sw_unit")
    assert set(units.query("component == 'port'")["unit"]) == {
        "San Diego Field Office", "Tucson Field Office", "El Paso Field Office", "Laredo Field Office"}
    sectors = set(units.query("component == 'between'")["unit"])
    assert len(sectors) == 9 and all(name.endswith(" Sector") for name in sectors)
    assert "Rio Grande Valley Sector" in sectors


def test_known_cbp_values_are_carried_exactly():
    units = load_series("cbp_sw_unit").set_index(["fy", "unit"])["lb"]
    assert units[(2023, "Tucson Field Office")] == 11_977.4
    assert units[(2022, "San Diego Sector")] == 1_051.8
    events = fiscal_year_totals()["events"]
    assert events[2019] == 370 and events[2023] == 1_210
    monthly = load_series("cbp_sw_monthly").set_index(["year", "month"])["lb"]
    assert monthly[(2022, 12)] == 2_409      # the CSV value that contradicts a '6,200 lb' claim


def test_southwest_border_is_part_of_nationwide():
    nationwide = load_series("cbp_nationwide").set_index(["fy", "component"])["lb"]
    southwest = load_series("cbp_sw_component").set_index(["fy", "component"])["lb"]
    for fy in FISCAL_YEARS:
        assert fiscal_year_totals().loc[fy, "lb"] <= nationwide[(fy, "total")]
    assert southwest[(2023, "port")] <= nationwide[(2023, "port")]
    assert southwest[(2023, "between")] <= nationwide[(2023, "between")]


def test_nationwide_keeps_other_vintages():
    nationwide = load_series("cbp_nationwide").set_index(["fy", "component"])
    assert nationwide.loc[(2020, "total"), ["lb", "lb_alt"]].tolist() == [4_791, 4_776]
    assert nationwide.loc[(2022, "total"), "lb"] == 14_699.88


# --- DEA ------------------------------------------------------------------------------------

def test_dea_seizures_bound_2021_and_give_2022_2023():
    dea = load_series("dea_seizures")
    assert set(dea["bound"]) <= {"exact", "lower", "upper"}
    row_2021 = dea.query("year == 2021").iloc[0]
    assert row_2021["bound"] == "upper" and row_2021["pills"] == 25.3e6
    assert row_2021["pills"] == dea.query("year == 2022")["pills"].iloc[0] / 2
    assert dea.set_index("year").loc[2023, ["pills", "powder_lb"]].tolist() == [77e6, 12_000]


def test_dea_surge_2022():
    surge = load_series("dea_surge_2022").iloc[0]
    assert (surge["pills"], surge["powder_lb"], surge["lethal_doses"]) == (10.2e6, 980, 36e6)
    assert (surge["period_start"], surge["period_end"]) == ("2022-05-23", "2022-09-08")


def test_dea_share_of_pills_with_a_lethal_dose_rises():
    share = load_series("dea_share_2mg").set_index("year")
    assert share["share"].to_dict() == {2017: 0.10, 2019: 0.27, 2021: 0.40, 2022: 0.60}
    assert share.loc[2021, "share_alt"] == 0.42
    assert share["share"].is_monotonic_increasing


def test_dea_purity_figures():
    purity = load_series("dea_purity").set_index(["year", "measure"])
    assert purity.loc[(2022, "mg_per_pill"), ["value", "low", "high"]].tolist() == [2.4, 0.03, 9.0]
    assert purity.loc[(2022, "powder_purity"), ["value", "high"]].tolist() == [0.192, 0.815]
    assert purity.loc[(2021, "powder_purity"), "value"] == pytest.approx(0.192 / 1.33, abs=5e-5)
    assert purity.loc[(2021, "powder_purity"), "confidence"] == "inference"


# --- CDC ------------------------------------------------------------------------------------

def test_cdc_deaths_cover_2013_to_2023_and_say_which_values_are_final():
    deaths = load_series("cdc_deaths").set_index("year")
    assert list(deaths.index) == list(range(2013, 2024))
    statuses = {"final", "provisional", "unconfirmed"}
    assert set(deaths["total_status"]) | set(deaths["synthetic_status"]) | set(deaths["status"]) <= statuses
    assert deaths.loc[[2014, 2016, 2017, 2018, 2020], "total_status"].eq("unconfirmed").all()
    assert deaths.loc[[2013, 2015, 2019, 2021, 2022, 2023], "total_status"].eq("final").all()
    assert deaths.loc[2022, "total"] == 107_941    # confirmed by the 51 state counts (world-us W4a)
    assert deaths.loc[2023, ["total", "synthetic"]].tolist() == [105_007, 72_776]


def test_cdc_row_status_is_the_weaker_of_its_values():
    deaths = load_series("cdc_deaths")
    weaker = deaths[["total_status", "synthetic_status"]].apply(
        lambda row: "final" if set(row) == {"final"} else "unconfirmed", axis=1)
    assert (deaths["status"] == weaker).all()


def test_cdc_vsrr_columns_are_provisional_december_counts():
    deaths = load_series("cdc_deaths").set_index("year")
    assert deaths.loc[2021, ["vsrr_total_reported", "vsrr_total_predicted"]].tolist() == [107_573, 109_099]
    assert deaths.loc[[2013, 2014], "vsrr_total_reported"].isna().all()   # 2014 has only Jan 2015
    with_vsrr = deaths.dropna(subset=["vsrr_synthetic_reported"])
    assert (with_vsrr["vsrr_synthetic_predicted"] >= with_vsrr["vsrr_synthetic_reported"]).all()
    assert (with_vsrr["synthetic"] < with_vsrr["total"]).all()


# --- Mexico ---------------------------------------------------------------------------------

INEGI_ORDER = ("AGS BC BCS CAM COAH COL CHIS CHIH CDMX DGO GTO GRO HGO JAL MEX MICH "
               "MOR NAY NL OAX PUE QRO QROO SLP SIN SON TAB TAMS TLAX VER YUC ZAC").split()


def test_sesnsp_has_32_states_per_year_with_inegi_codes():
    homicides = load_series("sesnsp_homicides")
    assert sorted(homicides["year"].unique()) == list(range(2015, 2025))
    for year in range(2015, 2025):
        states = homicides[homicides["year"] == year].sort_values("code")
        assert list(states["code"]) == [f"{code:02d}" for code in range(1, 33)]
        assert list(states["abbr"]) == INEGI_ORDER
    codes = homicides.drop_duplicates("abbr").set_index("abbr")
    assert codes.loc["COAH", "state"] == "Coahuila" and codes.loc["CHIS", "state"] == "Chiapas"
    assert codes.loc["MEX", "state"] == "Estado de México" and codes.loc["CDMX", "code"] == "09"


def test_sesnsp_states_sum_to_national_totals():
    totals = load_series("sesnsp_homicides").groupby("year")[["victims", "population"]].sum()
    # National rows: SESNSP homicide victims and CONAPO population
    assert totals.loc[2015, "victims"] == 17_884   # the violence baseline year
    assert totals.loc[2018, "victims"] == 33_742 and totals.loc[2024, "victims"] == 30_046
    assert totals.loc[2022].tolist() == [30_979, 129_960_600]
    assert totals.loc[2023].tolist() == [29_721, 131_135_337]


def test_sesnsp_rates_match_victims_over_population():
    homicides = load_series("sesnsp_homicides")
    computed = homicides["victims"] / homicides["population"] * 1e5
    assert ((computed - homicides["rate_per_100k"]).abs() <= 0.05 + 1e-9).all()
    colima_2023 = homicides.query("abbr == 'COL' and year == 2023")["rate_per_100k"].iloc[0]
    assert colima_2023 == 118.0


def test_sedena_fentanyl_labs_by_state_and_by_year_both_total_26():
    labs = load_series("mexico_fentanyl_labs").query("what == 'fentanyl labs seized (SEDENA)'")
    by_state = labs.query("state != 'ALL'").set_index("state")["labs"]
    assert by_state.to_dict() == {"SIN": 22, "BC": 3, "CHIH": 1}
    assert labs.query("state == 'ALL'")["labs"].sum() == by_state.sum() == 26


def test_prices_have_units_and_consistent_ranges():
    prices = load_series("prices")
    assert prices["unit"].str.len().gt(0).all()
    ranged = prices.dropna(subset=["low", "high"])
    assert ((ranged["low"] <= ranged["value"]) & (ranged["value"] <= ranged["high"])).all()
    san_diego = prices.query("place.str.startswith('San Diego')").set_index("period")["value"]
    assert san_diego.to_dict() == {"2021": 1.70, "c. mid-2023": 0.45}


# --- file validation ------------------------------------------------------------------------

SHARE_SPEC = next(spec for spec in SERIES if spec.name == "dea_share_2mg")
GOOD_ROW = "2022,0.6,,stated,https://www.dea.gov/onepill,https://example.org/dea,"


def write_share_file(tmp_path, *rows, header="year,share,share_alt,confidence,primary_url,source_url,note"):
    path = tmp_path / "dea_share_2mg.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_well_formed_file_reads(tmp_path):
    frame = read_series_file(SHARE_SPEC, write_share_file(tmp_path, GOOD_ROW))
    assert frame["share"].tolist() == [0.6]


@pytest.mark.parametrize("rows, header, field, line", [
    ([GOOD_ROW, "2021,0.4,,stated,,,"], None, "source_url", 3),
    ([GOOD_ROW, "2021,0.4,,rumour,,https://example.org,"], None, "confidence", 3),
    ([GOOD_ROW, "2021,0.4,,stated,https://example.org,https://example.org,"], None, "primary_url", 3),
    ([GOOD_ROW, GOOD_ROW], None, "year", 2),
    ([GOOD_ROW], "year,share,confidence,primary_url,source_url,note", "share_alt", None),
    ([GOOD_ROW + ",extra"], "year,share,share_alt,confidence,primary_url,source_url,note,extra", "extra", None),
])
def test_a_broken_file_names_file_line_and_field(tmp_path, rows, header, field, line):
    kwargs = {"header": header} if header else {}
    with pytest.raises(InputError) as caught:
        read_series_file(SHARE_SPEC, write_share_file(tmp_path, *rows, **kwargs))
    assert (caught.value.file, caught.value.field, caught.value.row) == ("dea_share_2mg.csv", field, line)


def test_a_value_of_the_wrong_type_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="declared types"):
        read_series_file(SHARE_SPEC, write_share_file(tmp_path, "twenty,0.6,,stated,,https://x.org,"))
