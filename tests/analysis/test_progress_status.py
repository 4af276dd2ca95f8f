"""The Open SDG progress status: thresholds, base averaging, targets of every kind, bad input."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mineralstrategi.analysis.status import (
    Base,
    Direction,
    GrowthMethod,
    Status,
    Target,
    progress_status,
    status_from_rate,
    status_from_ratio,
)


def _series_growing(rate: float, start: int = 2015, end: int = 2023, base_value: float = 100.0):
    return {year: base_value * (1 + rate) ** (year - start) for year in range(start, end + 1)}


class TestThresholds:
    @pytest.mark.parametrize(
        ("ratio", "expected"),
        [
            (10.0, Status.ON_TRACK),
            (0.95, Status.ON_TRACK),
            (math.nextafter(0.95, 0), Status.ACCELERATION_NEEDED),
            (0.60, Status.ACCELERATION_NEEDED),
            (math.nextafter(0.60, 0), Status.LIMITED_PROGRESS),
            (0.0, Status.LIMITED_PROGRESS),
            (-1e-12, Status.DETERIORATION),
        ],
    )
    def test_ratio_boundaries(self, ratio, expected):
        assert status_from_ratio(ratio) is expected

    @pytest.mark.parametrize(
        ("rate", "expected"),
        [
            (0.015, Status.ON_TRACK),
            (0.0149, Status.ACCELERATION_NEEDED),
            (0.005, Status.ACCELERATION_NEEDED),
            (0.0049, Status.LIMITED_PROGRESS),
            (0.0, Status.LIMITED_PROGRESS),
            (-0.0001, Status.DETERIORATION),
        ],
    )
    def test_rate_boundaries_without_target(self, rate, expected):
        assert status_from_rate(rate) is expected

    @pytest.mark.parametrize(
        ("pace", "expected"),
        [
            (0.9501, Status.ON_TRACK),
            (0.9499, Status.ACCELERATION_NEEDED),
            (0.6001, Status.ACCELERATION_NEEDED),
            (0.5999, Status.LIMITED_PROGRESS),
            (0.0001, Status.LIMITED_PROGRESS),
            (-0.0001, Status.DETERIORATION),
        ],
    )
    def test_full_computation_either_side_of_each_threshold(self, pace, expected):
        required = 0.04  # reach 100 * 1.04**15 by 2030
        target = Target(2030, 100 * (1 + required) ** 15)
        observed = pace * required
        result = progress_status(_series_growing(observed), "increase", target, base=2015)
        assert result.ok
        assert result.ratio == pytest.approx(pace, rel=1e-9)
        assert result.status is expected


class TestTargets:
    def test_achieved_when_latest_meets_target(self):
        result = progress_status({2015: 100, 2020: 160}, "increase", Target(2030, 150), base=2015)
        assert result.status is Status.ACHIEVED
        assert "already met" in result.explanation_en

    def test_reduce_target_reads_falling_values_as_progress(self):
        # emissions from 100 to 90 in 5 years; target 50 by 2030
        result = progress_status({2015: 100, 2020: 90}, Direction.DECREASE, Target(2030, 50), 2015)
        observed = 0.9 ** (1 / 5) - 1
        required = 0.5 ** (1 / 15) - 1
        assert result.observed_rate == pytest.approx(observed)
        assert result.required_rate == pytest.approx(required)
        assert result.ratio == pytest.approx(-observed / abs(required))
        assert result.status is Status.LIMITED_PROGRESS  # 46 % of the pace needed

    def test_rising_values_under_a_reduce_target_are_deterioration(self):
        result = progress_status({2015: 100, 2020: 110}, "decrease", Target(2030, 50), 2015)
        assert result.ratio < 0
        assert result.status is Status.DETERIORATION

    def test_relative_reduction_target(self):
        target = Target(2030, change_from_base=-0.3)
        result = progress_status({2015: 200, 2020: 170}, "decrease", target, 2015)
        assert result.target_value == pytest.approx(140)
        assert result.status is Status.ON_TRACK

    def test_keeping_a_level_is_achieved_while_held(self):
        result = progress_status({2015: 100, 2020: 101}, "increase", Target.keep_base_level(2030))
        assert result.status is Status.ACHIEVED

    def test_keeping_a_level_lost_is_deterioration_not_a_division_by_zero(self):
        result = progress_status({2015: 100, 2020: 97}, "increase", Target.keep_base_level(2030))
        assert result.ok
        assert result.ratio is None
        assert result.required_rate == 0
        assert result.status is Status.DETERIORATION
        assert "keep" in result.explanation_en

    def test_base_already_beyond_target_and_moving_away(self):
        # Open SDG's edge case: the base already met the target, the value then fell below it
        result = progress_status({2015: 120, 2020: 90}, "increase", Target(2030, 100), 2015)
        assert result.required_rate < 0
        assert result.status is Status.DETERIORATION

    def test_without_target_uses_fixed_growth_thresholds(self):
        result = progress_status(_series_growing(0.02), "increase", None, 2015)
        assert result.status is Status.ON_TRACK
        assert result.ratio is None
        assert any("1.5 %" in note for note in result.notes)

    def test_target_year_passed_is_noted(self):
        result = progress_status({2015: 100, 2025: 120}, "increase", Target(2020, 150), 2015)
        assert result.ok
        assert any("has passed" in note for note in result.notes)


class TestBase:
    def test_multi_year_average_damps_a_boom_base_year(self):
        # 2015 was a boom year; averaging 2015-2017 puts the base at 2016 with value 100
        series = {2015: 130, 2016: 85, 2017: 85, 2018: 101, 2019: 102, 2020: 104, 2021: 105}
        single = progress_status(series, "increase", Target(2030, 130), base=2015)
        averaged = progress_status(series, "increase", Target(2030, 130), Base(2015, 3))
        assert single.status is Status.DETERIORATION
        assert averaged.base_value == pytest.approx(100)
        assert averaged.base_year == 2016
        assert averaged.observed_rate == pytest.approx((105 / 100) ** (1 / 5) - 1)
        assert averaged.status is Status.LIMITED_PROGRESS
        assert any("mean of 3" in note for note in averaged.notes)

    def test_average_of_first_years_without_a_base_year(self):
        result = progress_status({2010: 90, 2011: 110, 2019: 120}, "increase", None, Base(None, 2))
        assert result.base_year == 2010.5
        assert result.base_value == 100

    def test_missing_base_year_takes_the_next_year_and_says_so(self):
        result = progress_status(
            {2014: 1, 2016: 100, 2020: 120}, "increase", Target(2030, 200), 2015
        )
        assert result.base_year == 2016
        assert any("2016 was used instead" in note for note in result.notes)

    def test_base_from_pandas_series(self):
        series = pd.Series([100.0, 110.0, 121.0], index=[2015, 2016, 2017])
        result = progress_status(series, "increase", Target(2030, 500), 2015)
        assert result.observed_rate == pytest.approx(0.10)


class TestZeroAndNegativeValues:
    def test_zero_base_falls_back_to_linear_growth_and_says_so(self):
        result = progress_status({2015: 0, 2020: 5}, "increase", Target(2030, 30), 2015)
        assert result.method is GrowthMethod.LINEAR
        assert result.observed_rate == 1.0
        assert result.required_rate == 2.0
        assert result.ratio == 0.5
        assert result.status is Status.LIMITED_PROGRESS
        assert "linear" in " ".join(result.notes)
        assert "Linear growth compared" in result.explanation_en
        assert "Linjär" in result.explanation_sv

    def test_negative_values_linear(self):
        # net out-migration shrinking: -40 to -10 in 6 years, target +20 by 2030
        result = progress_status({2015: -40, 2021: -10}, "increase", Target(2030, 20), 2015)
        assert result.method is GrowthMethod.LINEAR
        assert result.ratio == pytest.approx(5 / 4)
        assert result.status is Status.ON_TRACK

    def test_without_target_zero_values_cannot_be_judged(self):
        result = progress_status({2015: 0, 2020: 5}, "increase")
        assert not result.ok
        assert "undefined for zero or negative" in result.reason


class TestBadInput:
    @pytest.mark.parametrize(
        ("series", "reason"),
        [
            ({}, "no observations"),
            ({2015: 100}, "too few observations after the base"),
            ({"year": 1, 2016: 2}, "'year' is not a year"),
            ({2015: "many", 2016: 2}, "not a number"),
            ({2015: math.inf, 2016: 2}, "infinite"),
            ({2015: None, 2016: math.nan}, "no observations"),
            ([1, 2, 3], "expected a mapping"),
        ],
    )
    def test_series_problems_are_named(self, series, reason):
        result = progress_status(series, "increase", Target(2030, 10))
        assert not result.ok
        assert reason in result.reason
        assert result.status is None

    def test_missing_values_are_left_out_with_a_note(self):
        result = progress_status({2015: 100, 2016: None, 2017: 110}, "increase", Target(2030, 200))
        assert result.ok
        assert any("no value for 2016" in note for note in result.notes)

    def test_duplicate_years_refused(self):
        series = pd.Series([1.0, 2.0, 3.0], index=[2015, 2016, 2016])
        result = progress_status(series, "increase")
        assert not result.ok
        assert "2016 occurs more than once" in result.reason

    def test_base_after_all_data(self):
        result = progress_status({2010: 1, 2011: 2}, "increase", base=2015)
        assert "no observation in or after the base year 2015" in result.reason

    def test_base_needs_enough_years(self):
        result = progress_status({2015: 1, 2016: 2}, "increase", base=Base(2015, 3))
        assert "needs 3 observations, there are 2" in result.reason

    def test_target_before_base(self):
        result = progress_status({2015: 1, 2016: 2}, "increase", Target(2010, 5), 2015)
        assert "not after the base year" in result.reason

    def test_unknown_direction(self):
        assert "direction" in progress_status({2015: 1, 2016: 2}, "sideways").reason

    def test_overflowing_growth_is_refused_not_misjudged(self):
        result = progress_status(
            {2000: 1e-300, 2001: 1e300}, "increase", Target(2002, 1e301), base=2000
        )
        assert not result.ok
        assert "too far apart" in result.reason


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(finite, min_size=0, max_size=12),
    target_value=finite,
    target_year=st.integers(1990, 2060),
    direction=st.sampled_from(list(Direction)),
    average_years=st.integers(1, 3),
)
def test_status_never_crashes_on_finite_input(
    values, target_value, target_year, direction, average_years
):
    series = {2010 + i: v for i, v in enumerate(values)}
    result = progress_status(
        series, direction, Target(target_year, target_value), Base(None, average_years)
    )
    if result.ok:
        assert result.status in set(Status)
        assert result.explanation_en and result.explanation_sv
        assert math.isfinite(result.observed_rate)
    else:
        assert result.reason


class TestOpenSdgDefaults:
    """Without a base, Open SDG's: 2015, or the first year after it with data
    (sdg-build ProgressMeasure.py: ``config.get('base_year', 2015)``)."""

    def test_the_base_is_2015_not_the_first_year(self):
        series = {2005: 50.0, 2010: 80.0, 2015: 100.0, 2020: 121.0}
        result = progress_status(series, "increase")
        assert result.base_years == (2015,) and result.base_value == 100
        assert result.observed_rate == pytest.approx(1.21 ** (1 / 5) - 1)

    def test_without_2015_the_first_year_after_it(self):
        result = progress_status({2012: 1.0, 2017: 100.0, 2021: 110.0}, "increase")
        assert result.base_years == (2017,)
        assert any("2017 was used instead" in note for note in result.notes)

    def test_a_series_that_ends_before_2015_cannot_be_judged_and_says_why(self):
        result = progress_status({2008: 1.0, 2012: 2.0}, "increase", name="Kiruna")
        assert result.reason == "Kiruna: no observation in or after the base year 2015"

    def test_the_categories_carry_open_sdg_names(self):
        assert [s.label_en for s in Status] == [
            "target achieved",
            "on track",
            "progress made but acceleration needed",
            "limited progress",
            "deterioration",
        ]


class TestExplanations:
    def test_a_single_base_year_and_swedish_numbers(self):
        result = progress_status(
            {2015: 1234.0, 2020: 1500.0}, "increase", Target(2030, 2500), name="Sysselsatta"
        )
        assert result.explanation_en.startswith(
            "Sysselsatta went from 1,234 in 2015 to 1,500 in 2020, +4.0 % a year; reaching 2,500 "
            "by 2030 needs +4.8 % a year, so the pace is 83 % of what is needed: "
            "progress made but acceleration needed."
        )
        assert result.explanation_sv.startswith(
            "Sysselsatta gick från 1\u00a0234 år 2015 till 1\u00a0500 år 2020, +4,0 % per år; för "
            "att nå 2\u00a0500 till 2030 krävs +4,8 % per år, så takten är 83 % av den som behövs: "
            "framsteg, men takten behöver öka."
        )

    def test_an_averaged_base_is_the_average_of_its_years_never_one_year(self):
        series = {2014: 1100.0, 2015: 1234.0, 2016: 1368.0, 2020: 1500.0}
        result = progress_status(series, "increase", None, Base(2014, 3), name="Sysselsatta")
        assert result.base_value == pytest.approx(1234)
        assert result.explanation_en.startswith(
            "Sysselsatta went from the 2014–2016 average, 1,234, to 1,500 in 2020,"
        )
        assert result.explanation_sv.startswith(
            "Sysselsatta gick från snittet 2014–2016, 1\u00a0234, till 1\u00a0500 år 2020,"
        )
        assert "2015" not in result.explanation_en  # the middle year is not the base

    def test_negative_rates_use_the_minus_sign_in_swedish(self):
        result = progress_status({2015: 100.0, 2020: 90.0}, "increase", name="x")
        assert "−2,1 % per år" in result.explanation_sv
        assert "-2.1 % a year" in result.explanation_en

    def test_an_indicator_in_per_cent_grows_in_per_cent_of_its_level_or_in_points(self):
        """A CAGR of a percentage is a per cent of its level; its linear growth is in points."""
        share = progress_status(
            {2015: 20.0, 2020: 25.0}, "increase", name="Andelen", unit="procent"
        )
        assert share.explanation_en.startswith(
            "Andelen went from 20 % in 2015 to 25 % in 2020, +4.6 % of its level a year"
        )
        assert share.explanation_sv.startswith(
            "Andelen gick från 20 % år 2015 till 25 % år 2020, +4,6 % av nivån per år"
        )
        assert "points" not in share.explanation_en
        linear = progress_status(
            {2015: 0.0, 2020: 5.0}, "increase", Target(2030, 30), 2015, name="Andelen", unit="%"
        )
        assert "+1 percentage points a year" in linear.explanation_en
        assert "+1 procentenheter per år" in linear.explanation_sv
        persons = progress_status(
            {2015: 0.0, 2020: 5.0}, "increase", Target(2030, 30), 2015, name="x", unit="personer"
        )
        assert "+1 personer a year" in persons.explanation_en
        assert "from 0 in 2015 to 5 in 2020" in persons.explanation_en  # no per cent sign
        plain = progress_status({2015: 20.0, 2020: 25.0}, "increase", name="x", unit="personer")
        assert "+4.6 % a year" in plain.explanation_en and "level" not in plain.explanation_en
