"""Strategy fixtures, chained: frameworks -> strategy of a partnership -> editors -> frozen version."""

import pytest
from django.utils import timezone, translation

from mineralstrategi.organisations.models import County, Role
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import FrameworkItem, Section, StrategyVersion


@pytest.fixture(autouse=True)
def english_interface():
    """Messages are checked in English (the msgids), whatever the Swedish catalogue says; URLs
    reversed in a test get the /en/ prefix and the pages answer in English."""
    with translation.override("en"):
        yield


def decision(**overrides) -> services.AdoptionInput:
    """A decision as an editor records it: Regionfullmäktige, today, a § number, and (since the
    test strategies go through no consultation unless told) the reason why none was held."""
    values = {
        "body": "Regionfullmäktige",
        "decided_on": timezone.localdate(),
        "reference": "RF § 112",
        "without_consultation_reason": "Ingen remiss hölls: en redaktionell version.",
    }
    return services.AdoptionInput(**{**values, **overrides})


def adopt(version: StrategyVersion, user, **overrides):
    """Adopt a frozen version by a decision (see `decision`)."""
    return services.version_adopt(version, user=user, decision=decision(**overrides))


@pytest.fixture
def sdg(frameworks):
    """sdg("8.2") -> that framework item."""
    return lambda code: FrameworkItem.objects.get(framework__code="sdg", code=code)


@pytest.fixture
def editor(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")


@pytest.fixture
def colleague(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="colleague")


@pytest.fixture
def partner_viewer(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.VIEWER, username="partnerviewer")


@pytest.fixture
def outsider(kiruna, make_member):
    """A strategy editor, but of an organisation outside the partnership."""
    return make_member(kiruna, Role.STRATEGY_EDITOR, username="outsider")


def make_strategy(*partnership, **overrides):
    """A strategy of `partnership` through the service: "Teststrategi för mineralnäringen"
    (teststrategi), 2025–2030, over Norrbotten and Västerbotten, unless `overrides` say otherwise
    (e.g. `counties=()` for none)."""
    values = {
        "title": "Teststrategi för mineralnäringen",
        "slug": "teststrategi",
        "start_year": 2025,
        "end_year": 2030,
        "counties": County.objects.filter(code__in=["24", "25"]),
    }
    return services.strategy_create(partnership=partnership, **(values | overrides))


@pytest.fixture
def strategy(region_vasterbotten, frameworks):
    return make_strategy(region_vasterbotten)


@pytest.fixture
def draft(strategy) -> StrategyVersion:
    return services.strategy_draft(strategy)


def build_tree(draft, user, directions: int = 2, goals: int = 1, actions: int = 1):
    """Vision, then `directions` directions with goals and actions under each; returns all."""
    made = [
        services.section_create(
            version=draft, user=user, kind="vision", title="Vision", body_markdown="En vision."
        )
    ]
    for d in range(1, directions + 1):
        direction = services.section_create(
            version=draft,
            user=user,
            kind="direction",
            title=f"Inriktning {d}",
            body_markdown=f"Text om inriktning {d}.",
            dimension="economic",
        )
        made.append(direction)
        for g in range(1, goals + 1):
            goal = services.section_create(
                version=draft,
                user=user,
                kind="goal",
                title=f"Mål {d}.{g}",
                body_markdown="Målet nås senast 2030.",
                parent=direction,
            )
            made.append(goal)
            for a in range(1, actions + 1):
                made.append(
                    services.section_create(
                        version=draft,
                        user=user,
                        kind="action",
                        title=f"Insats {d}.{g}.{a}",
                        parent=goal,
                    )
                )
    return made


@pytest.fixture
def tree(draft, editor, sdg):
    sections = build_tree(draft, editor)
    services.section_link_add(sections[1], user=editor, item_id=sdg("8.2").pk)
    return sections


@pytest.fixture
def frozen(strategy, tree, editor) -> StrategyVersion:
    return services.version_freeze(strategy, user=editor, label="Remissversion")


@pytest.fixture
def frozen_section(frozen) -> Section:
    return frozen.sections.get(title="Inriktning 1")
