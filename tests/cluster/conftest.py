import pytest
from django.utils import translation

from mineralstrategi.organisations.models import Role
from tests.strategy.conftest import make_strategy


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


@pytest.fixture
def covered(region_vasterbotten):
    """A strategy over Norrbotten and Västerbotten: the counties the cluster covers."""
    return make_strategy(region_vasterbotten, title="Teststrategi", start_year=2014)


@pytest.fixture
def site_editor(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="siteeditor")
