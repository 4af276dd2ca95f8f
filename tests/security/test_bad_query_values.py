"""Bad values in every query parameter of every page: no answer is a server error (5xx).

The pages are found by walking Django's URL resolver, as the permission matrix finds the writes;
a page's parameters are the fields of the query form its view declares
(`mineralstrategi.query.query_parameters`), and `test_no_view_reads_the_query_string_itself`
fails for a view that reads `request.GET` without one, so none is left out. Each of BAD_VALUES
goes to each parameter of each page, one at a time, on the demo data and as a superuser (who may
open every page); Django's own views that read a parameter are listed in DJANGO_PARAMETERS.

Expected: never a 5xx; a NUL character always 400 (`NulCharacterMiddleware`), any other value
dropped by the page's form (the page as without it) or refused by the page (400, 404).

The demo's rows are written once for the module (`module_rows`); each request runs in a savepoint
rolled back after it, so that no request sees another's writes and, on PostgreSQL, a failed query
cannot abort the test's transaction for the requests after it. Both databases in CI: the faults
found were PostgreSQL's (NUL characters) and SQLite's (integers past 64 bits) alike.
"""

import ast
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from mineralstrategi.query import PrefixedField
from tests.conftest import fresh

# Pages given bad query values answer 400, never 500: the same Python on either database; CI
# runs it once, on SQLite.
pytestmark = pytest.mark.sqlite_in_ci

SOURCE = Path(__file__).resolve().parents[2] / "src" / "mineralstrategi"

BAD_VALUES = {
    "NUL": "\x00",
    "NUL inside": "2024\x00",
    "'%00' as text": "%00",
    "-1": "-1",
    "0": "0",
    "10000": "10000",
    "10**30": str(10**30),
    "5,000 digits (past Python's 4,300)": "9" * 5000,
    "1e400": "1e400",
    "nan": "nan",
    "abc": "abc",
    "10,000 characters": "x" * 10_000,
    "a path": "../../etc/passwd",
    "SQL": "' OR 1=1 --",
    "Unicode oddities": "\u202e\ufeffa\u0301\u200b\U0001f600\uffff",
}
# Sent as they stand in the query string: bytes that are not UTF-8, an unfinished escape.
RAW_VALUES = {"not UTF-8": "%FF%FE", "a lone %": "%"}
NUL_VALUES = {"NUL", "NUL inside"}
ONE_BY_ONE = os.environ.get("BAD_VALUES_ONE_BY_ONE") == "1"  # see `crawl`

# Views that are not ours but read a query parameter (Django's).
DJANGO_PARAMETERS = {
    "login": ("next",),
    "set_language": ("next",),
}
# Pages the crawl visits without logging in: logged in, they redirect before reading anything.
ANONYMOUS = {"accounts:signup", "login"}
# What each page answers without parameters (200 unless listed): the crawl reaches the view.
PLAIN_STATUS = {
    "set_language": 302,  # a GET only goes back to `next` (or /)
    "accounts:otp_setup": 302,  # the superuser has a device: to the backup codes
}


# --- The demo's objects named in the pages' addresses -----------------------------------------


@dataclass
class Demo:
    superuser: object
    strategy: str  # the adopted strategy's slug
    round: int
    consultee: int
    indicator: str  # an indicator with observations and a disaggregation
    dimension: str  # one of its disaggregations
    commodity: str
    commenter_token: str


def _demo_build(snapshot) -> Demo:
    from mineralstrategi.consultation.models import ConsultationRound
    from mineralstrategi.indicators.models import Commodity, Indicator
    from mineralstrategi.portal.models import Comment
    from mineralstrategi.portal.services import commenter_token
    from mineralstrategi.strategy.models import Strategy
    from tests.demo_snapshot import snapshot_restore

    snapshot_restore(snapshot)
    strategy = Strategy.objects.filter(adopted_version__isnull=False).order_by("pk").first()
    round_ = ConsultationRound.objects.exclude(sent_at=None).order_by("pk").first()
    indicator = Indicator.objects.exclude(observation_count=0).order_by("code").first()
    # A disaggregation, so that the page's series choice (`d.kon=…`) reads the crawl's values.
    indicator.disaggregations = [
        {"id": "kon", "label": "kön", "categories": [{"id": "1", "label": "män"}]}
    ]
    indicator.save(update_fields=["disaggregations"])
    return Demo(
        superuser=get_user_model().objects.create_superuser(
            "crawler", "crawler@example.se", "a-long-test-password"
        ),
        strategy=strategy.slug,
        round=round_.pk,
        consultee=round_.consultees.order_by("pk").first().pk,
        indicator=indicator.code,
        dimension=indicator.disaggregations[0]["id"],
        commodity=Commodity.objects.order_by("code").first().code,
        commenter_token=commenter_token(Comment.objects.order_by("pk").first().email),
    )


@pytest.fixture(scope="module")
def demo_built(module_rows, demo_snapshot) -> Demo:
    return module_rows(lambda: _demo_build(demo_snapshot))


