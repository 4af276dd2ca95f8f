"""The demo loads 40–80 example initiatives and the real sites, every page shows them, and a
second load changes nothing."""

import pytest
from django.utils import translation

from mineralstrategi.cluster.models import Site
from mineralstrategi.demo.loader import demo_load
from mineralstrategi.demo.strategy import SLUG
from mineralstrategi.implementation.models import ActionPlan, Initiative

pytestmark = (
    pytest.mark.sqlite_in_ci
)  # the demo's content, alike on either database: CI reads it once


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_load()
    yield
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_demo_initiatives_are_examples_across_every_direction(demo):
    initiatives = Initiative.objects.filter(strategy__slug=SLUG)
    assert 40 <= initiatives.count() <= 80
    assert not initiatives.filter(is_example=False).exists()
    assert initiatives.filter(approved_at__isnull=True, moderation="pending").exists()
    returned = initiatives.get(moderation="returned")
    assert returned.moderation_decisions.get().reason.startswith("Exempel: beskriv hur")
    assert ActionPlan.objects.filter(strategy__slug=SLUG).count() >= 10

    second = demo_load()
    assert "initiatives" not in second.created and "sites" not in second.created


@pytest.mark.django_db
def test_demo_sites_are_the_real_mines_and_plants_with_municipalities_from_positions(demo):
    names = set(Site.objects.values_list("slug", flat=True))
    for slug in [
        "kiirunavaara",
        "malmberget",
        "svappavaara",
        "aitik",
        "kaunisvaara",
        "kristineberg",
        "renstrom",
        "bjorkdal",
        "svartliden",
        "kankberg",
        "ronnskar",
    ]:
        assert slug in names  # fmt: skip
    assert Site.objects.get(slug="kiirunavaara").municipality.code == "2584"
    assert Site.objects.get(slug="aitik").municipality.code == "2523"
    assert Site.objects.get(slug="ronnskar").municipality.code == "2482"
    assert set(Site.objects.values_list("municipality__county__code", flat=True)) == {"24", "25"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/genomforande/",
        f"/en/genomforande/{SLUG}/",
        f"/en/genomforande/{SLUG}/insatser/",
        f"/en/genomforande/{SLUG}/handlingsplaner/",
        f"/en/genomforande/{SLUG}/bidra/",
        "/en/klustret/platser/",
        "/en/klustret/natverk/",
        "/klustret/natverk/?year=2018",
        "/api/initiatives",
        "/api/action-plans",
        "/api/sites",
        "/api/network?year=2018",
        f"/en/genomforande/{SLUG}/?export=xlsx",
        f"/en/genomforande/{SLUG}/insatser/?export=csv",
        "/en/klustret/platser/?export=csv",
        "/en/klustret/natverk/?export=xlsx",
    ],
)
def test_demo_pages_answer(demo, client, path):
    with translation.override("en"):
        response = client.get(path)
    assert response.status_code == 200, response.content[:2000]
