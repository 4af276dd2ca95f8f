"""Every page of a freshly set-up strategy works: a strategy for Jämtlands län (from the loaded
geography, not the demo), set up by the command, walked as an anonymous visitor, as a member of
its partnership in each role and as an outsider. The URL patterns are read from the resolver, so
a new page that takes a strategy's slug is walked without anyone adding it here."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mineralstrategi.organisations.models import County, Organisation, OrganisationKind, Role
from mineralstrategi.organisations.services import membership_grant, organisation_create
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Strategy

# A walk of every page by every role, like the permission matrix: the same rules on either
# database, so CI runs it once, on SQLite (marker `matrix`).
pytestmark = pytest.mark.matrix

#: Patterns whose `slug` names something other than a strategy, each with what it names.
NOT_A_STRATEGY = {
    "organisations:organisation": "an organisation",
    "organisations:members": "an organisation",
    "organisations:member_role": "an organisation",
    "organisations:member_remove": "an organisation",
    "organisations:invitation_revoke": "an organisation",
    "organisations:invitation_resend": "an organisation",
    "portal:article": "a news article",
    "portal:article_image": "a news article",
    "portal:event": "an event",
    "portal:event_ical": "an event",
}


def slug_patterns() -> dict[str, set[str]]:
    """name -> the keyword arguments of every named URL pattern with a `slug`."""
    found: dict[str, set[str]] = {}

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                arguments = set(pattern.pattern.converters)
                if "slug" in arguments:
                    found[f"{namespace}{pattern.name}"] = arguments

    walk(get_resolver().url_patterns, "")
    return found


def test_the_walk_knows_every_slug_that_is_not_a_strategy():
    assert set(NOT_A_STRATEGY) <= set(slug_patterns())


def strategy_urls(strategy: Strategy, values: dict) -> list[str]:
    urls = []
    for name, arguments in sorted(slug_patterns().items()):
        if name in NOT_A_STRATEGY or not arguments - {"slug"} <= set(values):
            continue
        kwargs = {argument: values[argument] for argument in arguments - {"slug"}}
        urls.append(reverse(name, kwargs={"slug": strategy.slug, **kwargs}))
    return urls


@pytest.fixture
def region_jamtland(geography):
    return organisation_create(
        name="Region Jämtland Härjedalen",
        kind=OrganisationKind.REGION,
        county=County.objects.get(name="Jämtlands län"),
    )


@pytest.fixture
def jamtland_strategy(region_jamtland, frameworks) -> Strategy:
    out = io.StringIO()
    county = County.objects.get(name="Jämtlands län")
    call_command(
        "strategy_create",
        "--name=Mineralstrategi för Jämtlands län",
        f"--county={county.code}",
        f"--lead={region_jamtland.slug}",
        "--period=2026-2035",
        stdout=out,
    )
    return Strategy.objects.get(slug=out.getvalue().strip().splitlines()[-1])


def visitors(region_jamtland):
    """(who, user or None) for everyone the walk asks as."""
    User = get_user_model()
    people = [("anonymous", None)]
    for role in Role:
        user = User.objects.create_user(username=f"j-{role}", password="a-long-test-password")
        membership_grant(user=user, organisation=region_jamtland, role=role)
        people.append((role.value, user))
    outsider_org = Organisation.objects.get(
        municipality__code=County.objects.exclude(name="Jämtlands län")
        .first()
        .municipalities.first()
        .code
    )
    outsider = User.objects.create_user(username="outsider", password="a-long-test-password")
    membership_grant(user=outsider, organisation=outsider_org, role=Role.STRATEGY_EDITOR)
    people.append(("outsider", outsider))
    return people


def walk(client, urls, people) -> list[str]:
    failures = []
    for who, user in people:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            deliberate = response.status_code in (403, 405) or (
                response.status_code == 302 and "/konto/login/" in response["Location"]
            )
            if response.status_code >= 400 and not deliberate:
                failures.append(f"{who}: {url} -> {response.status_code}")
    return failures


def test_every_page_of_a_new_empty_strategy_works(client, jamtland_strategy, region_jamtland):
    urls = strategy_urls(jamtland_strategy, {})
    assert any("/utkast/" in url for url in urls) and any("/ny-remiss/" in url for url in urls)
    failures = walk(client, urls, visitors(region_jamtland))
    assert not failures, "\n".join(failures)


def test_every_page_works_once_it_has_a_section_and_a_frozen_version(
    client, jamtland_strategy, region_jamtland, superuser
):
    draft = services.strategy_draft(jamtland_strategy)
    direction = services.section_create(
        version=draft, user=superuser, kind="direction", title="Hållbar gruvdrift"
    )
    services.version_freeze(jamtland_strategy, user=superuser, label="Remissversion")
    values = {"number": 1, "key": direction.key}
    urls = strategy_urls(jamtland_strategy, values)
    urls.append(
        reverse(
            "strategy:section_edit", kwargs={"slug": jamtland_strategy.slug, "pk": direction.pk}
        )
    )
    failures = walk(client, urls, visitors(region_jamtland))
    assert not failures, "\n".join(failures)
