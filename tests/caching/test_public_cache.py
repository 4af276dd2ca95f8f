"""The public page cache: anonymous pages come from the cache, any write is seen on the next read
(in this process and in another), and nothing personal is ever shared."""

import csv
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.caching.invalidation import our_app_labels, public_tables, writes_public_table
from mineralstrategi.caching.middleware import _page_key
from mineralstrategi.indicators.models import ImportJob, Indicator
from mineralstrategi.indicators.services import import_create, import_run
from mineralstrategi.notifications import kinds
from mineralstrategi.notifications.models import Notification
from mineralstrategi.notifications.services import event_record
from mineralstrategi.portal import services
from mineralstrategi.portal.models import NewsArticle
from mineralstrategi.portal.rules import EDITORS_GROUP

NEWS = "/nyheter/"


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(
        username="redaktor", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    return user


@pytest.fixture
def article(editor):
    return services.article_save(
        user=editor,
        title="Strategin är antagen",
        body_markdown="Text.",
        status="published",
        published_at=timezone.now() - timedelta(hours=1),
    )


def test_the_second_anonymous_request_is_served_from_the_cache(
    client, article, django_assert_num_queries
):
    first = client.get(NEWS)
    with django_assert_num_queries(0):
        second = client.get(NEWS)

    assert first.status_code == second.status_code == 200
    assert (first["X-Public-Cache"], second["X-Public-Cache"]) == ("miss", "hit")
    assert second.content == first.content and article.title in second.content.decode()
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        "?utm_source=nyhetsbrev",  # a parameter the page does not read
        "?x=1&y=2",
        "?page=-1",  # a value the page refuses (it shows as without it)
        "?page=abc&x=1",
        "?tag=",  # empty: as without it
    ],
)
def test_parameters_the_page_does_not_read_give_the_cached_page(
    client, article, query, django_assert_num_queries
):
    """Otherwise anyone could make every request render anew by adding `?x=1`, `?x=2`, …"""
    client.get(NEWS)
    with django_assert_num_queries(0):
        response = client.get(NEWS + query)

    assert response.status_code == 200 and response["X-Public-Cache"] == "hit"
    assert article.title in response.content.decode()


def test_the_values_a_page_reads_are_keyed_in_any_order_and_spelling(client, article, editor):
    services.article_save(
        user=editor,
        title="Om gruvor",
        body_markdown="Text.",
        status="published",
        published_at=timezone.now() - timedelta(hours=2),
        tags="gruvor",
    )
    tagged = client.get(NEWS + "?tag=gruvor&page=1")
    shown = tagged.content.decode()

    assert tagged["X-Public-Cache"] == "miss"
    assert "Om gruvor" in shown and article.title not in shown  # not the untagged page's copy
    for same in ["?page=1&tag=gruvor", "?tag=gruvor&page=01&utm_medium=e-post"]:
        response = client.get(NEWS + same)
        assert response["X-Public-Cache"] == "hit", same
        assert response.content == tagged.content
    assert client.get(NEWS + "?tag=gruvor")["X-Public-Cache"] == "miss"  # page 1 by default


def test_the_login_page_keeps_the_address_to_return_to(client, db):
    """Django's auth views read `next` themselves, without a query form: they keep the query."""
    page = client.get("/konto/login/?next=/nyheter/")

    assert 'name="next" value="/nyheter/"' in page.content.decode()


def test_the_api_is_keyed_by_its_whole_address(client, article):
    """Its schemas read the query: an unknown parameter is refused or read there."""
    client.get("/api/news")

    assert client.get("/api/news?x=1")["X-Public-Cache"] == "miss"
    assert client.get("/api/news?x=1")["X-Public-Cache"] == "hit"


def test_api_lists_are_served_from_the_cache(client, article, django_assert_num_queries):
    client.get("/api/news")
    with django_assert_num_queries(0):
        response = client.get("/api/news")

    assert response["X-Public-Cache"] == "hit"
    assert response.json()["items"][0]["title"] == article.title


