"""Lagged correlation of cycles: the lag found, the numbers, and a band that holds its 5 %."""

import numpy as np
import pandas as pd
import pytest

from mineralstrategi.analysis.correlation import lagged_correlation

YEARS = range(1980, 2020)


def _ar1(rng, n, phi):
    values = np.zeros(n)
    shocks = rng.normal(size=n)
    for t in range(1, n):
        values[t] = phi * values[t - 1] + shocks[t]
    return values


@pytest.fixture
def price_cycle():
    rng = np.random.default_rng(11)
    return pd.Series(_ar1(rng, len(YEARS), 0.5), index=YEARS)


def test_finds_the_lag_at_which_the_price_leads(price_cycle):
    rng = np.random.default_rng(12)
    indicator = 0.8 * price_cycle.shift(1) + rng.normal(0, 0.3, len(YEARS))
    result = lagged_correlation(indicator.dropna(), price_cycle)
    assert result.ok, result.reason
    assert result.lags == (-3, -2, -1, 0, 1, 2, 3)
    assert result.best_lag == 1
    assert result.best_correlation > 0.8
    assert result.significant
    assert "the price leads by 1 year" in result.explanation_en
    assert result.strongest_leading_lag == 1
    best = result.best_correlation
    assert result.explanation_sv.startswith(
        "Indikatorns cykel följer priscykeln närmast vid förskjutningen +1 (priset leder med 1 "
        f"år): korrelationen är +{best:.2f}".replace(".", ",")
        + ", utanför 95 %-bandet"
    )
    assert "." not in result.explanation_sv.split(":")[1].split(";")[0].replace("Bartlett", "")


def test_the_lag_to_adjust_for_is_never_one_where_the_indicator_leads(price_cycle):
    """The indicator leading by two years correlates most, but a price that follows the indicator
    is no cause to adjust for: the strongest of lags 0..3 is taken."""
    rng = np.random.default_rng(14)
    indicator = price_cycle.shift(-2) + rng.normal(0, 0.2, len(YEARS))
    result = lagged_correlation(indicator.dropna(), price_cycle)
    assert result.best_lag == -2
    assert result.strongest_leading_lag >= 0
    leading = {lag: abs(result.at(lag)) for lag in range(4)}
    assert result.strongest_leading_lag == max(leading, key=leading.get)
    assert "indikatorn leder med 2 år" in result.explanation_sv


def test_each_correlation_is_pearson_on_the_overlapping_years(price_cycle):
    rng = np.random.default_rng(13)
    indicator = pd.Series(rng.normal(size=len(YEARS)), index=YEARS)
    result = lagged_correlation(indicator, price_cycle)
    for lag in result.lags:
        expected = indicator.corr(price_cycle.shift(lag))  # price of year t - lag at year t
        assert result.at(lag) == pytest.approx(expected, abs=1e-12)
        assert result.observations[result.lags.index(lag)] == len(YEARS) - abs(lag)
    frame = result.frame()
    assert list(frame.columns) == ["correlation", "band", "white_noise_band", "observations"]


def test_bartlett_band_widens_for_persistent_cycles_and_keeps_its_five_percent():
    """Unrelated AR(1) cycles (phi 0.8): the band should be crossed ~5 % of the time at lag 0."""
    rng = np.random.default_rng(2024)
    crossed_bartlett = crossed_white = 0
    trials = 300
    for _ in range(trials):
        y = pd.Series(_ar1(rng, 40, 0.8), index=YEARS)
        x = pd.Series(_ar1(rng, 40, 0.8), index=YEARS)
        result = lagged_correlation(y, x, max_lag=0)
        crossed_bartlett += abs(result.correlations[0]) > result.band[0]
        crossed_white += abs(result.correlations[0]) > result.white_noise_band[0]
    assert 0.01 <= crossed_bartlett / trials <= 0.10
    assert crossed_white / trials > 0.2  # +-1.96/sqrt(n) would call a quarter or more significant


def test_white_noise_cycles_get_about_the_white_noise_band():
    rng = np.random.default_rng(5)
    y = pd.Series(rng.normal(size=40), index=YEARS)
    x = pd.Series(rng.normal(size=40), index=YEARS)
    result = lagged_correlation(y, x)
    assert result.bartlett_factor == pytest.approx(1.0, abs=0.5)


class TestBadInput:
    def test_too_short(self, price_cycle):
        short = {year: float(year % 3) for year in range(2015, 2021)}
        result = lagged_correlation(short, price_cycle, indicator_name="employment cycle")
        assert not result.ok
        assert result.reason == "employment cycle: too few observations: 6, need at least 10"

    def test_overlap_too_short_at_a_lag(self, price_cycle):
        indicator = price_cycle.loc[2005:2016]  # 12 years each, but shifted against each other
        result = lagged_correlation(indicator, price_cycle.loc[2007:2018])
        assert not result.ok
        # at lag +1 the indicator's 2008..2016 meet the prices of 2007..2015: 9 years
        assert result.reason == "at lag +1 the two cycles overlap in 9 years, need at least 10"

    def test_gap(self, price_cycle):
        result = lagged_correlation(price_cycle.drop(2000), price_cycle)
        assert "gap in the series, no value for 2000" in result.reason

    def test_constant(self, price_cycle):
        result = lagged_correlation(pd.Series(1.0, index=YEARS), price_cycle)
        assert "constant" in result.reason

    def test_max_lag(self, price_cycle):
        assert "max_lag" in lagged_correlation(price_cycle, price_cycle, max_lag=-1).reason
