"""The site search's stored vectors (`portal/search_index.py`): on PostgreSQL the search reads
them through their GIN index, and every write shows in the very next search; a site's
commodities are found by their Swedish words on either database.

Run on both: SQLite by default, PostgreSQL with DATABASE_URL set (the tests marked
`postgresql_only` are skipped on SQLite, which stores no vectors)."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from mineralstrategi.cluster.models import Site
from mineralstrategi.consultation.models import Answer
from mineralstrategi.organisations.models import County, Municipality, Organisation
from mineralstrategi.portal import services
from mineralstrategi.portal.models import NewsArticle, PublicationStatus, SearchDocument
from mineralstrategi.portal.search import SOURCES, postgres_matches, site_search
from mineralstrategi.portal.search_index import documents_rebuild

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="only PostgreSQL stores search vectors"
)


def found(query: str, kind: str) -> list[str]:
    return [hit.title for hit in site_search(query) if hit.kind == kind]


def page_and_api(client, query: str) -> tuple[str, list[str]]:
    page = client.get("/sok/", {"q": query})
    api = client.get("/api/search", {"q": query})
    assert page.status_code == api.status_code == 200
    return page.content.decode(), [hit["title"] for hit in api.json()]


@pytest.fixture
def site(geography):
    return Site.objects.create(
        name="Testgruvan",
        slug="testgruvan",
        kind="mine",
        status="operating",
        commodities="copper, gold, iron ore",
        municipality=Municipality.objects.get(code="2482"),
        latitude=64.75,
        longitude=20.95,
    )


@pytest.mark.parametrize("query", ["koppar", "guld", "järnmalm", "Koppar", "copper"])
def test_a_sites_commodities_are_found_by_their_swedish_words(site, query):
    assert found(query, "site") == ["Testgruvan"]


def test_a_commodity_word_finds_no_site_without_it(site):
    assert found("zink", "site") == []


def test_a_write_shows_in_the_very_next_search_on_the_page_and_the_api(client, editor):
    """Created, edited, deleted: each shows at once, on the page (with the public page cache on)
    and in the API, on either database."""
    assert "Ortsnamnet Vindelgransele" not in page_and_api(client, "Vindelgransele")[0]

    article = services.article_save(
        user=editor,
        title="Ortsnamnet Vindelgransele",
        body_markdown="Om prospektering.",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    page, api = page_and_api(client, "Vindelgransele")
    assert "Ortsnamnet Vindelgransele" in page and api == ["Ortsnamnet Vindelgransele"]

    services.article_save(user=editor, article=article, title="Ortsnamnet Kristineberg")
    page, api = page_and_api(client, "Vindelgransele")
    assert "Ortsnamnet" not in page and api == []
    page, api = page_and_api(client, "Kristineberg")
    assert "Ortsnamnet Kristineberg" in page and api == ["Ortsnamnet Kristineberg"]

    article.delete()
    page, api = page_and_api(client, "Kristineberg")
    assert "Ortsnamnet" not in page and api == []


@postgresql_only
def test_the_document_follows_its_object_and_goes_with_it(editor):
    article = services.article_save(user=editor, title="Gruvorna", lead="Om vatten.")
    document = SearchDocument.objects.get(kind="news", object_id=article.pk)
    assert document.vector == "'gruv':1A 'vatt':3B"

    pk = article.pk
    article.delete()
    assert not SearchDocument.objects.filter(kind="news", object_id=pk).exists()


@postgresql_only
def test_a_renamed_county_and_organisation_show_in_the_objects_that_name_them(db, demo_data):
    """A municipality is searched by its county's name, a remiss answer by its organisation's:
    renaming those writes the documents of the objects that hold the name."""
    answer = Answer.objects.submitted().select_related("consultee__organisation").first()
    organisation = answer.consultee.organisation
    organisation.name = "Fjällripan Gruv AB"
    organisation.save()
    assert f"{organisation.name}: {answer.consultee.round.title}" in found("Fjällripan", "answer")

    county = County.objects.get(code="25")
    county.name = "Snöripans län"
    county.save(update_fields=["name"])
    assert "Kiruna kommun" in found("Snöripans", "municipality")


@postgresql_only
def test_every_searched_object_has_its_document_and_each_is_what_a_rebuild_writes(db, demo_data):
    """The demo is loaded through the services: what its saves and bulk writes (the frozen
    versions' sections, the geography) left is what writing everything anew gives."""
    for source in SOURCES:
        objects = set(source.model._default_manager.values_list("pk", flat=True))
        documents = set(
            SearchDocument.objects.filter(kind=source.kind).values_list("object_id", flat=True)
        )
        assert objects == documents, source.kind

    def stored():
        return set(SearchDocument.objects.values_list("kind", "object_id", "vector"))

    before = stored()
    documents_rebuild()
    assert stored() == before


@postgresql_only
def test_the_data_migration_writes_what_a_rebuild_writes(db, demo_data):
    from django.apps import apps

    migration = importlib.import_module(
        "mineralstrategi.portal.migrations.0005_search_documents_fill"
    )
    documents_rebuild()
    rebuilt = set(SearchDocument.objects.values_list("kind", "object_id", "vector"))
    SearchDocument.objects.all().delete()

    migration.fill(apps, SimpleNamespace(connection=connection))

    assert set(SearchDocument.objects.values_list("kind", "object_id", "vector")) == rebuilt
    assert {kind for kind, *_rest in rebuilt} == {source.kind for source in SOURCES}


@postgresql_only
def test_the_search_reads_the_gin_index(geography):
    """Over a few thousand news articles, the plan of the search query goes through the index."""
    published = timezone.now() - timedelta(days=1)
    NewsArticle.objects.bulk_create(
        NewsArticle(
            title=f"Nyhet {number}",
            slug=f"nyhet-{number}",
            body_markdown="Om gruvor och vatten." if number % 100 == 0 else "Om annat.",
            status=PublicationStatus.PUBLISHED,
            published_at=published,
        )
        for number in range(3000)
    )
    documents_rebuild()
    with connection.cursor() as cursor:
        # What autovacuum does after a load: the new entries moved from the GIN index's pending
        # list into the index proper, and fresh statistics.
        cursor.execute("SELECT gin_clean_pending_list('search_document_vector'::regclass)")
        cursor.execute("ANALYZE portal_searchdocument, portal_newsarticle")
        cursor.execute("SET LOCAL enable_seqscan = off")
    news = next(source for source in SOURCES if source.kind == "news")

    plan = postgres_matches(news, "gruvor").explain()

    assert "search_document_vector" in plan, plan
    assert len(found("gruvor", "news")) == 25  # PER_SOURCE of the 30 that match


def test_every_source_names_the_model_of_its_queryset(db):
    for source in SOURCES:
        assert source.model is source.queryset().model, source.kind
    assert Organisation in {source.model for source in SOURCES}
