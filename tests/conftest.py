"""Fixtures shared by every test: the real geography, organisations, and people with roles.

Chained as in pretix's test suite: geography -> organisation -> member with a role -> client.
"""

import copy
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from mineralstrategi.organisations.models import Organisation, OrganisationKind, Role
from mineralstrategi.organisations.services import (
    geography_load,
    membership_grant,
    organisation_create,
)

TEST_PASSWORD = "a-long-test-password"  # every member `make_member` makes logs in with it
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

Built = TypeVar("Built")


# The pure packages (import-linter keeps Django out of them): their tests read no database, no
# cache and no environment, so they behave the same in either CI run.
PURE_TEST_FOLDERS = ("tests/analysis/", "tests/ingest/")
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(config, items):
    """CI runs the suite on SQLite and on PostgreSQL side by side (MINERALSTRATEGI_CI_SPLIT=1, set
    by .ci/run). A test marked `postgresql_in_ci` runs once there, in the PostgreSQL run: the
    SQLite run leaves it out (deselected, so that no browser test counts as skipped). A test of the pure packages that uses no database runs once, in the
    SQLite run: the PostgreSQL run leaves it out. A plain `pytest` runs everything."""
    import os

    if os.environ.get("MINERALSTRATEGI_CI_SPLIT") != "1":
        return
    if os.environ.get("DATABASE_URL"):
        kept, left_out = [], []
        for item in items:
            pure = item.nodeid.startswith(PURE_TEST_FOLDERS)
            uses_database = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
            (left_out if pure and not uses_database else kept).append(item)
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = kept
        return
    elsewhere = [item for item in items if item.get_closest_marker("postgresql_in_ci")]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_in_ci")]


