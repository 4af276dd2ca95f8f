"""Trend/cycle filters against statsmodels on the real World Bank prices, and on known series."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from statsmodels.tsa.filters.cf_filter import cffilter
from statsmodels.tsa.filters.hp_filter import hpfilter

from mineralstrategi.analysis.cycle import (
    BreakMethod,
    Frequency,
    cf_decompose,
    hp_decompose,
    hp_filter_batch,
    hp_lambda,
    stl_decompose,
)

# The HP system is solved by two different factorisations; they agree to rounding, which for a
# condition number of ~2e6 (monthly lambda) is ~1e-11 of the data's size. Prices run to 50,000 $/t,
# so the bound is relative to the largest absolute value (and absolute for log prices).
TOLERANCE = 1e-8


def _tolerance(values) -> float:
    return TOLERANCE * max(1.0, float(np.max(np.abs(values))))


def test_lambda_by_frequency_is_ravn_uhlig():
    """One convention: lambda scales with the fourth power of the periods a year (Ravn and Uhlig
    2002), from 1,600 for quarters: 1,600 / 4**4 annual, 1,600 * 3**4 monthly."""
    assert hp_lambda("annual") == 1600 / 4**4 == 6.25
    assert hp_lambda(Frequency.QUARTERLY) == 1600
    assert hp_lambda("monthly") == 1600 * 3**4 == 129600


def _cycle_gain(frequency: str, period_years: float) -> float:
    """The share of a sine wave of the period that the filter puts in the cycle, measured in the
    middle of a long series (far from the end points)."""
    per_year = Frequency(frequency).periods_per_year
    t = np.arange(120 * per_year)
    wave = np.sin(2 * np.pi * t / (period_years * per_year))
    index = pd.period_range("1900", periods=len(t), freq={1: "Y", 4: "Q", 12: "M"}[per_year])
    cycle = hp_decompose(pd.Series(wave, index=index), frequency).cycle.to_numpy()
    middle = slice(len(t) // 3, 2 * len(t) // 3)
    return float(np.abs(cycle[middle]).max() / np.abs(wave[middle]).max())


@pytest.mark.parametrize("period_years", [3, 5, 8, 10, 15, 25])
def test_every_frequency_separates_the_same_cycles(period_years):
    """Annual indicators and monthly prices are filtered alike: a cycle of a given length in years
    goes into the cycle in the same share whatever the frequency (within 0.03), and that share is
    the filter's theoretical gain 4 lambda (1 - cos w)^2 / (1 + 4 lambda (1 - cos w)^2). With the
    old annual lambda of 100, a ten-year cycle would have been 94 % cycle in an annual series but
    50 % in a monthly one."""
    gains = {f: _cycle_gain(f, period_years) for f in ("annual", "quarterly", "monthly")}
    for frequency, gain in gains.items():
        w = 2 * np.pi / (period_years * Frequency(frequency).periods_per_year)
        x = 4 * hp_lambda(frequency) * (1 - np.cos(w)) ** 2
        assert gain == pytest.approx(x / (1 + x), abs=0.01), frequency
    assert max(gains.values()) - min(gains.values()) < 0.03


def test_half_of_a_ten_year_cycle_is_cycle_at_every_frequency():
    for frequency in ("annual", "quarterly", "monthly"):
        assert _cycle_gain(frequency, 9.8) == pytest.approx(0.5, abs=0.03)


class TestHodrickPrescottAgainstStatsmodels:
    @pytest.mark.parametrize("log", [False, True], ids=["levels", "logs"])
    def test_every_metal_monthly(self, metal_prices, log):
        for column in metal_prices.columns:
            series = np.log(metal_prices[column]) if log else metal_prices[column]
            ours = hp_decompose(series, "monthly", name=column)
            cycle, trend = hpfilter(series.to_numpy(), 129600)
            assert ours.ok, ours.reason
            assert ours.parameters["lambda"] == 129600
            tolerance = _tolerance(series)
            np.testing.assert_allclose(ours.trend.to_numpy(), trend, rtol=0, atol=tolerance)
            np.testing.assert_allclose(ours.cycle.to_numpy(), cycle, rtol=0, atol=tolerance)
            assert ours.trend.index.equals(series.index)

    def test_annual_and_quarterly_means_of_copper(self, metal_prices):
        """Expected values from statsmodels with the lambdas written out, not taken from us."""
        copper = np.log(metal_prices["copper_usd_per_mt"])
        annual = copper.groupby(copper.index.year).mean().loc[:2023]
        quarterly = copper.resample("Q").mean().loc[:"2024Q3"]
        for series, frequency, lamb in [(annual, "annual", 6.25), (quarterly, "quarterly", 1600)]:
            ours = hp_decompose(series, frequency)
            cycle, trend = hpfilter(series.to_numpy(), lamb)
            np.testing.assert_allclose(ours.trend.to_numpy(), trend, rtol=0, atol=TOLERANCE)
            np.testing.assert_allclose(ours.cycle.to_numpy(), cycle, rtol=0, atol=TOLERANCE)

    def test_batch_of_all_metals_equals_statsmodels(self, metal_prices):
        matrix = np.log(metal_prices.to_numpy().T)  # one metal per row
        batch = hp_filter_batch(matrix, 129600)
        for row, column in enumerate(metal_prices.columns):
            _, trend = hpfilter(matrix[row], 129600)
            np.testing.assert_allclose(
                batch.trend[row], trend, rtol=0, atol=TOLERANCE, err_msg=column
            )
        np.testing.assert_allclose(batch.trend + batch.cycle, matrix, rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    data=st.tuples(st.integers(1, 5), st.integers(3, 60)).flatmap(
        lambda shape: arrays(
            float, shape, elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
        )
    ),
    lamb=st.sampled_from([1.0, 6.25, 100.0, 1600.0, 129600.0]),
)
def test_batch_equals_single_series(data, lamb):
    batch = hp_filter_batch(data, lamb)
    assert batch.ok
    for row, values in enumerate(data):
        _, trend = hpfilter(values, lamb)
        np.testing.assert_allclose(batch.trend[row], trend, rtol=0, atol=_tolerance(values))


class TestKnownTrendAndCycle:
    def test_annual_five_year_cycle_recovered_within_15_percent(self):
        """A five-year cycle (gain 0.92 at lambda 6.25) is recovered; an eight-year one is only
        about two thirds cycle (gain 0.68), as in the monthly price filter, so it is not tested
        here: the filter separates cycles shorter than about ten years (test above)."""
        years = np.arange(60)
        trend = 100 + 0.5 * years + 0.01 * years**2
        cycle = 3 * np.sin(2 * np.pi * years / 5)
        result = hp_decompose(pd.Series(trend + cycle, index=range(1960, 2020)), "annual")
        interior = slice(4, -4)  # the HP filter is weak at the ends
        error = result.cycle.to_numpy() - cycle
        assert np.abs(error[interior]).max() < 0.15 * 3
        assert np.abs((result.trend.to_numpy() - trend)[interior]).max() < 0.15 * 3

    def test_christiano_fitzgerald_keeps_the_business_cycle_and_drops_the_trend(self):
        months = np.arange(480)
        cycle = 0.2 * np.sin(2 * np.pi * months / 60)  # a five-year cycle
        trend = 4 + 0.002 * months + 0.3 * np.sin(2 * np.pi * months / 480)
        series = pd.Series(trend + cycle, index=pd.period_range("1980-01", periods=480, freq="M"))
        result = cf_decompose(series, "monthly", low_years=2, high_years=8)
        assert result.ok
        interior = slice(60, -60)
        assert np.abs((result.cycle.to_numpy() - cycle)[interior]).max() < 0.15 * 0.2
        np.testing.assert_allclose(result.trend + result.cycle, series, atol=1e-12)

    def test_stl_separates_a_monthly_seasonal_pattern(self):
        months = np.arange(120)
        seasonal = 5 * np.cos(2 * np.pi * months / 12)
        trend = 100 + 0.1 * months
        series = pd.Series(
            trend + seasonal, index=pd.period_range("2010-01", periods=120, freq="M")
        )
        result = stl_decompose(series)
        assert result.ok
        assert np.abs(result.seasonal.to_numpy() - seasonal).max() < 0.1 * 5
        np.testing.assert_allclose(result.trend + result.seasonal + result.cycle, series)
        assert "three years" in stl_decompose(series.iloc[:30]).reason

    def test_christiano_fitzgerald_cycle_is_statsmodels_cycle(self, metal_prices):
        zinc = np.log(metal_prices["zinc_usd_per_mt"])
        result = cf_decompose(zinc, "monthly", low_years=1.5, high_years=8)
        cycle, _ = cffilter(zinc.to_numpy(), low=18, high=96, drift=True)
        np.testing.assert_allclose(result.cycle.to_numpy(), cycle, rtol=0, atol=1e-12)


class TestBreaks:
    """A step in how a series is measured must go into the trend, not show as a cycle."""

    months = np.arange(480)
    cycle = 0.2 * np.sin(2 * np.pi * months / 60)
    step = np.where(months >= 200, 0.3, 0.0)
    index = pd.period_range("1980-01", periods=480, freq="M")
    series = pd.Series(4 + 0.002 * months + cycle + step, index=index)
    near_break = slice(188, 212)

    def _error_near_break(self, result):
        return np.abs((result.cycle.to_numpy() - self.cycle)[self.near_break]).max()

    def test_plain_filter_mistakes_the_step_for_a_cycle(self):
        plain = hp_decompose(self.series, "monthly")
        assert self._error_near_break(plain) > 0.5 * 0.2

    def test_local_jump_recovers_the_step_and_the_cycle(self):
        result = hp_decompose(self.series, "monthly", breaks=["1996-09"])
        assert result.level_shifts["1996-09"] == pytest.approx(0.3, abs=0.01)
        assert self._error_near_break(result) < 0.1 * 0.2
        assert np.abs((result.cycle.to_numpy() - self.cycle)[24:-24]).max() < 0.25 * 0.2

    @pytest.mark.parametrize("method", [BreakMethod.LEVEL_SHIFT, BreakMethod.SEGMENTS])
    def test_other_break_methods_shrink_the_false_cycle(self, method):
        plain = self._error_near_break(hp_decompose(self.series, "monthly"))
        result = hp_decompose(self.series, "monthly", breaks=["1996-09"], break_method=method)
        assert result.ok
        assert self._error_near_break(result) < 0.75 * plain
        assert result.notes

    def test_level_shift_equals_dummy_regression_when_the_cycle_is_white_noise(self):
        rng = np.random.default_rng(7)
        noise = rng.normal(0, 0.05, 480)
        series = pd.Series(4 + 0.002 * self.months + noise + self.step, index=self.index)
        result = hp_decompose(series, "monthly", breaks=["1996-09"], break_method="level_shift")
        assert result.level_shifts["1996-09"] == pytest.approx(0.3, abs=0.03)

    def test_iron_ore_method_changes(self, iron_ore):
        breaks = ["2006-01", "2008-12"]
        result = hp_decompose(np.log(iron_ore), "monthly", breaks=breaks)
        assert set(result.level_shifts) == set(breaks)
        # 2005-12 -> 2006-01 is 65.0 -> 67.2 $/dmtu: the jump is small and goes into the trend
        assert result.level_shifts["2006-01"] == pytest.approx(np.log(67.2 / 65.0), abs=0.02)
        trend = result.trend
        step_in_trend = trend["2006-01"] - trend["2005-12"]
        assert step_in_trend == pytest.approx(result.level_shifts["2006-01"], abs=0.03)

    def test_annual_series_with_a_break_given_as_a_year(self):
        years = np.arange(1990, 2024)
        cycle = 0.1 * np.sin(2 * np.pi * (years - 1990) / 6)
        values = 2 + 0.01 * (years - 1990) + cycle + np.where(years >= 2006, 0.5, 0.0)
        result = hp_decompose(pd.Series(values, index=years), "annual", breaks=[2006])
        assert result.level_shifts["2006"] == pytest.approx(0.5, abs=0.1)
        assert np.abs(result.cycle.to_numpy() - cycle)[3:-3].max() < 0.05

    def test_break_outside_the_series_is_ignored_with_a_note(self, iron_ore):
        result = hp_decompose(np.log(iron_ore), "monthly", breaks=["1950-01"])
        assert result.ok
        assert not result.level_shifts
        assert any("outside the series" in note for note in result.notes)


class TestBadInput:
    def test_too_short(self):
        series = pd.Series(range(6), index=range(2015, 2021), dtype=float)
        result = hp_decompose(series, "annual", name="employment")
        assert not result.ok
        assert result.reason == "employment: too few observations: 6, need at least 10"

    @pytest.mark.parametrize(("frequency", "needed"), [("quarterly", 40), ("monthly", 120)])
    def test_ten_years_needed_at_every_frequency(self, frequency, needed):
        index = pd.period_range(
            "2015", periods=needed - 1, freq={"quarterly": "Q", "monthly": "M"}[frequency]
        )
        short = pd.Series(np.sin(np.arange(needed - 1.0)), index=index)
        result = hp_decompose(short, frequency, name="prices")
        assert (
            result.reason == f"prices: too few observations: {needed - 1}, need at least {needed}"
        )
        longer = pd.Series(np.sin(np.arange(needed + 0.0)), index=index.union([index[-1] + 1]))
        assert hp_decompose(longer, frequency).ok

    def test_gap(self, iron_ore):
        result = hp_decompose(iron_ore.drop(iron_ore.index[100]), "monthly")
        assert "gap in the series, no value for 1968-05" in result.reason

    def test_missing_and_infinite_values(self, iron_ore):
        with_nan = iron_ore.copy()
        with_nan.iloc[3] = np.nan
        assert "no value for 1960-04" in hp_decompose(with_nan, "monthly").reason
        with_inf = iron_ore.copy()
        with_inf.iloc[3] = np.inf
        assert "1960-04 is infinite" in hp_decompose(with_inf, "monthly").reason

    def test_wrong_frequency(self, iron_ore):
        assert "cannot be read as quarterly" in hp_decompose(iron_ore, "quarterly").reason
        assert "weekly" in hp_decompose(iron_ore, "weekly").reason

    def test_bad_lambda_and_bad_break(self, iron_ore):
        assert "positive" in hp_decompose(iron_ore, "monthly", lamb=-1).reason
        assert "not a monthly period" in hp_decompose(iron_ore, "monthly", breaks=["soon"]).reason

    def test_segment_too_short(self, iron_ore):
        result = hp_decompose(
            iron_ore, "monthly", breaks=["2006-01", "2006-02"], break_method="segments"
        )
        assert "2006-01–2006-01" in result.reason

    def test_constant_series_has_zero_cycle_and_says_so(self):
        result = hp_decompose(pd.Series(5.0, index=range(2000, 2020)), "annual")
        assert result.ok
        np.testing.assert_allclose(result.cycle, 0, atol=1e-9)
        assert any("constant" in note for note in result.notes)

    def test_cf_band_and_length(self):
        series = pd.Series(np.arange(20.0), index=range(2000, 2020))
        assert "twice the longest period" in cf_decompose(series, "annual", 2, 12).reason
        assert "band" in cf_decompose(series, "annual", 8, 2).reason

    @pytest.mark.parametrize(
        ("values", "reason"),
        [
            (np.ones(10), "2-D"),
            (np.ones((3, 2)), "too few observations: 2, need at least 3"),
            (np.array([[1.0, 2.0, np.nan]]), "series 0, observation 2"),
            ([["a", "b", "c"]], "not numbers"),
        ],
    )
    def test_batch_refuses(self, values, reason):
        result = hp_filter_batch(values, 100)
        assert not result.ok
        assert reason in result.reason
