"""Property-based fuzzing of the whole JSON API with schemathesis, against the schema the app serves.

Every operation in /api/openapi.json is called with generated input (valid and invalid), once
without credentials and once with a personal API key of a user who holds roles, through the real
WSGI application on the demo data. The checks: no server error, every status code, content type
and header is declared for the operation, every body matches its declared schema, and an operation
that needs a key refuses to work without one.

Generated ids and codes rarely name a row, so a share of the examples is steered to real ones
(KNOWN, read from the demo data): those reach the code behind the 404s.

The run is bounded and deterministic (fixed seed, a fixed number of examples per operation, no
example database) so CI stays fast and a failure reproduces. CI sends 10 examples per operation
and way; `API_FUZZ_EXAMPLES=100 pytest tests/api/test_schemathesis.py` is the longer run by hand.
"""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mineralstrategi.config.wsgi import application
from mineralstrategi.consultation.models import ConsultationRound
from mineralstrategi.implementation.models import ActionPlan, Initiative
from mineralstrategi.indicators import services as indicator_services
from mineralstrategi.indicators.models import Commodity, ImportJob, Indicator
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.organisations.services import api_token_create
from mineralstrategi.strategy.models import Section, Strategy
from tests.demo_snapshot import snapshot_restore

# Long; CI runs it once, in the PostgreSQL run (the production database).
pytestmark = pytest.mark.postgresql_in_ci

EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
SEED = 20261126
CSV = b"geo,period,value\n25,2020,5\n24,2021,6.5\n"
DEMO_ORGANISATIONS = [
    "region-vasterbotten",
    "lansstyrelsen-norrbotten",
    "lulea-tekniska-universitet",
]

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

# Real values by parameter, filled from the demo data once it is loaded. Path parameters named
# `code` differ by operation: indicator codes or commodity codes.
KNOWN: dict[str, list] = {}


def _known_path_values(path: str, name: str) -> list:
    if name == "code":
        return KNOWN["commodity_code" if path.startswith("/api/commodities") else "code"]
    return KNOWN.get(name, [])


def _maybe_replaced(container: dict, known: dict[str, list]) -> st.SearchStrategy:
    """The container as generated, or with its known-named entries set to real values."""
    if not isinstance(container, dict):
        return st.just(container)
    names = sorted(name for name in container if known.get(name))
    if not names:
        return st.just(container)
    real = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
    return st.one_of(st.just(container), real.map(lambda values: {**container, **values}))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    path = context.operation.path
    known = {name: _known_path_values(path, name) for name in path_parameters or ()}
    return _maybe_replaced(path_parameters, known)


@schema.hook
def flatmap_query(context, query):
    return _maybe_replaced(query, KNOWN)


@schema.hook
def flatmap_body(context, body):
    """For an import: sometimes a real indicator and well-formed fields, with the generated file
    or a well-formed CSV file (a dry run or not: the import itself never runs, as the task is
    queued only when the test's transaction would commit). For a strategy's setup: sometimes
    real counties, a lead the key's user administers and a period in order."""
    if isinstance(body, dict) and "lead" in body and "county" in body:
        setup = st.builds(
            lambda county, lead: {
                **body,
                "county": [county],
                "lead": lead,
                "start_year": 2026,
                "end_year": 2035,
            },
            st.sampled_from(KNOWN["county"]),
            st.sampled_from(KNOWN["lead"]),
        )
        return st.one_of(st.just(body), setup)
    if not isinstance(body, dict) or "file" not in body:
        return st.just(body)
    real = st.builds(
        lambda code, csv, dry_run: {
            "file": CSV if csv else body["file"],
            "indicator": code,
            "dry_run": dry_run,
        },
        st.sampled_from(KNOWN["code"]),
        st.booleans(),
        st.booleans(),
    )
    return st.one_of(st.just(body), real)


def _remember_known_values() -> None:
    strategy = Strategy.objects.get(slug="mineralstrategi-norrbotten-vasterbotten")
    organisations = Organisation.objects.filter(slug__in=DEMO_ORGANISATIONS)
    KNOWN.update(
        strategy_id=list(Strategy.objects.values_list("pk", flat=True)),
        strategy=[strategy.slug],
        number=[1, 2, 3],
        organisation_id=list(organisations.values_list("pk", flat=True)),
        organisation=list(organisations.values_list("slug", flat=True)),
        code=list(Indicator.objects.order_by("code").values_list("code", flat=True)[:6]),
        commodity_code=list(Commodity.objects.values_list("code", flat=True)),
        initiative_id=list(Initiative.objects.order_by("pk").values_list("pk", flat=True)[:8]),
        plan=list(ActionPlan.objects.values_list("pk", flat=True)),
        section=[str(key) for key in Section.objects.values_list("key", flat=True)[:3]],
        round_id=list(ConsultationRound.objects.values_list("pk", flat=True)),
        geo=["SE", "24", "25", "2584", "2482"],
        county=["24", "25"],
        lead=["region-vasterbotten"],
        municipality=["2584", "2482"],
        year=[2015, 2020, 2024],
    )


def _import_job(user, tmp_path) -> int:
    path = tmp_path / "observations.csv"
    path.write_bytes(CSV)
    job = indicator_services.import_create(
        path=path,
        file_name=path.name,
        kind=ImportJob.Kind.OBSERVATIONS,
        indicator=Indicator.objects.order_by("code").first(),
        user=user,
    )
    return job.pk


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory, demo_snapshot):
    """The demo data (the session's copy, tests/demo_snapshot.py) put in once for the module, inside
    a transaction rolled back at its end, and
    the API key of `strateg` (administrator and strategy editor of Region Västerbotten).

    Each test's own `db` transaction nests as a savepoint, so one operation's writes never leak
    into the next operation's test, and no other module sees the demo data.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        snapshot_restore(demo_snapshot)
        users = get_user_model().objects
        strategist, reader = users.get(username="strateg"), users.get(username="lasare")
        key = api_token_create(user=strategist, name="schemathesis")[1]
        tmp_path = tmp_path_factory.mktemp("imports")
        _remember_known_values()
        KNOWN["import_id"] = [_import_job(strategist, tmp_path), _import_job(reader, tmp_path)]
        yield key
        transaction.set_rollback(True)
    KNOWN.clear()


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


# The database fixture is shared by an operation's examples on purpose: the state they build up
# (an import started, then polled) is part of what is tested.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
# Schemathesis calls the WSGI app straight and reads the body as sent, without decompressing it
# as an HTTP client would: its calls ask for the plain body (compression: tests/caching).
PLAIN = {"Accept-Encoding": "identity"}


@schema.parametrize()
@SHARED_FIXTURES
def test_anonymous_calls(case, wsgi_requests, fuzz_tally):
    with fuzz_tally(f"{case.operation.label} anonymous") as record:
        record(case.call_and_validate(headers=PLAIN, checks=CHECKS))


@schema.parametrize()
@SHARED_FIXTURES
def test_calls_with_an_api_key(case, wsgi_requests, fuzz_tally):
    with fuzz_tally(f"{case.operation.label} with key") as record:
        response = case.call_and_validate(
            headers={**PLAIN, "Authorization": f"Bearer {wsgi_requests}"},
            checks=[*CHECKS, ignored_auth],
        )
        record(response)
