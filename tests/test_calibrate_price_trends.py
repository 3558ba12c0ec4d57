"""The price-trend targets: bounds read from the public price record, censored statistics, the data's end."""
import math

import numpy as np
import pandas as pd
import pytest

from fentflow.calibrate import price_trends
from fentflow.calibrate.statistics import TargetSet


def prices(changes: dict[int, float], measure: str = "price_per_pill") -> pd.DataFrame:
    """One replicate per entry: price 10 in every year but 2021 and 2023, where it is 10 x change^k."""
    rows = []
    for replicate, change in changes.items():
        for year in range(2015, 2024):
            steps = {2021: 1, 2022: 1, 2023: 2}.get(year, 0)
            value = 10.0 * change ** steps
            rows.append({"replicate": replicate, "year": year, "price_per_pill": value, "price_per_pure_mg": value})
    return pd.DataFrame(rows)


def test_the_bounds_come_from_the_public_price_record():
    by_name = {trend.name: trend for trend in price_trends.TRENDS}
    assert by_name["pure_2016_2021"].bound == pytest.approx(math.log(0.5))      # fell by more than 50%
    assert by_name["pure_2016_2021"].source.startswith("https://www.rand.org")
    assert by_name["pill_2021_2023"].bound == 0.0 and by_name["pill_2021_2023"].measure == "price_per_pill"
    assert by_name["pill_2021_2023"].source.startswith("https://www.justice.gov")


def test_a_change_on_the_right_side_of_its_bound_scores_the_bound():
    stats = price_trends.simulated_statistics(prices({0: 0.9, 1: 1.5, 2: 0.2}))
    pill = stats["price_trend:pill_2021_2023"]
    assert pill[0] == 0.0 and pill[2] == 0.0                 # fell: on the bound
    assert pill[1] == pytest.approx(math.log(1.5))           # rose by half from 2021 to 2023: ln 1.5 past it
    pure = stats["price_trend:pure_2016_2021"]
    assert pure[2] == pytest.approx(math.log(0.5)) and pure[0] == pytest.approx(math.log(0.9))


def test_trends_after_the_fitted_data_are_left_out():
    assert set(price_trends.observed_statistics(2021)) == {"price_trend:pure_2016_2021"}
    assert set(price_trends.simulated_statistics(prices({0: 1.0}), 2021).columns) == {"price_trend:pure_2016_2021"}
    observed = TargetSet().observed
    assert observed["price_trend:pill_2021_2023"] == 0.0 and "price_trend:pill_2021_2023" not in TargetSet(
        data_end=2021).observed


def test_simulated_statistics_join_the_others_with_their_weight():
    from fentflow.calibrate.statistics import FIT_TARGETS
    from fentflow.observed.series import load_series

    targets = TargetSet()
    data = {target.source: load_series(target.source).assign(replicate=0) for target in FIT_TARGETS}
    stats = targets.simulated({**data, "us_retail_price": prices({0: 1.5})})
    assert stats.loc[0, "price_trend:pill_2021_2023"] == pytest.approx(math.log(1.5))
    assert list(stats.columns) == list(targets.observed)
    assert targets.weights["price_trend:pill_2021_2023"] == pytest.approx(1.0 / (2 * math.log(2)))


def test_the_retail_price_is_weighted_by_what_was_consumed():
    import fentflow as ff
    from fentflow.sim.observables import us_retail_price

    sim = ff.Sim(parameters="defaults", replicates=2, start="2021-01-01", end="2021-12-31")
    sim.run()
    table = us_retail_price(sim.results)
    results = sim.results
    weight, price = results["consumed_pure_kg"], results["price_usd_per_pill"]
    expected = (price * weight).sum(axis=(0, 2)) / weight.sum(axis=(0, 2))
    assert np.allclose(table.sort_values("replicate")["price_per_pill"], expected)
    assert (table["price_per_pure_mg"] > 0).all()


def test_statistics_without_the_simulated_price_are_refused_rather_than_filled_in():
    with pytest.raises(ValueError, match="us_retail_price"):
        TargetSet().simulated({})
