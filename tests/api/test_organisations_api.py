import pytest

from mineralstrategi.organisations.models import ContactPerson, Role


def test_counties(client, geography):
    counties = client.get("/api/counties").json()

    assert len(counties) == 21
    assert {"code": "25", "name": "Norrbottens län", "short_name": "Norrbotten"} in counties


def test_municipalities_of_a_county(client, geography, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/api/municipalities", {"county": "25"})

    municipalities = response.json()
    assert len(municipalities) == 14
    assert {"code": "2514", "name": "Kalix kommun", "short_name": "Kalix", "county_code": "25"} in (
        municipalities
    )


def test_all_municipalities(client, geography, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(client.get("/api/municipalities").json()) == 290


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/municipalities?county=x1", "county"),
        ("/api/organisations?kind=mine", "kind"),
        ("/api/organisations?county=123", "county"),
        ("/api/organisations/abc", "organisation_id"),
    ],
)
def test_malformed_queries_give_422_naming_the_field(client, geography, url, field):
    response = client.get(url)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_an_unknown_county_gives_404(client, geography):
    assert client.get("/api/municipalities", {"county": "99"}).status_code == 404


def test_organisations_by_kind(client, region_vasterbotten):
    organisations = client.get("/api/organisations", {"kind": "region"}).json()["items"]

    assert [o["name"] for o in organisations] == ["Region Västerbotten"]
    assert organisations[0]["county_code"] == "24"


def test_organisation_detail_applies_the_same_contact_visibility_as_the_pages(
    client, skelleftea, kiruna, make_member
):
    ContactPerson.objects.create(organisation=skelleftea, name="Öppen", is_public=True)
    ContactPerson.objects.create(organisation=skelleftea, name="Intern", is_public=False)
    url = f"/api/organisations/{skelleftea.pk}"

    def names():
        return [contact["name"] for contact in client.get(url).json()["contacts"]]

    assert names() == ["Öppen"]
    client.force_login(make_member(kiruna, Role.ADMINISTRATOR))
    assert names() == ["Öppen"]
    client.force_login(make_member(skelleftea, Role.VIEWER))
    assert sorted(names()) == ["Intern", "Öppen"]


def test_unknown_organisation_gives_404(client, geography):
    assert client.get("/api/organisations/999999").status_code == 404


def test_openapi_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()

    assert {"/api/counties", "/api/municipalities", "/api/organisations"} <= set(schema["paths"])


def test_docs_page_uses_no_cdn(client, db):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"cdn." not in response.content


def test_organisations_come_a_hundred_a_page_each_once(client, geography):
    pages = [client.get("/api/organisations", {"offset": o}).json() for o in (0, 100, 200)]
    too_many = client.get("/api/organisations", {"limit": 1000})

    assert [len(page["items"]) for page in pages] == [100, 100, 90]
    assert pages[0]["count"] == 290
    assert len({o["id"] for page in pages for o in page["items"]}) == 290
    assert too_many.status_code == 422 and "limit" in str(too_many.json()["detail"])
