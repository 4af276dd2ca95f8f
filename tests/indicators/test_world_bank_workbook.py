"""What the pages and the API show once the World Bank's price workbook is imported: the real
December 2025 edition, imported once for these tests, which only read it."""

from statistics import mean

import pytest

from mineralstrategi.indicators.models import Commodity, ImportJob, Indicator, Observation
from mineralstrategi.indicators.models import PricePoint as StoredPrice

from .test_import_service import run
from .workbook import MONTHS, REAL_WORKBOOK, SERIES, WORKBOOK_SOURCE, sections

METALS_SV = ["Aluminium", "Bly", "Järnmalm", "Koppar", "Nickel", "Tenn", "Zink"]
PRECIOUS_SV = ["Guld", "Platina", "Silver"]
METALS_EN = ["Aluminium", "Copper", "Iron ore", "Lead", "Nickel", "Tin", "Zinc"]


@pytest.fixture(scope="module")
def workbook_in_database(django_db_setup, django_db_blocker):
    """The real workbook imported once for the module (an import takes seconds), removed after."""
    with django_db_blocker.unblock():
        job = run(REAL_WORKBOOK, kind=ImportJob.Kind.PRICES)
    yield job
    with django_db_blocker.unblock():
        Commodity.objects.all().delete()  # and their prices
        ImportJob.objects.filter(pk=job.pk).delete()
        ImportJob.history.filter(id=job.pk).delete()  # the deletion's own record too


@pytest.fixture
def imported(workbook_in_database, db):
    job = workbook_in_database
    assert (job.status, job.errors) == (ImportJob.Status.DONE, [])
    return job


def test_every_unit_and_currency_fits_its_column(imported):
    """On PostgreSQL a long currency overflowed its column; every stored value fits."""
    for field in ("unit", "currency", "group", "group_name", "name", "source"):
        limit = Commodity._meta.get_field(field).max_length
        longest = max(Commodity.objects.values_list(field, flat=True), key=len)
        assert len(longest) <= limit, field
    units = dict(Commodity.objects.values_list("code", "unit"))
    assert (units["plywood"], units["inatgas"], units["logs_cmr"]) == (
        "US cents/sheet",
        "2010=100",
        "USD/m³",
    )
    currencies = dict(Commodity.objects.values_list("code", "currency"))
    assert (currencies["plywood"], currencies["inatgas"], currencies["copper"]) == (
        "US cents",
        "",
        "USD",
    )


# --- the pages ----------------------------------------------------------------------------------


def test_the_metal_prices_page_lists_the_metals_with_source_and_period(client, imported, soup):
    page = soup(client.get("/metallpriser/"))

    groups = sections(page)
    assert list(groups) == ["Metaller och mineral", "Ädelmetaller"]
    assert [row[0] for row in groups["Metaller och mineral"]] == METALS_SV
    assert [row[0] for row in groups["Ädelmetaller"]] == PRECIOUS_SV
    for rows in groups.values():
        for _name, _breaks, _unit, period, source in rows:
            assert (period, source) == ("1960-01–2025-11", WORKBOOK_SOURCE)
    iron_ore = next(r for r in groups["Metaller och mineral"] if r[0] == "Järnmalm")
    assert iron_ore[1:3] == ["Metodbrott: 2006-01, 2008-12", "USD/dmtu"]
    assert page.select_one("a.show-all")["href"] == "?group=all"

    english = sections(soup(client.get("/en/metallpriser/")))
    assert [row[0] for row in english["Metals and minerals"]] == METALS_EN


def test_every_series_is_reachable_by_group_with_a_swedish_name(client, imported, soup):
    page = soup(client.get("/metallpriser/", {"group": "all"}))

    groups = sections(page)
    assert list(groups) == [
        "Energi", "Drycker", "Oljor och mjöl", "Spannmål", "Övriga livsmedel", "Virke",
        "Övriga råvaror", "Gödselmedel", "Metaller och mineral", "Ädelmetaller",
    ]  # fmt: skip
    assert sum(len(rows) for rows in groups.values()) == SERIES
    assert not page.select("section.commodity-group a[lang]")  # no English name on the page
    energy = soup(client.get("/metallpriser/", {"group": "energy"}))
    assert [row[0] for row in sections(energy)["Energi"]][:2] == ["Flytande naturgas (LNG), Japan", "Kol, Australien"]  # fmt: skip
    plywood = next(r for r in groups["Virke"] if r[0] == "Plywood")
    assert plywood[2] == "US-cent/skiva"


def test_the_copper_page_shows_the_latest_month(client, imported, soup):
    page = soup(client.get("/metallpriser/copper/"))

    assert page.h1.text == "Koppar"
    caption = page.select_one("figure figcaption").text
    assert caption.startswith(f"Källa: {WORKBOOK_SOURCE}. Enhet: USD/mt (löpande priser).")
    assert "Period: 1960-01–2025-11." in caption
    last = [td.text for td in page.select("tbody tr")[-1].select("td")]
    assert last == ["2025-11", "10812,03", ""]
    description = page.select_one("section.commodity-description blockquote")
    assert description["lang"] == "en"
    assert description.text.startswith("Copper (LME), grade A")


