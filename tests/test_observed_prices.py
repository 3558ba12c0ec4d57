"""The public retail price record: places, dated moves and national changes, read once for the calibration and C12."""
import pandas as pd
import pytest

from fentflow.calibrate import price_trends
from fentflow.claims import c12_demand_reduction as c12
from fentflow.observed import prices


def test_the_bundled_record_has_one_dated_move_and_it_fell():
    moves = prices.dated_moves()
    assert [(m.place, m.first_year, m.last_year, m.first, m.last) for m in moves] == [
        ("San Diego / Imperial (S. California)", 2021, 2023, 1.70, 0.45)]      # the Twin Cities' first names no year
    assert moves[0].fell and moves[0].url.startswith("https://www.justice.gov")
    assert prices.national_changes()["value"].tolist() == [-50.0]


@pytest.mark.parametrize("period, year", [("2021", 2021), ("c. mid-2023", 2023), ("2016 -> 2021", 2021),
                                          ("a couple of years before c. 2023", 2023), ("recently", None)])
def test_a_period_names_its_last_year(period, year):
    assert prices.year_of(period) == year


def test_a_span_names_both_its_years():
    assert prices.years_named("2016 -> 2021") == [2016, 2021]


def test_a_price_that_rose_is_no_bound_for_the_calibration_and_c12_no_longer_says_all_fell(monkeypatch):
    record = pd.DataFrame({
        "place": ["A", "A", "B", "B"], "period": ["2020", "2023", "2021", "c. 2022"], "value": [2.0, 1.0, 1.0, 3.0],
        "unit": "USD/pill", "what": prices.RETAIL_PILL, "primary_url": "https://www.dea.gov/x", "source_url": ""})
    monkeypatch.setattr(prices, "load_series", lambda name: record)
    assert [(m.place, m.fell) for m in prices.dated_moves()] == [("A", True), ("B", False)]
    assert [trend.name for trend in price_trends.public_trends()] == ["pill_2020_2023"]   # B rose: no bound
    assert c12._public_price_span() == (2020, 2023, False)
    monkeypatch.setattr(prices, "load_series", lambda name: record.iloc[:2])
    assert c12._public_price_span() == (2020, 2023, True)
