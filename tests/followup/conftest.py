import pytest

from mineralstrategi.demo.loader import demo_load
from mineralstrategi.strategy.models import Strategy


@pytest.fixture
def demo(db):
    demo_load()
    return Strategy.objects.get(slug="mineralstrategi-norrbotten-vasterbotten")
