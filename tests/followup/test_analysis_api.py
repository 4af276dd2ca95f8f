"""The analysis API against the analysis package itself, on the demo's real prices and data."""

import pandas as pd
import pytest

from mineralstrategi.analysis import (
    Base,
    Frequency,
    PriceBreak,
    Target,
    annual_price_cycle,
    cycle_adjust,
    hp_decompose,
)
from mineralstrategi.indicators.models import (
    Commodity,
    Indicator,
    Observation,
    PricePoint,
)
from mineralstrategi.indicators.models import Target as TargetModel

ARRAYS = ("period", "observed", "trend", "cycle", "adjusted", "price_cycle")


def _same(api_values, expected, places=9):
    assert len(api_values) == len(expected)
    for got, want in zip(api_values, expected, strict=True):
        if want is None:
            assert got is None
        else:
            assert got == pytest.approx(want, rel=10**-places, abs=10**-places)


def test_the_arrays_have_equal_length_and_equal_the_analysis_package(client, demo):
    response = client.get("/api/indicators/gruv-investeringar/analysis", {"geo": "25"})
    assert response.status_code == 200
    data = response.json()
    assert len({len(data[name]) for name in ARRAYS}) == 1

    indicator = Indicator.objects.get(code="gruv-investeringar")
    values = {
        int(o.period): o.value
        for o in Observation.objects.filter(indicator=indicator, geo_code="25", breakdown="")
    }
    years = sorted(values)
    commodity = Commodity.objects.get(code="iron_ore")
    monthly = pd.Series(
        dict(PricePoint.objects.filter(commodity=commodity).values_list("month", "value"))
    ).sort_index()
    price = annual_price_cycle(
        monthly, breaks=tuple(PriceBreak(m, "") for m in commodity.break_months), min_months=11
    )
    trend = hp_decompose(pd.Series(values).sort_index(), Frequency.ANNUAL)
    target = TargetModel.objects.get(indicator=indicator, geo_code="25")
    adjustment = cycle_adjust(
        values,
        price.annual_cycle,
        "increase",
        target=Target(target.target_year, target.target_value),
        base=Base(target.baseline_year, target.baseline_years_averaged),
    )

    assert data["period"] == [str(y) for y in years]
    _same(data["observed"], [values[y] for y in years])
    _same(data["trend"], list(trend.trend))
    _same(data["cycle"], list(trend.cycle))
    adjusted = dict(adjustment.adjusted.items())
    _same(data["adjusted"], [adjusted.get(y) for y in years])
    cycle = dict(price.annual_cycle.items())
    _same(data["price_cycle"], [100 * cycle[y] if y in cycle else None for y in years])
    assert data["adjustment"]["elasticity"] == pytest.approx(adjustment.elasticity)
    assert data["adjustment"]["lag"] == adjustment.lag
    assert data["raw_status"]["status"] == adjustment.raw_status.status
    assert data["adjusted_status"]["status"] == adjustment.adjusted_status.status
    lags, correlations = data["lag_correlation"]["lags"], data["lag_correlation"]["correlations"]
    assert len(lags) == len(correlations) == 7
    # the chart shows the correlations the adjustment took its lag from
    leading = max((abs(r), lag) for lag, r in zip(lags, correlations, strict=True) if lag >= 0)
    assert leading[1] == data["adjustment"]["lag"]


def test_an_indicator_that_follows_the_iron_ore_price_gets_a_different_adjusted_verdict(
    client, demo
):
    data = client.get("/api/indicators/gruv-investeringar/analysis", {"geo": "25"}).json()

    assert data["commodity"] == "iron_ore" and data["is_example"]
    assert data["raw_status"]["status"] == "acceleration_needed"
    assert data["adjusted_status"]["status"] == "on_track"
    assert "iron ore price" in data["adjustment"]["sentence"]
    scenario = data["scenario"]
    low, high = scenario["confidence_interval"]
    assert scenario["ok"] and low <= scenario["expected_change"] <= high < 0


def test_an_unknown_place_is_404(client, demo):
    response = client.get("/api/indicators/gruv-investeringar/analysis", {"geo": "9999"})
    assert response.status_code == 404


def test_a_chosen_year_uses_no_later_values_nor_later_prices(client, demo):
    data = client.get(
        "/api/indicators/gruv-investeringar/analysis", {"geo": "25", "year": 2020}
    ).json()

    assert data["period"][-1] == "2020"
    commodity = Commodity.objects.get(code="iron_ore")
    monthly = pd.Series(
        dict(
            PricePoint.objects.filter(commodity=commodity, month__lte="2020-12").values_list(
                "month", "value"
            )
        )
    ).sort_index()
    price = annual_price_cycle(
        monthly, breaks=tuple(PriceBreak(m, "") for m in commodity.break_months), min_months=11
    )
    cycle = dict(price.annual_cycle.items())
    years = [int(p) for p in data["period"]]
    _same(data["price_cycle"], [100 * cycle[y] if y in cycle else None for y in years])
    assert data["raw_status"]["latest_year"] == 2020
