import pytest
from django.utils import translation

from mineralstrategi.organisations.models import County, Role
from mineralstrategi.strategy import services as strategy_services


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


@pytest.fixture
def covered(region_vasterbotten):
    """A strategy over Norrbotten and Västerbotten: the counties the cluster covers."""
    return strategy_services.strategy_create(
        title="Teststrategi",
        slug="teststrategi",
        start_year=2014,
        end_year=2030,
        partnership=[region_vasterbotten],
        counties=County.objects.filter(code__in=["24", "25"]),
    )


@pytest.fixture
def site_editor(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="siteeditor")
