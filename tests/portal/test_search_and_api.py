"""Search over news, events, the public strategy and indicators — full-text with the Swedish
configuration on PostgreSQL, a weighted substring search on SQLite — and the portal's API.

Run on both: `pytest tests/portal` (SQLite) and with DATABASE_URL set to PostgreSQL."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mineralstrategi.indicators.models import Indicator
from mineralstrategi.portal import services
from mineralstrategi.portal.search import site_search


@pytest.fixture
def content(editor, adopted_strategy, region_vasterbotten):
    strategy, section = adopted_strategy
    now = timezone.now()
    services.article_save(
        user=editor,
        title="Vattnet runt gruvorna",
        lead="Om vatten.",
        status="published",
        published_at=now - timedelta(days=1),
    )
    services.article_save(
        user=editor,
        title="Renskötsel och industri",
        body_markdown="Samråd om gruvor och renbete.",
        status="published",
        published_at=now - timedelta(days=2),
    )
    services.article_save(user=editor, title="Hemligt utkast om gruvor")
    starts = now + timedelta(days=5)
    services.event_save(
        user=editor,
        title="Seminarium om gruvor i Skellefteå",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Skellefteå",
        status="published",
        published_at=now - timedelta(days=1),
    )
    Indicator.objects.create(
        code="gruv-sysselsatta",
        name="Sysselsatta i gruvor",
        definition="Antal sysselsatta i gruvor och mineralutvinning.",
        unit="personer",
        dimension="economic",
        desired_direction="increase",
        source_organisation="SCB",
        owner=region_vasterbotten,
    )
    return strategy, section


def test_search_finds_every_kind_of_public_content_and_no_draft(content):
    hits = site_search("gruvor")

    titles = [hit.title for hit in hits]
    assert "Hemligt utkast om gruvor" not in titles
    kinds = {hit.kind for hit in hits}
    assert kinds == {"news", "event", "section", "indicator"}
    assert "Renskötsel och industri" in titles


def test_a_title_match_ranks_above_a_body_match(content):
    titles = [hit.title for hit in site_search("gruvor") if hit.kind == "news"]
    assert titles.index("Vattnet runt gruvorna") < titles.index("Renskötsel och industri")


def test_the_adopted_strategy_section_links_to_its_anchor(content):
    strategy, section = content
    hit = next(hit for hit in site_search("vatten") if hit.kind == "section")
    assert hit.url.endswith(f"/version/{section.version.number}/#{section.anchor}")


def test_several_words_must_all_match(content):
    titles = [hit.title for hit in site_search("gruvor renbete")]
    assert titles == ["Renskötsel och industri"]


def test_empty_and_unmatched_queries_find_nothing(content):
    assert site_search("   ") == []
    assert site_search("zyxwvut") == []


def test_swedish_stemming_on_either_database(content):
    # "gruva", "gruvor" and "gruvorna" share one stem in the Swedish configuration.
    titles = {hit.title for hit in site_search("gruva")}
    assert "Vattnet runt gruvorna" in titles and "Renskötsel och industri" in titles


def test_api_news_events_and_search(client, content):
    news = client.get("/api/news").json()
    assert [item["title"] for item in news["items"]] == [
        "Vattnet runt gruvorna",
        "Renskötsel och industri",
    ]
    assert news["items"][0]["url"].startswith("http://testserver/")

    events = client.get("/api/events").json()
    assert events["items"][0]["place"] == "Skellefteå"
    assert events["items"][0]["ical_url"].endswith("/kalender.ics")

    search = client.get("/api/search", {"q": "gruvor"}).json()
    assert {hit["kind"] for hit in search} == {"news", "event", "section", "indicator"}


def test_search_page(client, content, soup):
    page = soup(client.get("/en/sok/", {"q": "gruvor"}))
    assert page.select_one("form[role=search] input[name=q]")["value"] == "gruvor"
    assert len(page.select(".search-hit")) == 5
    # Grouped by kind, the words found marked, their case kept.
    groups = [h3.contents[0].strip() for h3 in page.select(".search-group h3")]
    assert len(groups) == len(set(groups)) == 4
    marked = {mark.text for mark in page.select(".search-hit mark")}
    assert marked and all(word.casefold().startswith("gruv") for word in marked)


def test_api_lists_have_a_fixed_number_of_queries(
    client, editor, skelleftea, django_assert_num_queries
):
    now = timezone.now()
    for number in range(15):
        services.article_save(
            user=editor,
            title=f"Nyhet {number}",
            status="published",
            published_at=now - timedelta(hours=number + 1),
            organisation=skelleftea,
            tags="a, b",
        )
        starts = now + timedelta(days=number + 1)
        services.event_save(
            user=editor,
            title=f"Möte {number}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            place="Umeå",
            organisation=skelleftea,
            status="published",
        )

    with django_assert_num_queries(3):  # count, page, tags
        assert len(client.get("/api/news").json()["items"]) == 15
    with django_assert_num_queries(2):  # count, page
        assert len(client.get("/api/events").json()["items"]) == 15


def test_admin_lists_the_portal_content(client, superuser, article, seminar):
    client.force_login(superuser)
    for model in ("newsarticle", "event", "comment", "tag"):
        assert client.get(f"/admin/portal/{model}/").status_code == 200, model
    assert client.get(f"/admin/portal/event/{seminar.pk}/change/").status_code == 200


def test_an_address_gets_so_many_new_searches_a_minute(client, content, settings):
    """Every new search reads the index (the page cache cannot hold every word one may type):
    an anonymous address gets ANONYMOUS_SEARCHES_PER_MINUTE of them, then is told to wait.
    A search asked before comes from the cache and is not counted (issue #18)."""
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "ANONYMOUS_SEARCHES_PER_MINUTE": 3}
    for word in ["gruvor", "malm", "koppar"]:
        assert client.get("/sok/", {"q": word}).status_code == 200
    assert client.get("/sok/", {"q": "gruvor"})["X-Public-Cache"] == "hit"

    refused = client.get("/sok/", {"q": "guld"})
    page = refused.content.decode()

    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 60
    assert "<h1>För många på kort tid</h1>" in page
    assert "Du har bett om många nya sidor på kort tid. Försök igen om 1 minut." in page
    other = Client(REMOTE_ADDR="198.51.100.7")  # another address has its own
    assert other.get("/sok/", {"q": "guld"}).status_code == 200
    api = client.get("/api/search", {"q": "silver"})  # the API's search shares the budget
    assert api.status_code == 429 and int(api["Retry-After"]) <= 60
    assert api.json()["detail"].startswith("too many new searches from this address")