@pytest.fixture
def demo(db, demo_built, settings, tmp_path) -> Demo:
    settings.MEDIA_ROOT = tmp_path / "media"
    return fresh(demo_built)


# The address of each page that has parameters, from the demo's objects.
ADDRESSES = {
    "implementation:rollup": lambda d: {"slug": d.strategy},
    "implementation:initiative_list": lambda d: {"slug": d.strategy},
    "implementation:action_plans": lambda d: {"slug": d.strategy},
    "indicators:detail": lambda d: {"code": d.indicator},
    "indicators:commodity": lambda d: {"code": d.commodity},
    "strategy:compare": lambda d: {"slug": d.strategy},
    "strategy:traceability": lambda d: {"slug": d.strategy},
    "consultation:answer": lambda d: {"pk": d.round, "consultee": d.consultee},
    "consultation:compilation": lambda d: {"pk": d.round},
    "reports:dashboard": lambda d: {"slug": d.strategy},
    "reports:report": lambda d: {"slug": d.strategy},
    "cycle:wheel": lambda d: {"slug": d.strategy},
    "portal:my_comments": lambda d: {"token": d.commenter_token},
}


# --- Finding the pages and their parameters ----------------------------------------------------


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue  # the admin is Django's; the API checks its input with its schemas
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _parameters(name: str, callback, demo: Demo | None = None) -> dict[str, str | None]:
    """The query parameters the page reads, each with the field of the view's query form that
    reads it (None for Django's views, listed above). A family of prefixed parameters is sent as
    one of the demo's names."""
    if name in DJANGO_PARAMETERS:
        return dict.fromkeys(DJANGO_PARAMETERS[name])
    form = getattr(callback, "query_form", None)
    if form is None:
        return {}
    parameters = {}
    for field_name, field in form.base_fields.items():
        if isinstance(field, PrefixedField):
            parameters[field.prefix + (demo.dimension if demo else "x")] = field_name
        else:
            parameters[field_name] = field_name
    return parameters


def pages_with_parameters() -> dict[str, dict[str, str | None]]:
    return {
        name: parameters
        for name, callback in _walk(get_resolver().url_patterns)
        if (parameters := _parameters(name, callback))
    }


PAGES = pages_with_parameters()


def test_the_crawl_finds_the_pages_with_parameters():
    """The walk still finds what it should (a broken walk would make the crawl pass on nothing),
    and each page whose address has arguments has them above."""
    assert len(PAGES) >= 25, sorted(PAGES)
    assert {"q", "dimension", "export"} <= set(PAGES["indicators:list"])
    assert {"period", "plan", "organisation", "page"} <= set(
        PAGES["implementation:initiative_list"]
    )
    needing = {name for name in PAGES if _needs_arguments(name)}
    assert needing == ADDRESSES.keys(), (
        f"no address: {sorted(needing - ADDRESSES.keys())}; "
        f"no such page: {sorted(ADDRESSES.keys() - needing)}"
    )


def _needs_arguments(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return True
    return False


# Where `.GET` may be read outside a view's query form, and why.
READS_OF_THE_QUERY_STRING = {
    "query.py": "binds each view's query form to request.GET; the NUL check",
    "paging.py": "copies the parameters into the pager's links",
    "audit/views.py": "copies the parameters into the links to the neighbouring pages",
    "accounts/admin_site.py": "the admin's login hands `next` on to the site's login page",
    "caching/middleware.py": "keys a shared page by what its view's form reads, and leaves the "
    "request only that",
}


def test_no_view_reads_the_query_string_itself():
    """A view reads its parameters through a declared query form, so that the crawl below knows
    them and the form checks them; `.GET` is read only in the places listed, for the reason
    given."""
    readers = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.Attribute) and node.attr == "GET" for node in ast.walk(tree)):
            readers.add(path.relative_to(SOURCE).as_posix())
    assert readers == READS_OF_THE_QUERY_STRING.keys()


# --- The crawl ---------------------------------------------------------------------------------


def _get(client, path: str, query: str):
    """The answer to one GET, in a savepoint rolled back after it."""
    with transaction.atomic():
        response = client.get(f"{path}?{query}" if query else path)
        transaction.set_rollback(True)
    return response


def _queries(parameter: str) -> dict[str, str]:
    """Each bad value as the query string that gives it to the parameter."""
    queries = {label: urlencode({parameter: value}) for label, value in BAD_VALUES.items()}
    return queries | {label: f"{quote(parameter)}={raw}" for label, raw in RAW_VALUES.items()}


def _dropped(form, field: str | None, query: str) -> bool:
    """Whether the page's query form drops the value: the view is then given what it is given
    without it."""
    return field is not None and form(QueryDict(query)).values()[field] is None