def test_the_iron_ore_page_marks_its_breaks_in_chart_table_and_text(client, imported, soup):
    page = soup(client.get("/metallpriser/iron_ore/"))

    flagged = {
        row.select("td")[0].text: row.select("td")[2].text for row in page.select("tr.method-break")
    }
    assert list(flagged) == ["2006-01", "2008-12"]
    assert flagged["2006-01"].startswith(
        "Metodbrott: Årliga kontraktspriser (samma pris hela året)"
    )
    assert "62 % Fe, CFR Kina, från december 2008" in flagged["2008-12"]
    for chart in page.select("figure.price-chart svg.svg-chart"):  # wide and narrow
        labels = [t.text for t in chart.select("text.method-break-label")]
        assert labels == ["Metodbrott 2006-01", "Metodbrott 2008-12"]
        lines = [float(line["x1"]) for line in chart.select("line.method-break")]
        assert len(lines) == 2 and lines[0] < lines[1]
        assert len(chart.select("path.series")) == 1
        assert [t.text for t in chart.select("text.legend-entry")] == ["Järnmalm"]
    assert len(page.select("figure.price-chart svg.svg-chart")) == 2
    assert not page.select("canvas, script#chart-data, script[src*='chart']")
    assert "Streckade lodräta linjer markerar" in page.select_one("figcaption").text
    listed = [dt.text for dt in page.select("section.method-breaks dt")]
    assert listed == ["2006-01", "2008-12"]
    english = soup(client.get("/en/metallpriser/iron_ore/"))
    assert [row.select("td")[2].text for row in english.select("tr.method-break")][0] == (
        "Method break: Annual contract prices (flat within each year) until 2005; spot price, "
        "63.5 % Fe, from January 2006."
    )


def test_a_break_the_platform_has_no_words_for_is_shown_in_the_sources_words(
    client, imported, soup
):
    page = soup(client.get("/metallpriser/coal_safrica/"))

    first = page.select("section.method-breaks dd")[0]
    assert first.select_one(".source-wording").text == "Med källans ord:"
    assert first.select_one("q")["lang"] == "en"
    assert first.select_one("q").text.startswith("years 1990-2001")


@pytest.mark.postgresql_in_ci  # pages that render alike on either database: CI reads them once
def test_no_page_of_a_workbook_series_lacks_its_source(client, imported, soup):
    for code in Commodity.objects.values_list("code", flat=True):
        caption = soup(client.get(f"/metallpriser/{code}/")).select_one("figcaption").text
        assert caption.startswith(f"Källa: {WORKBOOK_SOURCE}."), code


# --- the API ------------------------------------------------------------------------------------


def test_the_api_lists_the_metals_by_default_and_any_group_on_request(client, imported):
    metals = client.get("/api/commodities").json()
    assert sorted(c["code"] for c in metals) == sorted(
        ["aluminum", "iron_ore", "copper", "lead", "tin", "nickel", "zinc", "gold", "platinum", "silver"]
    )  # fmt: skip
    iron_ore = next(c for c in metals if c["code"] == "iron_ore")
    assert iron_ore["group"] == "metals_and_minerals"
    assert iron_ore["source_name"] == "Iron ore, cfr spot"
    assert iron_ore["break_months"] == ["2006-01", "2008-12"]
    assert iron_ore["method_breaks"][1]["source_text"].startswith("For years 2008 (December)")
    assert iron_ore["source"] == WORKBOOK_SOURCE
    assert len(client.get("/api/commodities", {"group": "all"}).json()) == SERIES
    energy = client.get("/api/commodities", {"group": "energy"}).json()
    assert len(energy) == 10
    index = next(c for c in energy if c["code"] == "inatgas")
    assert (index["unit"], index["currency"]) == ("2010=100", None)
    assert client.get("/api/commodities", {"group": "Energy; drop"}).status_code == 422


def test_the_api_gives_every_month_of_a_series(client, imported):
    prices = client.get("/api/commodities/iron_ore/prices").json()
    assert len(prices) == MONTHS
    assert prices[-1] == {"period": "2025-11", "value": 102.48}
    copper = client.get("/api/commodities/copper/prices", {"from": "2025-10"}).json()
    assert copper[-1] == {"period": "2025-11", "value": 10812.03}


def test_an_indicator_exposed_to_a_metal_gets_its_cycle_analysis(
    client, imported, employment, soup
):
    iron_ore = Commodity.objects.get(code="iron_ore")
    Indicator.objects.filter(pk=employment.pk).update(exposed_to=iron_ore)
    annual = {}
    for month, value in StoredPrice.objects.filter(commodity=iron_ore).values_list(
        "month", "value"
    ):
        annual.setdefault(int(month[:4]), []).append(value)
    reference = mean(mean(annual[year]) for year in range(2000, 2025))
    Observation.objects.bulk_create(
        Observation(indicator=employment, geo_level="county", geo_code="25", period=str(year),
                    value=round(5000 * (1 + 0.01 * (year - 2000)) * (mean(annual[year]) / reference) ** 0.4))
        for year in range(2000, 2025)
    )  # fmt: skip

    data = client.get(f"/api/indicators/{employment.code}/analysis", {"geo": "25"}).json()

    assert data["commodity"] == "iron_ore"
    assert sum(v is not None for v in data["price_cycle"]) == 25
    assert data["lag_correlation"]["ok"] and data["adjustment"]["ok"], data["adjustment"]
    assert data["lag_correlation"]["best_lag"] == 0
    page = soup(client.get(f"/indikatorer/{employment.code}/"))
    exposed = page.find("dt", string="Mest känslig för").find_next_sibling("dd")
    assert exposed.text == "Järnmalm"


def test_the_fallback_breaks_are_those_the_workbook_states(imported):
    """Files without descriptions get iron ore's breaks from the platform's own list; it must
    say what the workbook says, as the analysis package's list does."""
    from mineralstrategi.analysis import IRON_ORE_BREAKS
    from mineralstrategi.indicators.commodities import FALLBACK_BREAKS

    stated = Commodity.objects.get(code="iron_ore").break_months
    assert list(FALLBACK_BREAKS["iron_ore"]) == stated == [b.period for b in IRON_ORE_BREAKS]
