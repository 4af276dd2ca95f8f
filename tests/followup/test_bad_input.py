"""Series the analysis cannot judge: the API and the page say why; nothing crashes."""

import pytest
from django.conf import settings
from django.utils import translation

from mineralstrategi.indicators.models import Commodity, Indicator, Observation, PricePoint


@pytest.fixture
def exposed(region_vasterbotten):
    commodity = Commodity.objects.create(code="iron_ore", name="Iron ore", unit="USD/dmtu")
    PricePoint.objects.bulk_create(
        PricePoint(commodity=commodity, month=f"{year}-{month:02d}", value=50 + year % 7 + month)
        for year in range(2000, 2025)
        for month in range(1, 13)
    )
    indicator = Indicator.objects.create(
        code="sysselsatta", name="Sysselsatta", definition="Antal.", unit="personer",
        dimension="economic", desired_direction="increase", source_organisation="SCB",
        owner=region_vasterbotten, exposed_to=commodity,
    )  # fmt: skip
    return indicator, commodity


def observe(indicator, values: dict[int, float]):
    Observation.objects.bulk_create(
        Observation(indicator=indicator, geo_level="county", geo_code="25", period=str(y), value=v)
        for y, v in values.items()
    )


def analysis(client, code="sysselsatta"):
    response = client.get(f"/api/indicators/{code}/analysis", {"geo": "25"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({y: 100 + y % 5 for y in range(2018, 2024)}, "too few observations"),
        ({y: 100 + y % 5 for y in range(2000, 2024) if y != 2010}, "gap in the series"),
        (dict.fromkeys(range(2000, 2024), 100.0), "constant"),
    ],
)
def test_a_series_that_cannot_be_adjusted_says_why(client, exposed, values, reason):
    indicator, _ = exposed
    observe(indicator, values)

    data = analysis(client)

    assert not data["adjusted_status"]["ok"]
    assert reason in data["adjusted_status"]["explanation"]
    assert len({len(data[k]) for k in ("period", "observed", "trend", "cycle", "adjusted")}) == 1


def test_a_zero_price_under_the_log_is_named_and_the_page_says_it(client, exposed):
    indicator, commodity = exposed
    observe(indicator, {y: 100 + 3 * (y - 2000) + y % 4 for y in range(2000, 2025)})
    PricePoint.objects.filter(commodity=commodity, month="2012-05").update(value=0)

    data = analysis(client)
    page = client.get("/en/indikatorer/sysselsatta/", {"geo": "25"})

    assert not data["adjusted_status"]["ok"]
    assert "2012-05" in data["adjusted_status"]["explanation"]
    assert "logarithm" in data["adjusted_status"]["explanation"]
    assert data["raw_status"]["ok"]  # the raw verdict does not need the price
    assert page.status_code == 200
    assert "2012-05" in page.content.decode()


def test_a_year_before_any_value_says_so(client, exposed):
    indicator, _ = exposed
    observe(indicator, {y: 100 + 3 * (y - 2000) for y in range(2000, 2025)})

    data = client.get("/api/indicators/sysselsatta/analysis", {"geo": "25", "year": 1995}).json()

    assert data["period"] == [] and data["observed"] == []
    assert "no annual values up to 1995" in data["raw_status"]["explanation"]
    assert "no annual values up to 1995" in data["adjusted_status"]["explanation"]
    assert "no annual values up to 1995" in data["trend_reason"]


def test_an_indicator_without_a_metal_price_is_judged_raw_only(client, exposed):
    indicator, _ = exposed
    Indicator.objects.filter(pk=indicator.pk).update(exposed_to=None)
    observe(indicator, {y: 100 + 3 * (y - 2000) for y in range(2000, 2025)})

    data = analysis(client)

    assert data["raw_status"]["ok"] and data["trend"][0] is not None
    assert not data["adjusted_status"]["ok"]
    # The API is not under a language prefix, so it answers in the default language (Swedish).
    with translation.override(settings.LANGUAGE_CODE):
        reason = translation.gettext(
            "The indicator is not linked to a metal price, so nothing is adjusted."
        )
    assert reason in data["adjusted_status"]["explanation"]
    assert all(value is None for value in data["adjusted"] + data["price_cycle"])