def crawl(client, name: str, demo: Demo) -> tuple[list[str], int]:
    """(what went wrong, the number of requests) for every bad value in every parameter.

    A value is sent to each parameter alone where the view would see it: a NUL character (the
    middleware's), a value the page's form accepts, every value of Django's views. A value the
    form drops reaches the view as no value at all (the form checks each field on its own, and
    of a repeated parameter the last value), so one request carries every dropped value in its
    parameter: the view is given what the plain page is given, and the request checks only what
    else reads the address (the copies into the links to other pages). With
    BAD_VALUES_ONE_BY_ONE=1 every value goes alone to every parameter (about three times the
    requests), to check that.
    """
    callback = dict(_walk(get_resolver().url_patterns))[name]
    form = getattr(callback, "query_form", None)
    path = reverse(name, kwargs=ADDRESSES[name](demo) if name in ADDRESSES else None)
    if name not in ANONYMOUS:
        client.force_login(demo.superuser)
    client.raise_request_exception = False
    wrong = []
    plain = _get(client, path, "").status_code
    if plain != PLAIN_STATUS.get(name, 200):
        wrong.append(f"without parameters: {plain}")
    sent = 1
    dropped = []
    for parameter, field in _parameters(name, callback, demo).items():
        for label, query in _queries(parameter).items():
            if label not in NUL_VALUES and not ONE_BY_ONE and _dropped(form, field, query):
                dropped.append(query)
                continue
            status = _get(client, path, query).status_code
            sent += 1
            if status >= 500 or (label in NUL_VALUES and status != 400):
                wrong.append(f"{parameter}={label}: {status}")
    if dropped:
        status = _get(client, path, "&".join(dropped)).status_code
        sent += 1
        if status >= 500:
            wrong.append(f"the {len(dropped)} dropped values together: {status}")
    return wrong, sent


@pytest.mark.parametrize("name", sorted(PAGES))
def test_bad_values_give_no_server_error(client, demo, name):
    wrong, _sent = crawl(client, name, demo)
    assert not wrong, f"{name}: {wrong}"


# --- The findings of the issue, as reported -----------------------------------------------------

REPORTED = [
    ("portal:search", "q", "\x00"),  # PostgreSQL
    ("indicators:list", "q", "\x00"),
    ("portal:news_list", "tag", "\x00"),
    ("implementation:initiative_list", "organisation", "\x00"),
    ("implementation:initiative_list", "period", "-1"),  # both databases
    ("implementation:initiative_list", "period", "10000"),
    ("implementation:initiative_list", "period", str(10**30)),
    ("implementation:action_plans", "plan", str(10**30)),  # SQLite
]


@pytest.mark.parametrize(("name", "parameter", "value"), REPORTED)
def test_the_reported_values(client, demo, soup, name, parameter, value):
    """A NUL character: 400, the parameter named; a number out of range: the page as without it."""
    path = reverse(name, kwargs=ADDRESSES[name](demo) if name in ADDRESSES else None)
    client.force_login(demo.superuser)

    response = client.get(path, {parameter: value})

    if "\x00" in value:
        assert response.status_code == 400
        assert [code.text for code in soup(response).select("main p code")] == [parameter] * 2
    else:
        assert response.status_code == 200
        assert soup(response).main.get_text() == soup(client.get(path)).main.get_text()


# --- A NUL character anywhere in a page's address ------------------------------------------------


@pytest.mark.parametrize(
    ("address", "named"),
    [
        ("/sok/?q=gruva&x%00y=1", "x\N{SYMBOL FOR NULL}y"),  # a parameter no page reads
        ("/en/indikatorer/?q=a%00", "q"),  # an English page
        ("/lan/%00/", None),  # the path: a county's code
        ("/admin/indicators/indicator/?q=%00", "q"),  # the admin's search (Django's)
    ],
)
def test_a_nul_character_is_refused_before_any_view(client, superuser, soup, address, named):
    client.force_login(superuser)

    response = client.get(address)

    assert response.status_code == 400
    said = soup(response).select("main p")[0].text
    assert "NUL" in said and (named is None or f"Parametern {named} " in said)


def test_the_api_keeps_its_own_answer_to_a_nul_character(client, db):
    response = client.get("/api/search", {"q": "\x00"})

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "q"]]


# --- The query forms' rules ----------------------------------------------------------------------


def test_a_query_form_gives_checked_values_or_none():
    from django import forms

    from mineralstrategi.query import DecimalCommaField, QueryForm, id_field, year_field

    class Query(QueryForm):
        year = year_field()
        plan = id_field()
        change = DecimalCommaField(min_value=-95, max_value=300)
        kind = forms.ChoiceField(choices=[("mine", "mine")])
        series = PrefixedField("d.", max_count=2)

    def values(query: str) -> dict:
        return Query(QueryDict(query)).values()

    assert values("") == dict.fromkeys(["year", "plan", "change", "kind", "series"])
    assert values("year=2024&plan=7&change=-12,5&kind=mine&d.kon=2") == {
        "year": 2024, "plan": 7, "change": -12.5, "kind": "mine", "series": {"kon": "2"},
    }  # fmt: skip
    dropped = f"year=10000&plan={2**63}&change=nan&kind=mill&d.a=1&d.b=2&d.c=3"
    assert values(dropped) == dict.fromkeys(["year", "plan", "change", "kind", "series"])
    assert values("year=-1&year=2024")["year"] == 2024  # of a repeated parameter, the last
