import pytest

from mineralstrategi.strategy.models import Strategy


@pytest.fixture
def demo(db, demo_data):
    return Strategy.objects.get(slug="mineralstrategi-norrbotten-vasterbotten")


@pytest.fixture
def plain_draft(demo):
    """The demo puts its latest year's draft (2024) to the partnership's review, with a comment;
    the tests of the review and of the adoption start from the draft before any review."""
    from mineralstrategi.reports.models import AdoptedReport

    AdoptedReport.objects.filter(
        strategy=demo, year=2024, state=AdoptedReport.State.REVIEW
    ).delete()
