"""Calendar-year means: monthly and quarterly observations become one value a year, over complete
years only, and every year left out is named with what it has."""

import math
from pathlib import Path

import pandas as pd
import pytest

from mineralstrategi import ingest
from mineralstrategi.analysis import Frequency, calendar_year_means, progress_status

SCB_MONTHLY = (
    Path(__file__).resolve().parents[1] / "data" / "scb_pxwebapi2_TAB6471_population_monthly.json"
)


def _months(year_values: dict[int, list[float]]) -> dict[str, float]:
    return {
        f"{year}-{month:02d}": value
        for year, values in year_values.items()
        for month, value in enumerate(values, start=1)
    }


def test_the_mean_of_twelve_months_is_the_year():
    values = _months({2022: [float(m) for m in range(1, 13)], 2023: [10.0] * 12})
    result = calendar_year_means(values)
    assert result.ok and result.frequency is Frequency.MONTHLY and result.averaged
    assert result.annual == {2022: 6.5, 2023: 10.0}
    assert result.incomplete == ()


def test_an_incomplete_year_is_left_out_and_named():
    values = _months({2024: [1.0] * 12, 2025: [2.0] * 12, 2026: [3.0] * 4})
    result = calendar_year_means(values, name="Norrbottens län")
    assert result.annual == {2024: 1.0, 2025: 2.0}
    (left_out,) = result.incomplete
    assert (left_out.year, left_out.present, left_out.needed) == (2026, 4, 12)
    assert left_out.text_en == "only 4 of 12 months of 2026"
    assert "only 4 of 12 months of 2026" in result.notes[0]


def test_no_complete_year_says_so_exactly():
    result = calendar_year_means(_months({2026: [5.0, 6.0, 7.0, 8.0]}), name="Norrbottens län")
    assert not result.ok
    assert (
        result.reason == "Norrbottens län: no complete calendar year: only 4 of 12 months of 2026"
    )
    status = progress_status(result.annual, "increase")
    assert not status.ok  # and the reason a caller gives is the one above, not "no observations"


def test_a_missing_month_makes_its_year_incomplete():
    values = _months({2020: [1.0] * 12, 2021: [1.0] * 12})
    values["2021-07"] = None
    values["2020-03"] = math.nan
    result = calendar_year_means(values)
    assert result.annual == {}
    assert [(y.year, y.present) for y in result.incomplete] == [(2020, 11), (2021, 11)]


def test_quarters():
    values = {f"{year}-Q{q}": 10.0 * year + q for year in (2020, 2021) for q in range(1, 5)}
    values["2022-Q1"] = 1.0
    result = calendar_year_means(values)
    assert result.frequency is Frequency.QUARTERLY
    assert result.annual == {2020: 20202.5, 2021: 20212.5}
    assert result.incomplete[0].text_en == "only 1 of 4 quarters of 2022"


def test_years_are_taken_as_published_and_win_over_their_months():
    values = {"2019": 100.0, "2020": 110.0, **_months({2020: [1.0] * 12, 2021: [2.0] * 12})}
    result = calendar_year_means(values)
    assert result.annual == {2019: 100.0, 2020: 110.0, 2021: 2.0}
    assert any("2020 was published as a year" in note for note in result.notes)
    annual_only = calendar_year_means({"2019": 1.0, "2020": None})
    assert annual_only.annual == {2019: 1.0} and annual_only.frequency is Frequency.ANNUAL
    assert not annual_only.averaged


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"2024-13": 1.0}, "'2024-13' is not a year, quarter or month"),
        ({"2024Q1": 1.0}, "'2024Q1' is not a year"),
        ([("2024", 1.0), ("2024", 2.0)], "period 2024 occurs more than once"),
        ({}, "no observations"),
    ],
)
def test_what_cannot_be_read_is_named(values, reason):
    result = calendar_year_means(values, name="s")
    assert not result.ok and reason in result.reason


def test_the_monthly_world_bank_prices_as_calendar_years(metal_prices):
    """1960-01..2024-11: 64 complete years, each the mean of its months; 2024 left out (11)."""
    copper = metal_prices["copper_usd_per_mt"]
    result = calendar_year_means({str(p): v for p, v in copper.items()})
    expected = copper.groupby(copper.index.year).mean().loc[:2023]
    assert list(result.annual) == list(expected.index)
    assert list(result.annual.values()) == pytest.approx(list(expected.to_numpy()), rel=1e-12)
    assert [(y.year, y.present) for y in result.incomplete] == [(2024, 11)]


def test_the_real_scb_monthly_file_has_no_complete_year():
    """SCB's PxWebApi 2 answer (TAB6471, population by month, 2026M01–M04)."""
    stream = ingest.parse(SCB_MONTHLY, None)
    norrbotten = {
        r.period: r.value
        for r in stream
        if r.geography_code == "25"
        and r.dimensions == {"Alder": "20-29"}  # Kon at TotSa, its total
    }
    assert sorted(norrbotten) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    result = calendar_year_means(norrbotten, name="Norrbottens län")
    assert result.frequency is Frequency.MONTHLY
    assert (
        result.reason == "Norrbottens län: no complete calendar year: only 4 of 12 months of 2026"
    )


def test_a_long_monthly_series_gets_a_verdict_on_its_calendar_years():
    months = pd.period_range("2015-01", "2024-12", freq="M")
    values = {str(p): 1000 * 1.02 ** ((p.year - 2015) + (p.month - 1) / 12) for p in months}
    values["2025-01"] = 5000.0  # one month of a new year changes nothing
    result = calendar_year_means(values)
    status = progress_status(result.annual, "increase")
    assert status.ok and status.base_years == (2015,) and status.latest_year == 2024
    assert status.observed_rate == pytest.approx(0.02, abs=1e-9)
