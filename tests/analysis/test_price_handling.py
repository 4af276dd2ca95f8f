"""Prices: deflating, annual means, logs that refuse non-positive prices, the iron ore breaks."""

import numpy as np
import pandas as pd
import pytest

from mineralstrategi.analysis.cycle import hp_decompose
from mineralstrategi.analysis.prices import (
    IRON_ORE_BREAKS,
    annual_price_cycle,
    annualise_monthly,
    deflate,
    log_prices,
)

# An invented deflator (example data): 2 % a year, 2024 = 100.
DEFLATOR = pd.Series([100 / 1.02 ** (2024 - y) for y in range(1960, 2025)], index=range(1960, 2025))


class TestDeflate:
    def test_monthly_prices_with_an_annual_deflator(self, iron_ore):
        result = deflate(iron_ore, DEFLATOR)
        assert result.ok
        expected = iron_ore[pd.Period("2000-03", "M")] * 1.02**24
        assert result.series[pd.Period("2000-03", "M")] == pytest.approx(expected)
        assert result.series[pd.Period("2024-05", "M")] == pytest.approx(iron_ore["2024-05"])
        assert "2024 money" in result.notes[0]

    def test_base_period_and_same_frequency_deflator(self):
        prices = pd.Series([10.0, 20.0], index=[2000, 2001])
        deflator = pd.Series([50.0, 100.0], index=[2000, 2001])
        result = deflate(prices, deflator, "annual", base_period=2000)
        np.testing.assert_allclose(result.series.to_numpy(), [10.0, 10.0])

    def test_missing_deflator_year_is_named(self, iron_ore):
        result = deflate(iron_ore, DEFLATOR.drop(1999))
        assert not result.ok
        assert result.reason == "deflator: no value for 1999, needed for the prices"

    def test_non_positive_deflator_and_unknown_base(self, iron_ore):
        zero = DEFLATOR.copy()
        zero[1970] = 0
        assert "1970 is not positive" in deflate(iron_ore, zero).reason
        assert (
            "no value for the base period 1950"
            in deflate(iron_ore, DEFLATOR, base_period=1950).reason
        )

    def test_deflator_of_another_frequency_is_refused(self, iron_ore):
        quarterly = pd.Series(1.0, index=pd.period_range("1960Q1", "2024Q4", freq="Q"))
        assert "must be monthly or annual" in deflate(iron_ore, quarterly).reason


class TestAnnualise:
    def test_mean_of_the_twelve_months(self, metal_prices):
        copper = metal_prices["copper_usd_per_mt"]
        result = annualise_monthly(copper, min_months=12)
        assert result.series[2023] == pytest.approx(copper["2023-01":"2023-12"].mean())
        assert 2024 not in result.series.index  # 2024 has 11 months
        assert "2024 (11 months)" in result.notes[0]

    def test_near_complete_year_is_kept_and_named(self, iron_ore):
        result = annualise_monthly(iron_ore, min_months=11)
        assert result.series[2024] == pytest.approx(iron_ore["2024-01":"2024-11"].mean())
        assert any("mean of the months available for 2024 (11 months)" in n for n in result.notes)

    def test_missing_months_shorten_a_year(self, iron_ore):
        holes = iron_ore.copy()
        holes[pd.Period("1999-02", "M")] = np.nan
        holes = holes.drop([pd.Period("1999-03", "M")])
        result = annualise_monthly(holes, min_months=11)
        assert 1999 not in result.series.index
        assert "1999 (10 months)" in result.notes[0]

    def test_bad_arguments(self, iron_ore):
        assert "between 1 and 12" in annualise_monthly(iron_ore, min_months=13).reason
        assert "no year has" in annualise_monthly(iron_ore.iloc[:5], min_months=12).reason
        assert "expected a pandas Series" in annualise_monthly([1, 2]).reason


class TestLog:
    def test_logs(self, iron_ore):
        result = log_prices(iron_ore)
        np.testing.assert_allclose(result.series.to_numpy(), np.log(iron_ore.to_numpy()))

    @pytest.mark.parametrize("bad", [0.0, -3.5])
    def test_zero_or_negative_price_is_refused_with_its_period(self, iron_ore, bad):
        prices = iron_ore.copy()
        prices[pd.Period("2000-03", "M")] = bad
        result = log_prices(prices, "iron ore")
        assert not result.ok
        assert result.reason.startswith(f"iron ore: the price for 2000-03 is {bad:g}")
        assert "above zero" in result.reason

    def test_missing_price_is_refused(self, iron_ore):
        prices = iron_ore.copy()
        prices.iloc[0] = np.nan
        assert "no number for 1960-01" in log_prices(prices).reason


class TestAnnualPriceCycle:
    def test_iron_ore_cycle_respects_both_method_changes(self, iron_ore):
        result = annual_price_cycle(iron_ore, DEFLATOR, IRON_ORE_BREAKS, name="iron ore")
        assert result.ok, result.reason
        assert set(result.monthly.level_shifts) == {"2006-01", "2008-12"}
        assert any("62 % Fe" in note for note in result.notes)
        assert result.annual_cycle.index[0] == 1960
        assert result.annual_cycle.index[-1] == 2023  # 2024 is not complete
        # the annual cycle is the mean of the monthly cycle of each year
        monthly = result.monthly.cycle
        assert result.annual_cycle[2009] == pytest.approx(monthly["2009-01":"2009-12"].mean())
        # the 2008-09 crash is a trough of the cycle, the 2021 boom a peak
        assert result.annual_cycle[2009] < -0.2
        assert result.annual_cycle[2021] > 0.2

    def test_same_as_the_steps_by_hand(self, iron_ore):
        result = annual_price_cycle(iron_ore, min_months=12)
        by_hand = hp_decompose(np.log(iron_ore), "monthly").cycle
        expected = by_hand.groupby(by_hand.index.year).mean().loc[:2023]
        np.testing.assert_allclose(result.annual_cycle.to_numpy(), expected.to_numpy())

    def test_zero_price_stops_the_chain_with_the_reason(self, iron_ore):
        prices = iron_ore.copy()
        prices.iloc[5] = 0
        result = annual_price_cycle(prices)
        assert not result.ok
        assert "1960-06 is 0" in result.reason

    def test_missing_deflator_stops_the_chain(self, iron_ore):
        result = annual_price_cycle(iron_ore, DEFLATOR.loc[1990:])
        assert "deflator: no value for 1960" in result.reason
