"""Fixtures shared by every test: the real geography, organisations, and people with roles.

Chained as in pretix's test suite: geography -> organisation -> member with a role -> client.
"""

import pytest
from django.contrib.auth import get_user_model

from mineralstrategi.organisations.models import Organisation, OrganisationKind, Role
from mineralstrategi.organisations.services import (
    geography_load,
    membership_grant,
    organisation_create,
)

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs half a second a password; tests need the behaviour, not the cost."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Public pages are cached across requests (and processes); each test starts with none, since
    the rollback that ends a test is no write and would leave its pages behind."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PUBLIC_CACHE_ALIAS].clear()


@pytest.fixture
def geography(db):
    """The 21 counties, 290 municipalities and a municipal organisation for each."""
    geography_load()


@pytest.fixture
def skelleftea(geography) -> Organisation:
    return Organisation.objects.get(municipality__code="2482")


@pytest.fixture
def kiruna(geography) -> Organisation:
    return Organisation.objects.get(municipality__code="2584")


@pytest.fixture
def region_vasterbotten(geography) -> Organisation:
    from mineralstrategi.organisations.models import County

    return organisation_create(
        name="Region Västerbotten",
        kind=OrganisationKind.REGION,
        county=County.objects.get(code="24"),
    )


@pytest.fixture
def make_member(db):
    """make_member(organisation, role, username=None) -> a user holding that role there."""
    counter = iter(range(1, 10_000))

    def make(organisation: Organisation, role: str = Role.VIEWER, username: str | None = None):
        user = get_user_model().objects.create_user(
            username=username or f"user{next(counter)}", password="a-long-test-password"
        )
        membership_grant(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "root", "root@mineralstrategi.example", "a-long-test-password"
    )


@pytest.fixture
def soup():
    """soup(response) -> the page parsed, for checks by structure (CSS selectors), not substrings."""
    from bs4 import BeautifulSoup

    def parse(response):
        return BeautifulSoup(response.content.decode(), "html.parser")

    return parse


@pytest.fixture
def run_tasks(transactional_db):
    """run_tasks() -> runs every queued background task in this process, as the worker does.

    Transactional on purpose: the worker closes connections it finds inside a transaction
    (close_old_connections), which under the `db` fixture's wrapping transaction would close the
    test's own connection on PostgreSQL (SQLite's in-memory test database ignores the close).
    """
    from django.core.management import call_command

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo's rows, loaded once for the session (see tests/demo_snapshot.py)."""
    from django.test import override_settings

    from tests.demo_snapshot import demo_snapshot_load

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        return demo_snapshot_load()


@pytest.fixture
def demo_data(demo_snapshot):
    """The demo data in this test's database: use after `db` or `transactional_db`."""
    from tests.demo_snapshot import snapshot_restore

    snapshot_restore(demo_snapshot)
