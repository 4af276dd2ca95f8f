"""Pages go out gzip-compressed to browsers that accept it: cached pages compressed once when kept,
logged-in pages as they are made; downloads that are compressed already are left alone."""

import gzip
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from mineralstrategi.portal import services
from mineralstrategi.portal.rules import EDITORS_GROUP

NEWS = "/nyheter/"
GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def article(db):
    editor = get_user_model().objects.create_user(
        username="redaktor", password="x" * 20, is_staff=True
    )
    editor.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    return services.article_save(
        user=editor,
        title="Strategin är antagen",
        body_markdown="Ett stycke text. " * 40,
        status="published",
        published_at=timezone.now() - timedelta(hours=1),
    )


def _text(response) -> str:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def test_a_cached_page_is_sent_compressed_to_a_browser_that_accepts_gzip(client, article):
    plain = client.get(NEWS)  # the miss: kept plain and compressed
    compressed = client.get(NEWS, headers=GZIP)

    assert compressed["X-Public-Cache"] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) == len(compressed.content)
    assert len(compressed.content) * 2 < len(plain.content)
    assert _text(compressed) == plain.content.decode()
    assert "Accept-Encoding" in compressed["Vary"] and "Cookie" in compressed["Vary"]
    assert article.title in _text(compressed)


def test_a_browser_that_does_not_accept_gzip_gets_the_cached_page_plain(client, article):
    client.get(NEWS, headers=GZIP)
    plain = client.get(NEWS)

    assert plain["X-Public-Cache"] == "hit"
    assert not plain.has_header("Content-Encoding")
    assert int(plain["Content-Length"]) == len(plain.content)
    assert article.title in plain.content.decode()


def test_the_first_render_is_compressed_too(client, article):
    first = client.get(NEWS, headers=GZIP)

    assert first["X-Public-Cache"] == "miss"
    assert first["Content-Encoding"] == "gzip"
    assert article.title in _text(first)


def test_a_logged_in_page_is_compressed_as_it_goes_out(client, article, django_user_model):
    reader = django_user_model.objects.create_user(username="lasare", password="x" * 20)
    client.force_login(reader)

    response = client.get(NEWS, headers=GZIP)

    assert "X-Public-Cache" not in response
    assert response["Content-Encoding"] == "gzip"
    assert article.title in _text(response)
    assert "lasare" in _text(response)


def test_the_api_answers_compressed(client, article):
    """With several articles: a list of one is about 300 bytes, which gzip with the random
    padding Django adds against BREACH (up to 100 bytes) sometimes does not make smaller, and
    then rightly leaves plain."""
    for n in range(4):
        services.article_save(
            user=article.author, title=f"Ännu en nyhet {n}", body_markdown="Text. " * 40,
            status="published", published_at=article.published_at,
        )  # fmt: skip
    response = client.get("/api/news", headers=GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert article.title in [item["title"] for item in json.loads(_text(response))["items"]]


def test_a_pdf_is_not_compressed_again(client, db):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from mineralstrategi.caching.compression import TextGZipMiddleware

    pdf = HttpResponse(b"%PDF-1.7 " + b"0" * 5000, content_type="application/pdf")
    request = RequestFactory().get("/", headers=GZIP)

    answered = TextGZipMiddleware(lambda request: pdf)(request)

    assert not answered.has_header("Content-Encoding")
    assert answered.content.startswith(b"%PDF")
