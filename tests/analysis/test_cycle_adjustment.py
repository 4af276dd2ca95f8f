"""Cycle adjustment on the real iron ore cycle: elasticity, adjusted status, sentences, scenario.

The indicator series here are invented (example data) on top of the real World Bank iron ore price.
"""

import re

import numpy as np
import pandas as pd
import pytest

from mineralstrategi.analysis.adjust import Names, cycle_adjust, price_scenario
from mineralstrategi.analysis.prices import IRON_ORE_BREAKS, annual_price_cycle
from mineralstrategi.analysis.status import Base, Status, Target, progress_status

YEARS = np.arange(1995, 2024)
GALLIVARE = Names(
    "mining employment in Gällivare",
    "gruvsysselsättningen i Gällivare",
    "the iron ore price",
    "järnmalmspriset",
)


@pytest.fixture(scope="module")
def ore_cycle(iron_ore):
    """The real annual iron ore price cycle (log points), 1960-2023, breaks respected."""
    return annual_price_cycle(iron_ore, breaks=IRON_ORE_BREAKS).annual_cycle


def _employment(ore_cycle, elasticity=0.6, lag=1, growth=0.01, noise=0.02, seed=3):
    rng = np.random.default_rng(seed)
    structural = 1500 * (1 + growth) ** (YEARS - YEARS[0])
    price_part = np.exp(elasticity * ore_cycle.loc[YEARS - lag].to_numpy())
    return pd.Series(
        structural * price_part * np.exp(rng.normal(0, noise, len(YEARS))), index=YEARS
    )


def test_pure_price_cycle_gives_a_flat_adjusted_series(ore_cycle):
    pure = pd.Series(np.exp(7 + 0.8 * ore_cycle.loc[YEARS].to_numpy()), index=YEARS)
    result = cycle_adjust(pure, ore_cycle, "increase", Target(2030, 2000), base=2015, lag=0)
    assert result.ok, result.reason
    assert result.elasticity == pytest.approx(0.8, abs=1e-10)
    np.testing.assert_allclose(result.adjusted.to_numpy(), np.exp(7), rtol=1e-10)
    assert result.structural_change == pytest.approx(0, abs=1e-10)
    assert result.price_points == pytest.approx(result.change)
    np.testing.assert_allclose(result.price_part + result.adjusted, pure)


def test_recovers_elasticity_lag_and_structural_status(ore_cycle):
    employment = _employment(ore_cycle)
    target = Target(2030, change_from_base=0.25)
    result = cycle_adjust(employment, ore_cycle, "increase", target, base=2015, names=GALLIVARE)
    assert result.ok, result.reason
    assert result.lag == 1
    assert "strongest correlation" in result.lag_source
    low, high = result.confidence_interval
    assert low < 0.6 < high
    assert result.elasticity == pytest.approx(0.6, abs=0.1)
    assert result.standard_error_method.startswith("HAC (Newey–West")
    assert result.observations == len(YEARS)
    # the adjusted verdict is the verdict on the structural growth alone
    structural = pd.Series(1500 * 1.01 ** (YEARS - YEARS[0]), index=YEARS)
    assert (
        result.adjusted_status.status
        is progress_status(structural, "increase", target, 2015).status
    )
    assert result.adjusted_status.observed_rate == pytest.approx(0.01, abs=0.01)


def test_sentences_name_the_change_the_price_points_and_the_structural_verdict(ore_cycle):
    employment = _employment(ore_cycle)
    result = cycle_adjust(
        employment,
        ore_cycle,
        "increase",
        Target(2030, change_from_base=0.25),
        2015,
        names=GALLIVARE,
    )
    change, points, structural = (
        round(v * 100) for v in (result.change, result.price_points, result.structural_change)
    )
    assert result.change == pytest.approx(employment[2023] / employment[2015] - 1)
    assert result.change == pytest.approx(result.price_points + result.structural_change)
    verb = "rose" if change >= 0 else "fell"
    assert result.sentence_en.startswith(
        f"Mining employment in Gällivare {verb} {abs(change)} % since 2015;"
    )
    assert (
        f"the structural trend is {structural:+d} %: {result.adjusted_status.status.label_en}"
        in (result.sentence_en)
    )
    assert f"{abs(points)} points" in result.sentence_en
    assert result.sentence_sv.startswith("Gruvsysselsättningen i Gällivare ")
    assert "sedan 2015;" in result.sentence_sv
    assert "procentenheter" in result.sentence_sv
    assert result.adjusted_status.status.label_sv in result.sentence_sv


def test_boom_years_read_as_price_points(ore_cycle):
    """From the 2015-16 trough to the 2021 boom most of a rise follows the price."""
    employment = _employment(ore_cycle, lag=0, growth=0.005, noise=0.0)
    series = employment.loc[:2021]
    result = cycle_adjust(series, ore_cycle, "increase", Target(2030, 2500), base=2016, lag=0)
    assert result.change > 0.2
    assert result.price_points > 0.8 * result.change
    assert re.search(
        r"rose \d+ % since 2016; \d+ points of that follow the price", result.sentence_en
    )


