"""The budget of renders an anonymous address may cost a minute (issue #18): whatever the page
cache cannot answer (a page asked for the first time, values never asked before, a made-up
session cookie that keeps the cache away) is counted per client address; the cache's answers,
signed-in people, valid API keys and the health check are not."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import Client

from mineralstrategi import visitors
from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.services import api_token_create
from mineralstrategi.visitors import RENDER_BUDGET_CACHE

pytestmark = pytest.mark.django_db

BUDGET = 3
ADDRESS = "198.51.100.20"


@pytest.fixture
def budget(settings, geography, monkeypatch):
    caches[RENDER_BUDGET_CACHE].clear()  # the counts of an earlier test in the same minute
    # The counts are per minute of the clock: a test that spans a minute's end (a slow machine)
    # would start afresh. The test's minute is frozen, one second after it began.
    frozen = (int(time.time()) // 60 + 1) * 60 + 1
    monkeypatch.setattr(visitors, "time", SimpleNamespace(time=lambda: frozen))
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "ANONYMOUS_RENDERS_PER_MINUTE": BUDGET,
    }


def visitor(address: str = ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address)


def spend_the_budget(client: Client) -> None:
    for path in ["/", "/nyheter/", "/evenemang/"]:
        response = client.get(path)
        assert response.status_code == 200 and response["X-Public-Cache"] == "miss", path


def test_an_address_gets_so_many_renders_a_minute_then_a_page_that_says_when(budget):
    client = visitor()
    spend_the_budget(client)
    assert client.get("/nyheter/")["X-Public-Cache"] == "hit"  # the cache's answers are free

    refused = client.get("/om/tillganglighet/")
    page = refused.content.decode()

    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    assert "<h1>För många på kort tid</h1>" in page
    assert "Du har bett om många nya sidor på kort tid. Försök igen om 1 minut." in page
    assert visitor("198.51.100.21").get("/om/tillganglighet/").status_code == 200
    assert client.get("/evenemang/").status_code == 200  # still from the cache


def test_the_api_shares_the_budget_and_answers_in_json(budget):
    client = visitor()
    spend_the_budget(client)

    refused = client.get("/api/municipalities")

    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("too many uncached requests from this address")


def test_extra_parameters_and_made_up_cookies_do_not_escape_it(budget):
    """Extra parameters give the cached page; a made-up session cookie skips the cache, so each
    such request renders, and each is counted."""
    client = visitor()
    client.get("/")
    for n in range(5):
        assert client.get("/", {"x": n})["X-Public-Cache"] == "hit"
    client.cookies["sessionid"] = "made-up"
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 429


def test_people_keys_and_the_health_check_are_not_counted(budget, kiruna, make_member):
    member = make_member(kiruna, Role.VIEWER, "budget_viewer")
    client = visitor()
    spend_the_budget(client)
    assert client.get("/om/kakor/").status_code == 429

    assert client.get("/healthz").status_code == 200
    _, secret = api_token_create(user=member, name="nyckel", days=30)
    keyed = visitor()
    assert (
        keyed.get("/api/municipalities", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    )
    refused = keyed.get("/api/municipalities", HTTP_AUTHORIZATION="Bearer ms_made_up")
    assert refused.status_code == 429
    signed_in = visitor()
    signed_in.force_login(member)
    assert signed_in.get("/om/kakor/").status_code == 200


def test_it_is_off_at_zero(settings, geography):
    """The rest of the suite runs with it off (tests/conftest.py); so do load benchmarks."""
    assert settings.MINERALSTRATEGI["ANONYMOUS_RENDERS_PER_MINUTE"] == 0
    client = visitor()
    for path in ["/", "/nyheter/", "/evenemang/", "/om/kakor/", "/om/tillganglighet/"]:
        assert client.get(path).status_code == 200
