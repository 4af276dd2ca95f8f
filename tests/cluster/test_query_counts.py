"""The sites map and the actor network run a fixed number of queries whatever their size."""

import datetime
import uuid

import pytest
from django.utils import timezone

from mineralstrategi.cluster.models import Site
from mineralstrategi.cluster.tasks import compute_network
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.organisations.models import Municipality, Organisation


def bulk(covered, count: int) -> None:
    organisations = list(Organisation.objects.filter(county__code__in=["24", "25"])[:12])
    municipalities = list(Municipality.objects.filter(county__code__in=["24", "25"]))
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            strategy=covered,
            title=f"Insats {n}",
            description="x",
            lead_organisation=organisations[n % 12],
            start_date=datetime.date(2015 + n % 6, 1, 1),
            end_date=datetime.date(2020 + n % 4, 12, 31),
            approved_at=now,
        )
        for n in range(count)
    )
    Initiative.partners.through.objects.bulk_create(
        Initiative.partners.through(initiative=i, organisation=organisations[(n + k) % 12])
        for n, i in enumerate(initiatives)
        for k in (1, 5)
    )
    Initiative.municipalities.through.objects.bulk_create(
        Initiative.municipalities.through(initiative=i, municipality=municipalities[n % 29])
        for n, i in enumerate(initiatives)
    )
    Site.objects.bulk_create(
        Site(
            name=f"Plats {n}",
            slug=f"plats-{n}-{uuid.uuid4().hex[:6]}",
            kind="mine",
            status="operating",
            municipality=municipalities[n % 29],
            operator=organisations[n % 12],
            latitude=66.0,
            longitude=20.0,
        )
        for n in range(count)
    )


PAGES = {"/en/klustret/platser/": 4, "/api/sites": 1, "/en/klustret/natverk/": 3, "/api/network": 3}


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("path", sorted(PAGES))
def test_cluster_pages_run_a_fixed_number_of_queries(
    client, covered, count, path, django_assert_num_queries
):
    bulk(covered, count)
    compute_network.call()  # the task worker's figures, as a large network has them
    with django_assert_num_queries(PAGES[path]):
        response = client.get(path)
    assert response.status_code == 200
