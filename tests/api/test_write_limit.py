"""Writes to the JSON API are limited per person (API key or session), counted in the database:
over API_WRITES_PER_HOUR a write gets 429 with Retry-After and the API's error shape, before its
input is read; reads are not counted, and one person's writes leave another's alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineralstrategi.api.api import api
from mineralstrategi.limits.models import RateWindow
from mineralstrategi.organisations.models import Organisation, OrganisationKind, Role
from mineralstrategi.organisations.services import api_token_create, membership_grant

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def two_an_hour(db, settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "API_WRITES_PER_HOUR": 2}


def writer(django_user_model, username: str):
    """A strategy editor of an organisation, whose keys may have the `write` scope."""
    user = django_user_model.objects.create_user(username, password="a-long-test-password")
    organisation, _ = Organisation.objects.get_or_create(
        slug="bolaget", defaults={"name": "Bolaget", "kind": OrganisationKind.COMPANY}
    )
    membership_grant(user=user, organisation=organisation, role=Role.STRATEGY_EDITOR)
    return user


def key_of(django_user_model, username: str) -> dict:
    user = writer(django_user_model, username)
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}"}


def setup(client, key):
    """A strategy set-up naming a lead that does not exist: 422 until the limit, then 429."""
    form = {"name": "X", "county": ["25"], "lead": "nope", "start_year": 2026, "end_year": 2030}
    return client.post("/api/strategies", form, **key)


def test_a_key_over_its_writes_gets_429_with_retry_after_and_the_error_shape(
    client, two_an_hour, django_user_model
):
    key = key_of(django_user_model, "skript")
    answers = [setup(client, key) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [422, 422]

    refused = setup(client, key)

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    detail = refused.json()["detail"]
    assert detail.startswith("too many writes: at most 2 an hour; try again in ")
    assert refused.json() == {"detail": detail}  # ErrorOut, as every other refusal


def test_the_refused_write_is_not_read_and_reads_are_not_counted(
    client, two_an_hour, django_user_model
):
    key = key_of(django_user_model, "skript")
    for _ in range(2):
        setup(client, key)
    for _ in range(3):
        assert client.get("/api/imports/1", **key).status_code == 404

    with CaptureQueriesContext(connection) as queries:
        assert setup(client, key).status_code == 429
    assert not any("strategy" in query["sql"] for query in queries.captured_queries)
    # A key that was not over the limit could write (its third read counted nothing).
    other = key_of(django_user_model, "annan")
    assert setup(client, other).status_code == 422


def test_the_limit_is_the_persons_whichever_key_or_the_session(
    client, two_an_hour, django_user_model
):
    user = writer(django_user_model, "person")
    first = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='a')[1]}"}
    second = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='b')[1]}"}
    setup(client, first)
    setup(client, second)
    assert setup(client, first).status_code == 429
    client.force_login(user)
    assert setup(client, {}).status_code == 429  # the browser's session: the same person
    # One count, under a one-way fingerprint of the person (not the key, not the id as such).
    (key,) = RateWindow.objects.values_list("key", flat=True)
    kind, digest = key.rsplit(":", 1)
    assert kind == "api-write:user" and len(digest) == 40


def test_a_limit_of_zero_is_no_limit(client, db, settings, django_user_model):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "API_WRITES_PER_HOUR": 0}
    key = key_of(django_user_model, "skript")
    assert {setup(client, key).status_code for _ in range(5)} == {422}


def test_every_write_operation_declares_its_429(client, db):
    schema = client.get("/api/openapi.json").json()
    writes = {
        (method.upper(), path): operation["responses"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in WRITES
    }
    assert writes, "no write operation in the schema"
    undeclared = [operation for operation, responses in writes.items() if "429" not in responses]
    assert undeclared == [], "declare **TOO_MANY_WRITES (apikit.responses) on each write"
    assert api.throttle, "the assembled API counts the writes (api.throttling.WriteLimit)"
