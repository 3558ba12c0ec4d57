"""The distributions behind conversions reproduce the DEA figures they are built from."""
from __future__ import annotations

import numpy as np
import pytest

from fentflow.errors import InputError
from fentflow.observed.assumptions import Beta, LogNormal, assumptions_for, default_year, mg_per_pill_sigma
from fentflow.observed.series import load_series
from fentflow.units import LETHAL_DOSE_MG

DEA_SHARES = {2017: 0.10, 2019: 0.27, 2021: 0.40, 2022: 0.60}


def test_default_year_is_2022():
    assert default_year() == 2022
    assert assumptions_for().year == 2022
    assert "default" in assumptions_for().notes["year"]


def test_2022_pill_content_matches_dea_mean_and_share():
    pill = assumptions_for(2022).mg_per_pill
    assert pill.mean == pytest.approx(2.4, rel=1e-12)
    assert pill.share_at_least(LETHAL_DOSE_MG) == pytest.approx(0.60, abs=1e-12)
    assert mg_per_pill_sigma() == pytest.approx(0.4015, abs=1e-4)


@pytest.mark.parametrize("year, share", DEA_SHARES.items())
def test_each_dea_year_reproduces_its_share_of_pills_with_2_mg(year, share):
    pill = assumptions_for(year).mg_per_pill
    assert pill.share_at_least(LETHAL_DOSE_MG) == pytest.approx(share, abs=1e-12)
    assert pill.sigma == mg_per_pill_sigma()


def test_share_is_interpolated_between_dea_years_and_held_outside():
    assert assumptions_for(2020).mg_per_pill.share_at_least(2.0) == pytest.approx(0.335)
    assert "interpolated between 2019 and 2021" in assumptions_for(2020).notes["mg_per_pill"]
    assert assumptions_for(2015).mg_per_pill == assumptions_for(2017).mg_per_pill
    assert assumptions_for(2025).mg_per_pill == assumptions_for(2022).mg_per_pill
    assert "held at the latest figure (2022)" in assumptions_for(2025).notes["mg_per_pill"]


def test_purity_follows_dea_means_with_the_stated_relative_spread():
    for year, mean in {2017: 0.07, 2021: 0.192 / 1.33, 2022: 0.192}.items():
        purity = assumptions_for(year).powder_purity
        assert purity.mean == pytest.approx(mean, abs=1e-4)
        assert purity.sd / purity.mean == pytest.approx(0.42)
    assert assumptions_for(2019).powder_purity.mean == pytest.approx(0.07 + 0.5 * (0.1444 - 0.07))


def test_purity_spread_matches_the_pill_content_relative_spread():
    sigma = mg_per_pill_sigma()
    pill_relative_sd = np.sqrt(np.exp(sigma**2) - 1)
    assert pill_relative_sd == pytest.approx(0.42, abs=0.005)


def test_purity_range_stays_inside_dea_observed_range():
    purity = assumptions_for(2022).powder_purity
    draws = purity.sample(np.random.default_rng(1), 100_000)
    dea = load_series("dea_purity").query("year == 2022 and measure == 'powder_purity'").iloc[0]
    assert dea["low"] <= draws.min() and np.quantile(draws, 0.999) < dea["high"]


def test_pill_mass_is_about_100_mg():
    mass = assumptions_for(2022).pill_mass_mg
    assert mass.mean == pytest.approx(100.0)
    assert 75 < mass.quantile(0.05) < mass.median < mass.quantile(0.95) < 130


def test_lognormal_and_beta_samples_match_their_moments():
    rng = np.random.default_rng(7)
    lognormal = LogNormal.from_mean(2.4, 0.4)
    assert lognormal.sample(rng, 200_000).mean() == pytest.approx(2.4, rel=0.01)
    beta = Beta.from_mean_relative_sd(0.192, 0.42)
    assert beta.sample(rng, 200_000).std() == pytest.approx(beta.sd, rel=0.02)


def test_a_relative_spread_too_wide_for_a_beta_is_refused():
    with pytest.raises(ValueError, match="too wide"):
        Beta.from_mean_relative_sd(0.5, 1.5)


@pytest.mark.parametrize("year", [1999, 2031, 2022.5, "2022", True])
def test_years_outside_the_span_or_not_whole_are_input_errors(year):
    with pytest.raises(InputError) as caught:
        assumptions_for(year)
    assert caught.value.field == "year"
