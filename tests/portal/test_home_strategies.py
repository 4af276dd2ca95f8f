"""The home page names the strategies and the counties they cover, whatever region they are for:
no county is fixed in the product."""

from django.urls import reverse

from mineralstrategi.organisations.models import County
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import StrategyStatus


def make(title: str, *county_names: str, status=StrategyStatus.DRAFTING):
    strategy = services.strategy_create(
        title=title,
        start_year=2026,
        end_year=2035,
        counties=County.objects.filter(name__in=county_names),
    )
    strategy.status = status
    strategy.save()
    return strategy


def section_texts(page, heading_id: str) -> list[str]:
    section = page.select_one(f"section[aria-labelledby={heading_id}]")
    return [item.get_text(" ", strip=True) for item in section.select("li")]


def test_the_home_page_shows_every_current_strategy_and_its_counties(client, geography, soup):
    make("Mineralstrategi för Jämtlands län", "Jämtlands län")
    make("Bergslagens mineralstrategi", "Örebro län", "Västmanlands län")
    make("Gammal strategi", "Skåne län", status=StrategyStatus.ARCHIVED)
    page = soup(client.get(reverse("portal:home")))
    strategies = " ".join(section_texts(page, "strategies-heading"))
    assert "Mineralstrategi för Jämtlands län" in strategies
    assert "Bergslagens mineralstrategi" in strategies and "Gammal strategi" not in strategies
    counties = [text.split(" ")[0] for text in section_texts(page, "region-heading")]
    assert sorted(counties) == ["Jämtlands", "Västmanlands", "Örebro"]


def test_a_site_without_strategies_says_so(client, geography, soup):
    page = soup(client.get(reverse("portal:home")))
    assert section_texts(page, "strategies-heading") == ["Ingen strategi har lagts upp ännu."]


def test_a_new_strategy_is_found_by_the_site_search(client, geography, soup):
    strategy = make("Mineralstrategi för Jämtlands län", "Jämtlands län")
    page = soup(client.get(reverse("portal:search"), {"q": "Jämtlands"}))
    links = [a["href"] for a in page.select("main a[href]")]
    assert strategy.get_absolute_url() in links
