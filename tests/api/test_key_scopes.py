"""Personal API keys in the API: an expired or revoked key is refused with 401 saying which, a key
lacks the scopes it was not given (403 naming the one needed), every write operation declares
the scope it needs, and a key's use is written at most once a minute."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mineralstrategi.indicators.models import ImportJob
from mineralstrategi.organisations.api_auth import ApiKeyAuth
from mineralstrategi.organisations.models import ApiScope, ApiToken, Role
from mineralstrategi.organisations.services import api_token_create, api_token_revoke
from mineralstrategi.strategy.models import Strategy

WRITES = {"post", "put", "patch", "delete"}
IMPORT_PATHS = ("/api/imports",)


@pytest.fixture
def editor(region_vasterbotten, make_member):
    """May import into the region's indicator and set up a strategy (every scope)."""
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def import_file(client, key, indicator="gruv-sysselsatta"):
    upload = SimpleUploadedFile("data.csv", b"geo,period,value\n25,2020,5\n", "text/csv")
    return client.post("/api/imports", {"file": upload, "indicator": indicator}, **bearer(key))


def set_up_strategy(client, key, region):
    form = {
        "name": "Mineralstrategi",
        "county": ["24"],
        "lead": region.slug,
        "start_year": 2026,
        "end_year": 2030,
    }
    return client.post("/api/strategies", form, **bearer(key))


def test_an_expired_key_is_refused_with_401_saying_since_when(client, editor, employment):
    token, key = api_token_create(user=editor, name="script")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC)
    )

    for response in [import_file(client, key), client.get("/api/imports/1", **bearer(key))]:
        assert response.status_code == 401
        assert response.json() == {
            "detail": "API key expired on 2025-03-01: renew it or make a new one on "
            "/konto/api-nycklar/"
        }
    assert not ImportJob.objects.exists()


def test_a_revoked_key_is_refused_with_401_saying_so(client, editor, employment):
    token, key = api_token_create(user=editor, name="script")
    api_token_revoke(token=token)
    today = timezone.localdate().isoformat()

    response = import_file(client, key)

    assert response.status_code == 401
    assert response.json() == {"detail": f"API key revoked on {today}"}
    assert not ImportJob.objects.exists()


def test_a_wrong_secret_learns_nothing_of_the_key(client, editor, employment):
    token, key = api_token_create(user=editor, name="script")
    api_token_revoke(token=token)
    forged = key[: -len("abc")] + "abc"

    response = import_file(client, forged)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_read_only_key_may_not_import_and_is_told_the_scope_needed(client, editor, employment):
    key = api_token_create(user=editor, name="reader", scopes=[ApiScope.READ])[1]

    response = import_file(client, key)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "this API key lacks the scope 'import', which this operation needs"
    }
    assert not ImportJob.objects.exists()
    assert client.get("/api/imports/1", **bearer(key)).status_code == 404  # it reads


def test_an_import_key_imports_but_may_not_set_up_a_strategy(
    client, editor, employment, region_vasterbotten
):
    key = api_token_create(user=editor, name="importer", scopes=[ApiScope.IMPORT])[1]

    imported = import_file(client, key)
    assert imported.status_code == 202
    assert client.get(f"/api/imports/{imported.json()['id']}", **bearer(key)).status_code == 200

    refused = set_up_strategy(client, key, region_vasterbotten)
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "this API key lacks the scope 'write', which this operation needs"
    }
    assert not Strategy.objects.exists()


def test_a_write_key_sets_up_a_strategy(client, editor, region_vasterbotten):
    key = api_token_create(user=editor, name="writer", scopes=[ApiScope.WRITE])[1]

    assert set_up_strategy(client, key, region_vasterbotten).status_code == 201


def test_every_write_operation_declares_the_scope_it_needs(client, db):
    """Walks the schema as test_write_limit does: each write takes a key only with a declared
    scope, `import` for the statistics imports and `write` for every other write; each
    operation that takes a key declares one scope, `read` for reads."""
    schema = client.get("/api/openapi.json").json()
    operations = [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    declared = {}
    for method, path, operation in operations:
        for requirement in operation.get("security", []):
            if "ApiKeyAuth" in requirement:
                declared[(method, path)] = requirement["ApiKeyAuth"]

    writes = [(method, path) for method, path, _ in operations if method.lower() in WRITES]
    assert ("POST", "/api/imports") in writes and ("POST", "/api/strategies") in writes
    undeclared = [write for write in writes if not declared.get(write)]
    assert undeclared == [], "give each write auth=api_key_or_session(ApiScope.…)"
    wrong = {
        (method, path): scopes
        for (method, path), scopes in declared.items()
        if scopes
        != [
            "read"
            if method.lower() not in WRITES
            else "import"
            if path.startswith(IMPORT_PATHS)
            else "write"
        ]
    }
    assert wrong == {}
    assert ("GET", "/api/imports/{import_id}") in declared
    described = schema["components"]["securitySchemes"]["ApiKeyAuth"]["description"]
    assert "expiry date" in described and "`import`: Import statistics" in described


def test_a_scope_is_one_of_the_declared():
    with pytest.raises(ValueError, match="no such scope"):
        ApiKeyAuth("admin")


def test_a_keys_use_is_written_at_most_once_a_minute(client, editor):
    token, key = api_token_create(user=editor, name="poller")

    def updates_of_the_key():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/imports/1", **bearer(key)).status_code == 404
        return [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith("UPDATE") and "organisations_apitoken" in query["sql"]
        ]

    assert len(updates_of_the_key()) == 1
    assert updates_of_the_key() == []  # the second request within the minute writes nothing
    token.refresh_from_db()
    assert token.last_used_from == "127.0.0.1"

    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert len(updates_of_the_key()) == 1
    token.refresh_from_db()
    assert token.last_used_at > earlier
