import pytest

from mineralstrategi.strategy.models import Strategy


@pytest.fixture
def demo(db, demo_data):
    return Strategy.objects.get(slug="mineralstrategi-norrbotten-vasterbotten")
