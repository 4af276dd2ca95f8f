"""The initiative list, the roll-up, the how-to-contribute page and the API list run a fixed number
of queries whatever the number of initiatives."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mineralstrategi.implementation.models import (
    FundingSource,
    Initiative,
    InitiativeSection,
)
from mineralstrategi.organisations.models import Municipality, Organisation


def bulk_initiatives(strategy, sections, lead, count: int) -> None:
    servable = [s for s in sections if s.kind in ("direction", "goal", "action")]
    partners = list(Organisation.objects.exclude(pk=lead.pk)[:3])
    municipalities = list(Municipality.objects.filter(code__in=["2482", "2584", "2523"]))
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            strategy=strategy,
            title=f"Insats {n}",
            description="Exempel",
            lead_organisation=lead,
            start_date=datetime.date(2020 + n % 5, 1, 1),
            end_date=datetime.date(2026 + n % 3, 12, 31),
            budget=Decimal(1000 * (n % 7)),
            status="ongoing",
            progress=n % 101,
            partners_wanted="Forskare" if n % 5 == 0 else "",
            approved_at=now,
        )
        for n in range(count)
    )
    InitiativeSection.objects.bulk_create(
        InitiativeSection(initiative=i, section_key=servable[n % len(servable)].key)
        for n, i in enumerate(initiatives)
    )
    FundingSource.objects.bulk_create(
        FundingSource(initiative=i, kind="own_funds", amount=i.budget) for i in initiatives
    )
    Initiative.partners.through.objects.bulk_create(
        Initiative.partners.through(initiative=i, organisation=partners[n % 3])
        for n, i in enumerate(initiatives)
    )
    Initiative.municipalities.through.objects.bulk_create(
        Initiative.municipalities.through(initiative=i, municipality=municipalities[n % 3])
        for n, i in enumerate(initiatives)
    )


PAGES = {
    # page: the queries it may run, whatever the number of initiatives
    "list": 11,  # 50 a page: the page's rows and their total
    "rollup": 10,
    "contribute": 9,
    "api": 9,  # 100 a page: the page and the total
}


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_run_a_fixed_number_of_queries(
    client, strategy, sections, skelleftea, count, page, django_assert_num_queries
):
    bulk_initiatives(strategy, sections, skelleftea, count)
    direction = next(s for s in sections if s.kind == "direction")
    path = {
        "list": f"/en/genomforande/{strategy.slug}/insatser/",
        "rollup": f"/en/genomforande/{strategy.slug}/",
        "contribute": f"/en/genomforande/{strategy.slug}/bidra/{direction.key}/",
        "api": "/api/initiatives",
    }[page]

    with django_assert_num_queries(PAGES[page]):
        response = client.get(path)

    assert response.status_code == 200
    if page == "api":  # 100 a page, and the total
        assert len(response.json()["items"]) == min(count, 100)
        assert response.json()["count"] == count
    if page == "list":
        assert response.content.decode().count('class="progress-cell"') == min(count, 50)
