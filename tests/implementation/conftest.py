"""Implementation fixtures, chained: strategy with a section tree -> organisations with
contributors -> initiatives registered through the service."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from mineralstrategi.implementation import services
from mineralstrategi.implementation.services import FundingRow, InitiativeInput
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy.models import Section
from tests.strategy import conftest as strategy_fixtures
from tests.strategy.conftest import build_tree

# The strategy app's fixtures, reused by name.
strategy = strategy_fixtures.strategy
draft = strategy_fixtures.draft
editor = strategy_fixtures.editor


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


@pytest.fixture
def sections(draft, editor):
    """Vision, then two directions, each with one goal with one action."""
    return build_tree(draft, editor, directions=2, goals=1, actions=1)


@pytest.fixture
def section(sections):
    """Short names: section("Insats 1.1.1") -> that section of the working draft."""
    return lambda title: next(s for s in sections if s.title == title)


@pytest.fixture
def contributor(skelleftea, make_member):
    return make_member(skelleftea, Role.CONTRIBUTOR, username="contributor")


@pytest.fixture
def other_contributor(kiruna, make_member):
    return make_member(kiruna, Role.CONTRIBUTOR, username="kirunacontributor")


@pytest.fixture
def viewer(skelleftea, make_member):
    return make_member(skelleftea, Role.VIEWER, username="skellefteaviewer")


def initiative_input(keys, **overrides) -> InitiativeInput:
    values = {
        "title": "Elektrifierade gruvtruckar",
        "description": "En försöksverksamhet.",
        "start_date": datetime.date(2025, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
        "budget": Decimal(1_000_000),
        "status": "ongoing",
        "progress": 40,
        "section_keys": [str(key) for key in keys],
        "municipality_codes": ["2482"],
        "funding": [
            FundingRow("eu_regional_fund", Decimal(400_000), "ERUF"),
            FundingRow("own_funds", Decimal(600_000)),
        ],
    }
    values.update(overrides)
    return InitiativeInput(**values)


@pytest.fixture
def register(strategy, skelleftea, contributor):
    """register(section, **overrides) -> an initiative of Skellefteå kommun serving the section."""

    def make(*served: Section, organisation=None, user=None, **overrides):
        return services.initiative_create(
            strategy=strategy,
            organisation=organisation or skelleftea,
            user=user or contributor,
            data=initiative_input([s.key for s in served], **overrides),
        )

    return make
