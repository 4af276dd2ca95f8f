"""Portal fixtures: an editor and a moderator (staff in their groups), a published article with
contacts, a seminar with a few places, and a strategy with an adopted version."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone, translation

from mineralstrategi.organisations.models import ContactPerson
from mineralstrategi.portal import services
from mineralstrategi.portal.rules import EDITORS_GROUP, MODERATORS_GROUP
from tests.strategy.conftest import adopt, make_strategy

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english():
    """English as the active language, for tests that read messages (mails) made in it."""
    with translation.override("en"):
        yield


@pytest.fixture
def pre_moderation(settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_MODERATION": "pre"}


@pytest.fixture
def post_moderation(settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_MODERATION": "post"}


def _staff(username: str, group: str):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, email=f"{username}@example.se"
    )
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def editor(db):
    return _staff("portaleditor", EDITORS_GROUP)


@pytest.fixture
def moderator(db):
    return _staff("portalmoderator", MODERATORS_GROUP)


@pytest.fixture
def contacts(region_vasterbotten):
    info = ContactPerson.objects.create(
        organisation=region_vasterbotten,
        name="Anna Strateg",
        title="Strateg",
        phone="070-111 22 33",
        email="anna@region.example",
        is_public=True,
    )
    press = ContactPerson.objects.create(
        organisation=region_vasterbotten,
        name="Pelle Press",
        title="Presschef",
        phone="070-444 55 66",
        email="press@region.example",
        is_press_contact=True,
        is_public=True,
    )
    hidden = ContactPerson.objects.create(
        organisation=region_vasterbotten, name="Inte Publik", is_public=False
    )
    return info, press, hidden


@pytest.fixture
def article(editor, contacts, region_vasterbotten):
    info, press, hidden = contacts
    return services.article_save(
        user=editor,
        title="Strategin är antagen",
        lead="En ingress om strategin.",
        body_markdown="Brödtext om **gruvor** och vatten.",
        status="published",
        published_at=timezone.now() - timedelta(hours=1),
        author_name="Redaktionen",
        organisation=region_vasterbotten,
        tags="strategi, beslut",
        contacts=[info, hidden],
        press_contact=press,
    )


@pytest.fixture
def seminar(editor, skelleftea):
    starts = timezone.now() + timedelta(days=10)
    return services.event_save(
        user=editor,
        title="Slutseminarium i Skellefteå",
        lead="Om strategin.",
        programme_markdown="- 10.00 Välkommen",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        place="Skellefteå",
        address="Stadshuset",
        capacity=2,
        status="published",
        published_at=timezone.now() - timedelta(days=1),
        organisation=skelleftea,
    )


@pytest.fixture
def adopted_strategy(region_vasterbotten, make_member):
    """A strategy with one section, frozen and adopted: (strategy, section of the adopted version)."""
    from mineralstrategi.strategy import services as strategy_services
    from mineralstrategi.strategy.models import Section

    author = make_member(region_vasterbotten, "strategy_editor")
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    draft = strategy_services.strategy_draft(strategy)
    strategy_services.section_create(
        version=draft,
        user=author,
        kind="vision",
        title="Visionen",
        body_markdown="Gruvor och **vatten**.",
    )
    version = strategy_services.version_freeze(strategy, user=author, label="Antagen")
    adopt(version, author)
    return strategy, Section.objects.get(version=version)