def test_an_article_written_in_the_editor_view_is_on_the_next_read(client, editor, article):
    assert "Ny nyhet" not in client.get(NEWS).content.decode()
    writer = Client()
    writer.force_login(editor)

    response = writer.post(
        reverse("portal:article_create"),
        {
            "title": "Ny nyhet",
            "body_markdown": "Text",
            "status": "published",
            "published_at": (timezone.localtime() - timedelta(minutes=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )

    assert response.status_code == 302
    assert "Ny nyhet" in client.get(NEWS).content.decode()


def test_a_queryset_update_which_sends_no_signal_is_on_the_next_read(client, article):
    client.get(NEWS)

    NewsArticle.objects.filter(pk=article.pk).update(title="Ändrad rubrik")

    page = client.get(NEWS)
    assert page["X-Public-Cache"] == "miss" and "Ändrad rubrik" in page.content.decode()


def test_a_bulk_import_is_on_the_next_read(client, region_vasterbotten, tmp_path):
    indicator = Indicator.objects.create(
        code="gruv-sysselsatta",
        name="Sysselsatta i gruvnäringen",
        unit="personer",
        dimension="economic",
        desired_direction="increase",
        owner=region_vasterbotten,
    )
    url = f"/api/indicators/{indicator.code}/observations"
    assert client.get(url).json() == []
    path = tmp_path / "observations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["geo", "period", "value"], ["25", 2020, 100]])
    job = import_create(
        path=path, file_name=path.name, kind=ImportJob.Kind.OBSERVATIONS, indicator=indicator
    )

    assert import_run(job, path).status == ImportJob.Status.DONE
    assert [row["value"] for row in client.get(url).json()] == [100]


def test_logged_in_users_never_get_a_cached_page_nor_leave_one(client, editor, article):
    client.get(NEWS)
    client.force_login(editor)

    own = client.get(NEWS)
    client.logout()
    anonymous = Client().get(NEWS)

    assert "X-Public-Cache" not in own and "redaktor" in own.content.decode()
    assert anonymous["X-Public-Cache"] == "hit" and "redaktor" not in anonymous.content.decode()


def test_a_page_with_a_form_never_shares_its_csrf_token(article, soup):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = article.get_absolute_url()

    pages = [first.get(url), second.get(url)]

    tokens = [soup(page).select_one("[name=csrfmiddlewaretoken]")["value"] for page in pages]
    assert all("X-Public-Cache" not in page for page in pages)
    assert tokens[0] != tokens[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    answer = second.post(
        url,
        {
            "name": "Lisa",
            "email": "l@example.se",
            "body": "Bra!",
            "website": "",
            "csrfmiddlewaretoken": tokens[1],
        },
    )
    assert answer.status_code == 302


@pytest.mark.postgresql_in_ci  # with Redis, as CI's PostgreSQL run has it; CI runs it once
def test_a_write_in_another_process_is_seen_by_the_next_read(client, article):
    """The generation lives in the shared cache (files in the data folder, or Redis): another
    process (a second web worker, the task worker, the command line) invalidates this one's pages."""
    client.get(NEWS)
    assert client.get(NEWS)["X-Public-Cache"] == "hit"
    code = (
        "import django; django.setup(); "
        "from mineralstrategi.caching import invalidate_public_cache; invalidate_public_cache()"
    )
    env = {
        **os.environ,
        "MINERALSTRATEGI_DATA_DIR": str(settings.DATA_DIR),
        "DJANGO_SETTINGS_MODULE": "mineralstrategi.config.settings",
    }

    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)

    assert client.get(NEWS)["X-Public-Cache"] == "miss"


def test_the_cache_can_be_turned_off(client, article, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get(NEWS)

    assert "X-Public-Cache" not in client.get(NEWS)


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "portal_newsarticle" ("title") VALUES (%s)', True),
        ('UPDATE "indicators_observation" SET "value" = %s WHERE "id" = %s', True),
        ('DELETE FROM "implementation_initiative_partners" WHERE "id" IN (%s)', True),
        ('UPDATE "auth_user" SET "first_name" = %s WHERE "auth_user"."id" = %s', True),
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('UPDATE "limits_ratewindow" SET "times" = %s WHERE "id" = %s', False),
        ('SELECT "portal_newsarticle"."id" FROM "portal_newsarticle"', False),
        # A person's own rows, which no public page reads (`shown_on_public_pages = False`).
        ('UPDATE "notifications_notification" SET "read_at" = %s WHERE "id" = %s', False),
        ('INSERT INTO "notifications_historicalfollow" ("user_id") VALUES (%s)', False),
        ('INSERT INTO "accounts_signup" ("email") VALUES (%s)', False),
    ],
)
def test_writes_to_the_public_tables_are_recognised(db, sql, writes):
    assert writes_public_table(sql) is writes


def test_every_table_of_our_models_is_watched_and_of_the_others_auth_user_only():
    """A new app of ours is watched without being listed anywhere: its models' tables, their
    history and many-to-many tables included."""
    models = apps.get_models(include_auto_created=True)
    ours = {m._meta.db_table for m in models if m.__module__.startswith("mineralstrategi.")}
    assert {"portal_newsarticle", "strategy_historicalsection"} <= ours
    personal = {
        "notifications_follow", "notifications_historicalfollow", "notifications_event",
        "notifications_notification", "notifications_notificationsettings",
        "notifications_historicalnotificationsettings", "accounts_signup",
        "accounts_historicalsignup", "accounts_joinrequest", "accounts_historicaljoinrequest",
        "accounts_organisationapplication", "accounts_historicalorganisationapplication",
        "limits_ratewindow",  # the counters of the rate limits
        "portal_commentreport",  # who reported a comment (a fingerprint); the count is public
        "printing_printeddocument",  # PDFs made of pages: no page shows the row
        "organisations_apitoken",  # a person's API keys, and when they were last used
        "ops_tasklease", "ops_scheduledjob",  # the workers' and schedulers' bookkeeping
    }  # fmt: skip
    assert public_tables() == (ours - personal) | {"auth_user"}


def test_marking_a_notification_read_leaves_the_public_pages_cached(client, article, editor):
    """A person's own rows are not on public pages: reading one's notifications, the commonest
    write of a logged-in day, must not make every visitor's next page a miss."""
    event = event_record(kinds.SECTION_CHANGED, recipients=[editor], url=NEWS)
    notification = Notification.objects.create(user=editor, event=event)
    client.get(NEWS)
    reader = Client()
    reader.force_login(editor)

    reader.post(reverse("notifications:mark_read"), {"notification": notification.pk})

    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert client.get(NEWS)["X-Public-Cache"] == "hit"
    NewsArticle.objects.filter(pk=article.pk).update(title="Ändrad rubrik")
    assert client.get(NEWS)["X-Public-Cache"] == "miss"


def test_our_apps_come_from_the_app_registry(settings):
    assert {"strategy", "portal", "cluster"} <= our_app_labels()
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "mineralstrategi.cluster"]
    assert "cluster" not in our_app_labels()
    assert "strategy" in our_app_labels()


def test_a_request_for_another_host_is_refused_not_cached(client, article):
    assert client.get(NEWS, HTTP_HOST="evil.example").status_code == 400


def test_a_stale_page_is_rendered_again_once_while_others_get_the_stale_copy(
    client, article, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 1
    client.get(NEWS)
    time.sleep(1.1)
    # Another request is rendering the page again: this one gets the stale copy at once.
    key = _page_key(RequestFactory().get(NEWS))
    caches[settings.PUBLIC_CACHE_ALIAS].add(f"{key}:refresh", 1)
    with django_assert_num_queries(0):
        assert client.get(NEWS)["X-Public-Cache"] == "stale"
    caches[settings.PUBLIC_CACHE_ALIAS].delete(f"{key}:refresh")

    assert client.get(NEWS)["X-Public-Cache"] == "miss"
    assert client.get(NEWS)["X-Public-Cache"] == "hit"


def test_a_hit_comes_from_the_process_memory_without_fetching_the_page_again(client, article):
    client.get(NEWS)
    key = _page_key(RequestFactory().get(NEWS))
    caches[settings.PUBLIC_CACHE_ALIAS].delete(key)  # the shared copy is gone

    assert client.get(NEWS)["X-Public-Cache"] == "hit"

    NewsArticle.objects.filter(pk=article.pk).update(title="Strategin är reviderad")
    response = client.get(NEWS)
    assert response["X-Public-Cache"] == "miss"
    assert "Strategin är reviderad" in response.content.decode()


def test_the_process_memory_keeps_its_byte_bound_dropping_the_oldest_page():
    from mineralstrategi.caching.recent import RecentPages

    pages = RecentPages(max_bytes=100)
    pages.put("a", ("entry a",), 40)
    pages.put("b", ("entry b",), 40)
    assert pages.get("a") == ("entry a",)  # now "b" is the least recently used
    pages.put("c", ("entry c",), 40)
    pages.put("too big", ("entry",), 101)

    assert pages.get("b") is None and pages.get("too big") is None
    assert pages.get("a") and pages.get("c")
    assert pages.size == 80 and len(pages) == 2


def test_the_file_cache_add_is_atomic_between_processes(tmp_path, monkeypatch):
    """The refresh lock: when another process's entry lands between the check and the write,
    `add` fails rather than overwrite it (Django's own file cache overwrites)."""
    from mineralstrategi.caching.backends import AtomicAddFileBasedCache

    cache = AtomicAddFileBasedCache(str(tmp_path), {})
    assert cache.add("lock", "first", 30) is True
    assert cache.add("lock", "second", 30) is False

    monkeypatch.setattr(cache, "has_key", lambda key, version=None: False)  # the race
    assert cache.add("lock", "third", 30) is False
    assert cache.get("lock") == "first"
    assert [p.name for p in tmp_path.iterdir()] == [p.name for p in tmp_path.glob("*.djcache")]


def test_an_expired_lock_can_be_taken_again(tmp_path):
    from mineralstrategi.caching.backends import AtomicAddFileBasedCache

    cache = AtomicAddFileBasedCache(str(tmp_path), {})
    assert cache.add("lock", 1, 1) is True
    time.sleep(1.1)
    assert cache.add("lock", 2, 30) is True
    assert cache.get("lock") == 2


def _concurrent_misses(view, requests: int = 3):
    """`requests` anonymous requests for one page arriving while the first is being rendered."""
    import threading

    from mineralstrategi.caching.middleware import PublicPageCacheMiddleware

    middleware = PublicPageCacheMiddleware(view)
    responses = []
    threads = [
        threading.Thread(target=lambda: responses.append(middleware(RequestFactory().get(NEWS))))
        for _ in range(requests)
    ]
    threads[0].start()
    view.started.wait(5)  # the first request is rendering now
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.2)  # the others have found the page missing
    view.release.set()
    for thread in threads:
        thread.join(10)
    return responses


class _SlowPage:
    """A page that takes until `release` to render, counting its renders."""

    def __init__(self, sets_cookie: bool = False):
        import threading

        self.started, self.release = threading.Event(), threading.Event()
        self.renders, self.sets_cookie = 0, sets_cookie

    def __call__(self, request):
        from django.http import HttpResponse

        self.renders += 1
        self.started.set()
        self.release.wait(5)
        response = HttpResponse(f"render {self.renders}")
        if self.sets_cookie:
            response.set_cookie("csrftoken", "token")
        return response


def test_requests_for_a_page_being_rendered_wait_for_it_rather_than_render_it_too(db):
    page = _SlowPage()
    responses = _concurrent_misses(page)

    assert page.renders == 1
    assert sorted(r["X-Public-Cache"] for r in responses) == ["hit", "hit", "miss"]
    assert {r.content for r in responses} == {b"render 1"}


def test_requests_for_a_page_that_cannot_be_shared_are_rendered_each(db):
    page = _SlowPage(sets_cookie=True)
    responses = _concurrent_misses(page)

    assert page.renders == 3 and len(responses) == 3
    assert all(r.cookies for r in responses)
    # Remembered as not shareable: the next request takes no lock and waits for nobody.
    key = _page_key(RequestFactory().get(NEWS))
    assert caches[settings.PUBLIC_CACHE_ALIAS].get(f"{key}:private") == 1


def test_a_page_known_not_to_be_shareable_waits_for_no_other_request(db, monkeypatch):
    from mineralstrategi.caching import middleware as page_cache

    page = _SlowPage(sets_cookie=True)
    page.release.set()
    _concurrent_misses(page, requests=1)  # now known as not shareable
    monkeypatch.setattr(page_cache, "RENDER_WAIT_SECONDS", 60)
    key = _page_key(RequestFactory().get(NEWS))
    caches[settings.PUBLIC_CACHE_ALIAS].add(f"{key}:refresh", 1, 60)  # as if one were rendering

    started = time.monotonic()
    page_cache.PublicPageCacheMiddleware(page)(RequestFactory().get(NEWS))

    assert page.renders == 2
    assert time.monotonic() - started < 10  # it did not wait the minute for that other render
