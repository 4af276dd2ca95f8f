"""How provisional the end of a trend and of a cycle-adjusted series is, by pseudo-real-time
re-estimation: the numbers against statsmodels' HP filter run on each cut by hand."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.filters.hp_filter import hpfilter

from mineralstrategi.analysis import (
    IRON_ORE_BREAKS,
    annual_price_cycle,
    cut_years,
    cycle_adjust,
    trend_revisions,
)
from mineralstrategi.analysis.revisions import (
    MAX_CUTS,
    PROVISIONAL_SHARE,
    adjusted_revisions,
    compare_vintages,
)

YEARS = np.arange(1995, 2024)


def _noisy(seed: int = 5) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = YEARS - YEARS[0]
    return pd.Series(
        1000 + 12 * t + 60 * np.sin(2 * np.pi * t / 6) + rng.normal(0, 15, len(t)), index=YEARS
    )


def test_cuts_are_the_last_five_years_each_leaving_ten():
    assert cut_years(range(1995, 2024)) == (2018, 2019, 2020, 2021, 2022)
    assert cut_years(range(2010, 2022)) == (2019, 2020)  # 12 years: two cuts of 10 and 11
    assert cut_years([]) == ()


def test_trend_revisions_equal_statsmodels_on_each_cut():
    series = _noisy()
    result = trend_revisions(series)
    assert result.ok, result.reason
    _, full = hpfilter(series.to_numpy(), 6.25)
    full = pd.Series(full, index=YEARS)
    expected = []
    for cut in range(2018, 2023):
        _, vintage = hpfilter(series.loc[:cut].to_numpy(), 6.25)
        expected.append(full[cut] - vintage[-1])
    assert result.cuts == (2018, 2019, 2020, 2021, 2022)
    assert result.end_revisions == pytest.approx(expected, abs=1e-8)
    assert result.largest == pytest.approx(max(abs(e) for e in expected))
    percents = [100 * abs(e) / full[c] for e, c in zip(expected, result.cuts, strict=True)]
    assert result.largest_percent == pytest.approx(max(percents))
    assert result.largest > 0
    # the end year is always provisional once the end moves; the years far back are not
    assert result.provisional_years[-1] == 2023
    assert 1 <= len(result.provisional_years) < MAX_CUTS


def test_provisional_years_reach_as_far_back_as_revisions_stay_large():
    """By hand: end points moved 10, 8 and 3; one year back at most 4 (at least a quarter of
    10), two years back at most 1 (less): the last two years are provisional."""
    full = pd.Series(100.0, index=range(2000, 2020))
    vintages = {}
    for cut, moves in {2016: [1, 4, 10], 2017: [0, 2, 8], 2018: [0, 1, 3]}.items():
        vintage = full.loc[:cut].copy()
        for distance, move in enumerate(reversed(moves)):
            vintage[cut - distance] -= move
        vintages[cut] = vintage
    result = compare_vintages(full, vintages)
    assert result.end_revisions == (10.0, 8.0, 3.0)
    assert result.by_distance == (10.0, 4.0, 1.0)
    assert PROVISIONAL_SHARE * 10.0 <= 4.0
    assert result.provisional_years == (2018, 2019)
    assert (result.largest, result.largest_percent) == (10.0, 10.0)


def test_a_straight_line_is_final_at_once():
    line = pd.Series(50.0 + 3.0 * (YEARS - YEARS[0]), index=YEARS)
    result = trend_revisions(line)
    assert result.ok
    assert result.largest == pytest.approx(0, abs=1e-9)
    assert result.provisional_years == ()


def test_too_short_a_series_says_how_many_years_it_needs():
    result = trend_revisions(pd.Series(np.arange(12.0), index=range(2012, 2024)), name="Kiruna")
    assert not result.ok
    assert result.reason == (
        "Kiruna: too few years to measure how provisional the end is: 12, need at least 13 "
        "(10 for each estimate and 3 cuts)"
    )
    assert (result.years_available, result.years_needed) == (12, 13)
    assert "gap in the series" in trend_revisions(_noisy().drop(2010)).reason


def test_the_cycle_adjusted_end_moves_with_the_price_cycle_known_at_each_cut(iron_ore):
    """Real iron ore prices: at each cut the price cycle is estimated from the prices up to that
    December, and the elasticity and lag again; the revisions are those of the adjusted values."""
    full_cycle = annual_price_cycle(iron_ore, breaks=IRON_ORE_BREAKS).annual_cycle
    rng = np.random.default_rng(3)
    employment = pd.Series(
        1500 * 1.01 ** (YEARS - YEARS[0])
        * np.exp(0.6 * full_cycle.loc[YEARS - 1].to_numpy() + rng.normal(0, 0.02, len(YEARS))),
        index=YEARS,
    )  # fmt: skip
    full = cycle_adjust(employment, full_cycle, "increase")
    price_cycles = {
        cut: annual_price_cycle(
            iron_ore[iron_ore.index <= pd.Period(f"{cut}-12", "M")], breaks=IRON_ORE_BREAKS
        ).annual_cycle
        for cut in cut_years(YEARS)
    }
    result = adjusted_revisions(employment, full.adjusted, price_cycles)
    assert result.ok, result.reason
    by_hand = []
    for cut in result.cuts:
        vintage = cycle_adjust(employment.loc[:cut], price_cycles[cut], "increase")
        by_hand.append(full.adjusted[cut] - vintage.adjusted[cut])
    assert result.end_revisions == pytest.approx(by_hand, rel=1e-9)
    assert result.largest_percent == pytest.approx(
        max(100 * abs(r) / full.adjusted[c] for r, c in zip(by_hand, result.cuts, strict=True))
    )
    assert result.by_distance[0] == max(result.by_distance) == result.largest
    # every year moves a little when the elasticity is estimated again: that is not end-point
    assert result.settled > 0
    # the monthly price cycle's end effect reaches back further than the annual trend's: the
    # adjusted values two to four years back still moved by more than a quarter of the end's
    reach = [d for d, r in enumerate(result.by_distance)
             if r - result.settled >= PROVISIONAL_SHARE * (result.largest - result.settled)]  # fmt: skip
    assert result.provisional_years == tuple(range(2023 - max(reach), 2024))
    assert len(result.provisional_years) > len(trend_revisions(employment).provisional_years)


def test_cuts_without_an_adjustment_are_left_out_and_named(iron_ore):
    full_cycle = annual_price_cycle(iron_ore, breaks=IRON_ORE_BREAKS).annual_cycle
    employment = pd.Series(np.exp(7 + 0.8 * full_cycle.loc[YEARS].to_numpy()), index=YEARS)
    full = cycle_adjust(employment, full_cycle, "increase", lag=0)
    flat = pd.Series(0.0, index=range(1960, 2024))
    price_cycles = dict.fromkeys(cut_years(YEARS), full_cycle) | {2018: flat}
    result = adjusted_revisions(employment, full.adjusted, price_cycles)
    assert result.ok
    assert result.cuts == (2019, 2020, 2021, 2022)
    assert any(note.startswith("cut at 2018: no adjustment") for note in result.notes)
