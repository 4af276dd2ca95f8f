"""The findings of the issue (#18): bad values in pages' query parameters gave a server error.

The demo's rows are written once for the module (`module_rows`).
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import fresh

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


# The address of each page, from the demo's objects.
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
    "portal:my_comments": lambda d: {"token": d.commenter_token},
}


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
