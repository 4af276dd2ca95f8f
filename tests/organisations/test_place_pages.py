"""A municipality's and an organisation's pages show the work around them: the strategies it is a
partner in, initiatives, consultation answers, sites and, for a municipality, its latest indicator
values; each list holds only what the reader may read."""

import pytest

from mineralstrategi.consultation.models import Answer
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import Observation
from mineralstrategi.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    return demo_data


def part(soup, response, heading_id: str):
    return soup(response).select_one(f"section[aria-labelledby={heading_id}]")


def test_a_municipality_page_shows_initiatives_sites_values_and_answers(client, demo, soup):
    response = client.get("/kommuner/2584/")  # Kiruna

    sites = part(soup, response, "profile-sites").get_text(" ")
    assert "Kiirunavaara (Kirunagruvan)" in sites and "järnmalm" in sites
    initiatives = part(soup, response, "profile-initiatives")
    expected = Initiative.objects.public().filter(municipalities__code="2584").first()
    assert expected.title in initiatives.get_text(" ")
    values = part(soup, response, "profile-values")
    latest = (
        Observation.objects.filter(geo_level="municipality", geo_code="2584", value__isnull=False)
        .order_by("-period")
        .first()
    )
    assert latest.indicator.name in values.get_text(" ")
    assert values.select_one("caption").text == "De senaste värdena för Kiruna kommun"


def test_a_municipality_page_links_its_organisations_answers(client, demo, soup):
    answer = (
        Answer.objects.submitted()
        .filter(consultee__organisation__municipality__isnull=False)
        .select_related("consultee__organisation__municipality", "consultee__round")[0]
    )
    municipality = answer.consultee.organisation.municipality

    answers = part(soup, client.get(municipality.get_absolute_url()), "profile-answers")

    link = answers.select_one("li a")
    assert link.text == answer.consultee.round.title
    path, anchor = link["href"].split("#")
    assert soup(client.get(path)).select_one(f"article#{anchor}") is not None


def test_an_organisation_page_shows_its_partnership_initiatives_and_partners(client, demo, soup):
    response = client.get("/organisationer/region-vasterbotten/")

    assert "Regional strategi" in part(soup, response, "profile-strategies").get_text(" ")
    initiatives = part(soup, response, "profile-initiatives")
    assert "Leder" in initiatives.get_text(" ")
    assert initiatives.find("h3").text == "Samarbetar med"


def test_an_operator_page_lists_its_sites(client, demo, soup):
    sites = part(soup, client.get("/organisationer/lkab/"), "profile-sites")
    assert "Malmberget" in sites.get_text(" ")


def test_an_unapproved_initiative_stays_off_the_page_for_visitors(client, demo, soup):
    initiative = Initiative.objects.filter(municipalities__code="2584").first()
    Initiative.objects.filter(pk=initiative.pk).update(approved_at=None, approved_by=None)

    page = client.get("/kommuner/2584/").content.decode()

    assert initiative.title not in page


def test_a_municipality_with_nothing_shows_no_empty_lists(client, geography, soup):
    page = soup(client.get("/kommuner/0114/"))  # Upplands Väsby: no demo data
    assert not page.select("section.profile-part")


def test_an_administrator_finds_the_organisations_audit_trail_from_its_page(
    client, skelleftea, make_member, soup
):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR)
    viewer = make_member(skelleftea, Role.VIEWER)
    client.force_login(viewer)
    assert soup(client.get(skelleftea.get_absolute_url())).select_one(".trail-link") is None

    client.force_login(administrator)
    link = soup(client.get(skelleftea.get_absolute_url())).select_one(".trail-link a")

    assert link.text == "Ändringar gjorda för Skellefteå kommun (granskningsloggen)"
    trail = soup(client.get(link["href"]))
    assert trail.select("table.audit-log tbody tr")  # the roles just granted there