@pytest.fixture(scope="session", autouse=True)
def quick_flush_on_postgresql():
    """Tests that commit (transactional_db, live_server, run_tasks) empty every table after
    themselves with Django's flush, on PostgreSQL one TRUNCATE of some 200 tables: a new file
    for each, about 0.6 s on a quiet machine and several seconds under CI's load, for hundreds
    of tests. DELETE of the few rows such a test wrote is a fraction of that; the foreign keys
    Django makes are deferrable, so the order does not matter within the flush's transaction.
    Sequences are reset by TRUNCATE's own code when a test asks for it (`reset_sequences`)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def delete_rows(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"DELETE FROM {self.quote_name(table)}" for table in tables
        ]

    DatabaseOperations.sql_flush = delete_rows
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs half a second a password; tests need the behaviour, not the cost."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def no_render_budget(settings):
    """The suite asks for far more pages a minute from one address than a visitor would; the
    budget is off but in the tests that turn it on (tests/accounts/test_render_budget.py)."""
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "ANONYMOUS_RENDERS_PER_MINUTE": 0}


@pytest.fixture(autouse=True)
def swedish_first():
    """Each test starts in the site's default language: a request under /en/ leaves English
    active in the thread, and a later test's reverse() or get_absolute_url() would add /en/."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Public pages are cached across requests (and processes); each test starts with none, since
    the rollback that ends a test is no write and would leave its pages behind."""
    from django.conf import settings
    from django.core.cache import caches

    from mineralstrategi.caching.middleware import RECENT_PAGES
    from mineralstrategi.caching.until_a_write import forget_everything
    from mineralstrategi.cluster.tasks import QUEUED_KEY as NETWORK_QUEUED_KEY

    caches[settings.PUBLIC_CACHE_ALIAS].clear()
    caches["progress"].clear()  # job ids repeat from test to test
    caches["shared"].delete(NETWORK_QUEUED_KEY)  # a computation "queued" by a rolled-back test
    RECENT_PAGES.clear()
    forget_everything()  # values kept until a write, under a token a rolled-back test left


def complete_second_step(client, user) -> None:
    """Mark the client's session as verified with a second factor, as django_otp.login does
    after a right code, using the user's confirmed device (made if there is none)."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mineralstrategi.accounts.policy import otp_required_for

    # A fresh instance: the check caches the user's roles on the object it is given, and the
    # test's own object must not keep a copy that later grants would leave stale.
    if not otp_required_for(get_user_model().objects.get(pk=user.pk)):
        return
    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def meeting_begun(meeting):
    """Let a planned samråd's start time pass, as the clock would: its minutes can be recorded
    only once it has begun (meetings are planned in the future, and registrations close when
    they begin)."""
    import datetime

    from django.utils import timezone

    begun = timezone.now() - datetime.timedelta(hours=2)
    type(meeting).objects.filter(pk=meeting.pk).update(
        held_at=begun, ends_at=begun + datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture(autouse=True)
def force_login_completes_second_step(monkeypatch):
    """In tests, `client.force_login(user)` means "logged in completely": for staff, superusers
    and organisation administrators that includes two-step verification (accounts.policy).

    Test-only: production has no way around the second step. Tests of the second step itself
    log in through the login form, which this does not touch.
    """
    from django.test import Client

    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        complete_second_step(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """module_rows(build) -> build()'s result, its rows written once for the whole test module.

    The matrices run hundreds of tests on one scene; building it for each test cost most of their
    time. Here the rows stay in a transaction that the module's end rolls back, and each test's
    own transaction (the `db` fixture) is a savepoint inside it: a test's writes are undone and the
    next test finds the rows as built. Call it from a module-scoped fixture (never from a test,
    whose savepoint would undo the rows), and give each test `copy.deepcopy` of the result (see
    `fresh`) so that no test sees another's changes to the objects in memory. Only for modules
    without transactional or live-server tests, which would empty the tables.
    """
    atomic = transaction.atomic()
    atomic._from_testcase = True  # a durable block in the code under test may nest in it
    with django_db_blocker.unblock():
        atomic.__enter__()

    def build_once(build: Callable[[], Built]) -> Built:
        with (
            django_db_blocker.unblock(),
            override_settings(
                PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
                MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            ),
        ):
            return build()

    yield build_once
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def fresh(built: Built) -> Built:
    """A test's own copy of objects built once for the module (`module_rows`)."""
    return copy.deepcopy(built)


@pytest.fixture(scope="session")
def geography_rows(django_db_setup, django_db_blocker):
    """The rows `geography_load` writes, loaded once for the session (tests/demo_snapshot.py)."""
    from tests.demo_snapshot import rows_written_by

    with django_db_blocker.unblock():
        return rows_written_by(geography_load)


@pytest.fixture
def geography(db, geography_rows):
    """The 21 counties, 290 municipalities and a municipal organisation for each: the rows of
    `geography_load`, copied in (tests of the loader itself call it)."""
    from tests.demo_snapshot import rows_add

    rows_add(geography_rows)


@pytest.fixture(scope="session")
def framework_rows(django_db_setup, django_db_blocker):
    """The rows `frameworks_load` writes (the reference frameworks and their items), once."""
    from mineralstrategi.strategy.services import frameworks_load
    from tests.demo_snapshot import rows_written_by

    with django_db_blocker.unblock():
        return rows_written_by(frameworks_load)


@pytest.fixture
def frameworks(db, framework_rows):
    """The reference frameworks (SDGs, RUS, …) with their items, copied in."""
    from tests.demo_snapshot import rows_add

    rows_add(framework_rows)


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
        return member_create(organisation, role, username or f"user{next(counter)}")

    return make


def member_create(organisation: Organisation, role: str, username: str):
    """A user holding the role in the organisation (outside fixtures: `make_member`)."""
    user = get_user_model().objects.create_user(username=username, password=TEST_PASSWORD)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


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
        call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)

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


@pytest.fixture
def pdf_of(settings, tmp_path):
    """pdf_of(client, url) -> the answer to a request for a PDF once it is made
    (`mineralstrategi.printing`): the first request queues its making (202, a page that says
    so), the task's work runs here as the worker runs it, and the request is made again. Read
    the PDF with `.getvalue()`. The made files go to the test's own media folder."""
    from mineralstrategi.printing.models import PrintedDocument
    from mineralstrategi.printing.services import document_print

    settings.MEDIA_ROOT = tmp_path / "media"

    def get(client, url: str):
        first = client.get(url)
        if first.status_code != 202:
            return first
        for document in PrintedDocument.objects.exclude(status=PrintedDocument.Status.DONE):
            document_print(document)
        return client.get(url)

    return get


@pytest.fixture
def employment(region_vasterbotten):
    """An indicator of Region Västerbotten's to import into (the indicator and API tests)."""
    from mineralstrategi.indicators.models import Indicator

    return Indicator.objects.create(
        code="gruv-sysselsatta",
        name="Sysselsatta i gruvnäringen",
        definition="Antal sysselsatta.",
        unit="personer",
        dimension="economic",
        desired_direction="increase",
        source_organisation="SCB",
        owner=region_vasterbotten,
    )


# --- Object storage ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """An S3-protocol server for the session, moto's standalone server from PyPI in a process of
    its own on a free loopback port: its endpoint URL. Skipped only where moto is not installed
    (it is in the test extra)."""
    pytest.importorskip(
        "moto.server", reason="moto[server] is not installed: pip install -e .[test]"
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"moto's S3 server did not start on port {port}") from None
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@dataclass
class Bucket:
    name: str
    client: object  # boto3's S3 client, to look into the bucket as the servers would not

    def names(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return sorted(item["Key"] for item in listed)

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=name)["Body"].read()


@pytest.fixture
def s3_media(s3_server, settings, tmp_path):
    """The default storage in a new private bucket of the S3 server, set as MEDIA_STORAGE=s3 and
    the S3_* variables set it (config/settings.py); MEDIA_ROOT a folder that must stay empty."""
    import boto3

    from mineralstrategi.config.settings import s3_media_storage

    environ = {
        "S3_BUCKET": f"media-{uuid.uuid4().hex[:16]}",
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "eu-north-1",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=environ["S3_REGION"],
        aws_access_key_id=environ["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=environ["S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(
        Bucket=environ["S3_BUCKET"],
        CreateBucketConfiguration={"LocationConstraint": environ["S3_REGION"]},
    )
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_storage(environ)}
    settings.MEDIA_ROOT = tmp_path / "media-on-this-server"
    return Bucket(environ["S3_BUCKET"], client)


@pytest.fixture(scope="session")
def built_handbook(tmp_path_factory):
    """The handbook of this checkout, built once (strictly: a warning fails the build)."""
    from mineralstrategi.help.build import handbook_build

    output = tmp_path_factory.mktemp("handbook")
    handbook_build(output)
    return output


@pytest.fixture
def handbook(settings, built_handbook):
    """The platform serving the handbook built from this checkout."""
    settings.HANDBOOK_DIR = built_handbook
    return built_handbook