def test_averaged_base_in_the_sentence(ore_cycle):
    employment = _employment(ore_cycle)
    result = cycle_adjust(employment, ore_cycle, "increase", None, Base(2015, 3), names=GALLIVARE)
    assert "since 2015–2017 (average)" in result.sentence_en
    assert "sedan 2015–2017 (snitt)" in result.sentence_sv


def test_level_transform_for_values_that_cross_zero(ore_cycle):
    rng = np.random.default_rng(8)
    migration = pd.Series(
        -20
        + 2.0 * (YEARS - YEARS[0])
        + 40 * ore_cycle.loc[YEARS].to_numpy()
        + rng.normal(0, 2, len(YEARS)),
        index=YEARS,
    )
    result = cycle_adjust(
        migration, ore_cycle, "increase", Target(2030, 60), 2000, lag=0, transform="level"
    )
    assert result.ok, result.reason
    assert result.elasticity == pytest.approx(40, abs=6)
    assert result.change_unit == "units"


class TestScenario:
    def test_price_falls_thirty_percent(self, ore_cycle):
        result = cycle_adjust(_employment(ore_cycle), ore_cycle, "increase", names=GALLIVARE)
        scenario = price_scenario(result, -0.30)
        b = result.elasticity
        assert scenario.expected_change == pytest.approx(0.7**b - 1)
        low_b, high_b = result.confidence_interval
        assert scenario.confidence_interval == pytest.approx(
            (0.7**high_b - 1, 0.7**low_b - 1), rel=1e-9
        )
        pi_low, pi_high = scenario.prediction_interval
        assert pi_low < scenario.confidence_interval[0] < scenario.expected_change
        assert scenario.expected_change < scenario.confidence_interval[1] < pi_high
        assert scenario.after_years == result.lag == 1
        assert scenario.sentence_en.startswith(
            "If the iron ore price falls 30 % next year, mining employment in Gällivare is expected "
            "to change by -"
        )
        assert "1 year later (95 % interval" in scenario.sentence_en
        assert scenario.sentence_sv.startswith("Om järnmalmspriset faller 30 % nästa år väntas")

    def test_level_scenario_is_in_units(self, ore_cycle):
        pure = pd.Series(100 + 50 * ore_cycle.loc[YEARS].to_numpy(), index=YEARS)
        result = cycle_adjust(pure, ore_cycle, "increase", lag=0, transform="level")
        scenario = price_scenario(result, -0.30)
        assert scenario.change_unit == "units"
        assert scenario.expected_change == pytest.approx(50 * np.log(0.7), rel=1e-8)

    def test_bad_scenarios(self, ore_cycle):
        result = cycle_adjust(_employment(ore_cycle), ore_cycle, "increase")
        assert "above -1" in price_scenario(result, -1.5).reason
        refused = cycle_adjust({2020: 1.0}, ore_cycle, "increase")
        assert "no estimate to build on" in price_scenario(refused).reason


class TestBadInput:
    def test_too_short(self, ore_cycle):
        series = {year: 100.0 + year % 3 for year in range(2015, 2021)}
        result = cycle_adjust(series, ore_cycle, "increase", names=GALLIVARE)
        assert not result.ok
        assert (
            result.reason
            == "mining employment in Gällivare: too few observations: 6, need at least 10"
        )

    def test_gap(self, ore_cycle):
        result = cycle_adjust(_employment(ore_cycle).drop(2010), ore_cycle, "increase")
        assert "gap in the series, no value for 2010" in result.reason

    def test_zero_under_a_log(self, ore_cycle):
        employment = _employment(ore_cycle)
        employment[2012] = 0
        result = cycle_adjust(employment, ore_cycle, "increase")
        assert "the value for 2012 is 0; a log needs values above zero" in result.reason
        assert "transform='level'" in result.reason

    def test_constant_indicator(self, ore_cycle):
        result = cycle_adjust(pd.Series(100.0, index=YEARS), ore_cycle, "increase")
        assert "constant" in result.reason

    def test_too_little_overlap_with_the_price_cycle(self, ore_cycle):
        result = cycle_adjust(_employment(ore_cycle), ore_cycle.loc[:2003], "increase", lag=0)
        assert "too few observations: 9, need at least 10 (at lag 0)" in result.reason

    def test_flat_price_cycle(self):
        flat = pd.Series(0.0, index=range(1980, 2024))
        result = cycle_adjust(pd.Series(np.arange(1.0, 30.0), index=YEARS), flat, "increase")
        assert "price cycle" in result.reason and "constant" in result.reason

    def test_bad_arguments(self, ore_cycle):
        employment = _employment(ore_cycle)
        assert (
            "transform" in cycle_adjust(employment, ore_cycle, "increase", transform="sqrt").reason
        )
        assert "lag must be" in cycle_adjust(employment, ore_cycle, "increase", lag=-1).reason

    def test_status_that_cannot_be_judged_is_noted_not_invented(self, ore_cycle):
        result = cycle_adjust(_employment(ore_cycle), ore_cycle, "increase", base=2030)
        assert result.ok  # the elasticity stands
        assert result.sentence_en == ""
        assert any("no status" in note for note in result.notes)
        assert result.adjusted_status.status is None or result.adjusted_status.status in set(Status)
