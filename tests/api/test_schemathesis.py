"""Property-based fuzzing of the whole JSON API with schemathesis, against the schema the app serves.

Every operation in /api/openapi.json is called with generated input (valid and invalid), once
without credentials and once with a personal API key of a user who holds roles, through the real
WSGI application on the demo data. The checks: no server error, every status code and content type
is declared for the operation, every body matches its declared schema, and an operation that
needs a key refuses to work without one.

The run is bounded and deterministic (fixed seed, a fixed number of examples per operation, no
example database) so CI stays fast and a failure reproduces.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mineralstrategi.config.wsgi import application
from mineralstrategi.demo.loader import demo_load
from mineralstrategi.organisations.services import api_token_create

EXAMPLES_PER_OPERATION = 15
SEED = 20261126

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "suppress-health-check": ["too_slow", "filter_too_much"],
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
            "mode": "all",
        },
        "phases": {"stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# The database fixture is shared by an operation's examples on purpose: the state they build up
# (an import started, then polled) is part of what is tested.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker):
    """The demo data loaded once for the module, inside a transaction rolled back at its end.

    Each test's own `db` transaction nests as a savepoint, so one operation's writes never leak
    into the next operation's test, and no other module sees the demo data.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        user = __import__("django.contrib.auth", fromlist=["get_user_model"])
        strategist = user.get_user_model().objects.get(username="strateg")
        key = api_token_create(user=strategist, name="schemathesis")[1]
        yield key
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_requests(demo_database, db, settings, tmp_path):
    """Requests through the WSGI handler keep the test's database connection, as Django's test
    client does: the handler would otherwise close it between requests (close_old_connections),
    which inside the test's transaction loses it. Uploaded files land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield demo_database
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@SHARED_FIXTURES
def test_anonymous_calls(case, wsgi_requests):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@SHARED_FIXTURES
def test_calls_with_an_api_key(case, wsgi_requests):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {wsgi_requests}"}, checks=[*CHECKS, ignored_auth]
    )
