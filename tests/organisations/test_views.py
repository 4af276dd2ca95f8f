import pytest

from mineralstrategi.organisations.models import ContactPerson, OrganisationKind, Role


@pytest.fixture
def skelleftea_contacts(skelleftea):
    ContactPerson.objects.create(
        organisation=skelleftea,
        name="Emma Lundström",
        title="Näringslivsstrateg",
        phone="070-174 06 13",
        email="emma@skelleftea.example",
        is_public=True,
        is_example=True,
    )
    ContactPerson.objects.create(organisation=skelleftea, name="Intern Person", is_public=False)


def test_county_list_shows_all_21_counties_with_municipality_counts(
    client, geography, soup, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/lan/")

    rows = soup(response).select("table.data-table tbody tr")
    assert len(rows) == 21
    norrbotten = next(row for row in rows if "Norrbottens län" in row.text)
    assert norrbotten.select("td")[2].text.strip() == "14"


def test_county_page_lists_its_municipalities(client, geography, soup):
    response = client.get("/lan/24/")

    assert response.status_code == 200
    assert len(soup(response).select("#municipalities-heading + ul li")) == 15


def test_municipality_page_shows_public_contacts_to_the_public(
    client, skelleftea_contacts, soup, django_assert_num_queries
):
    with django_assert_num_queries(7):
        response = client.get("/kommuner/2482/")

    page = soup(response)
    assert page.select_one("h1").text.startswith("Skellefteå kommun")
    names = [node.text for node in page.select(".contact-name")]
    assert len(names) == 1 and names[0].startswith("Emma Lundström")
    assert page.select_one(".example-label") is not None


def test_members_also_see_their_organisations_internal_contacts(
    client, skelleftea, skelleftea_contacts, make_member, soup
):
    client.force_login(make_member(skelleftea, Role.VIEWER))

    response = client.get(skelleftea.get_absolute_url())

    names = {node.text.split()[0] for node in soup(response).select(".contact-name")}
    assert names == {"Emma", "Intern"}


@pytest.mark.parametrize("url", ["/kommuner/9999/", "/lan/99/", "/organisationer/finns-inte/"])
def test_unknown_codes_give_a_404_page_in_the_sites_layout(client, geography, soup, url):
    response = client.get(url)

    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("a.skip-link") is not None
    assert page.select_one("main#main h1") is not None


def test_organisation_list_filters_by_kind(client, region_vasterbotten, soup):
    response = client.get("/organisationer/", {"kind": OrganisationKind.REGION})

    rows = soup(response).select("#organisation-results tbody tr")
    assert [row.select_one("a").text for row in rows] == ["Region Västerbotten"]


def test_organisation_list_ignores_an_unknown_kind(client, geography, soup):
    response = client.get("/organisationer/", {"kind": "<script>"})

    assert response.status_code == 200
    assert len(soup(response).select("#organisation-results tbody tr")) == 290
    assert b"<script>" not in response.content


def test_organisation_list_query_count_does_not_grow(client, geography, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/organisationer/")


def test_english_pages_live_under_en(client, geography, soup):
    response = client.get("/en/lan/")

    page = soup(response)
    assert page.select_one("html")["lang"] == "en"
    assert page.select_one(".language-switch a")["href"] == "/lan/"


def test_swedish_is_the_default_language(client, geography, soup):
    page = soup(client.get("/lan/", HTTP_ACCEPT_LANGUAGE="en"))

    assert page.select_one("html")["lang"] == "sv"
    assert page.select_one(".language-switch a")["href"] == "/en/lan/"
