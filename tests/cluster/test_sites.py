"""Sites: positions inside the covered counties only, municipality from the position, the map and
the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mineralstrategi.cluster.models import Site
from mineralstrategi.cluster.services import SiteInput, site_save
from mineralstrategi.organisations import maps


def aitik(**overrides) -> SiteInput:
    values = {
        "name": "Aitik",
        "kind": "mine",
        "status": "operating",
        "latitude": 67.07,
        "longitude": 20.95,
        "commodities": "copper, gold, silver",
        "operator_name": "Boliden",
    }
    values.update(overrides)
    return SiteInput(**values)


def test_a_site_gets_the_municipality_its_position_lies_in(covered, site_editor):
    site = site_save(aitik(), user=site_editor)
    assert site.municipality.code == "2523"  # Gällivare
    assert site.commodity_list == ["copper", "gold", "silver"]
    assert site.history.first().history_user == site_editor


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(59.33, 18.07), (63.18, 14.64), (91, 20), ("north", 20), (None, None)],
    ids=["stockholm", "ostersund-jamtland", "beyond-the-pole", "not-a-number", "missing"],
)
def test_a_position_outside_the_covered_counties_is_a_field_error(
    covered, site_editor, latitude, longitude
):
    with pytest.raises(ValidationError) as raised:
        site_save(aitik(latitude=latitude, longitude=longitude), user=site_editor)
    assert "latitude" in raised.value.message_dict
    assert not Site.objects.exists()


def test_only_editors_keep_sites(covered, make_member, skelleftea):
    contributor = make_member(skelleftea, "contributor")
    with pytest.raises(PermissionDenied):
        site_save(aitik(), user=contributor)


def test_points_use_the_projection_of_the_municipality_map(geography):
    counties = ("24", "25")
    base = maps.base_map(counties)
    x, y = maps.project_point(counties, 67.85, 20.22)  # Kiruna town
    kiruna = next(shape for shape in base.shapes if shape.code == "2584")
    xs = [
        float(p.split(",")[0])
        for p in kiruna.path.replace("M", "").replace("L", "").replace("Z", "").split()
    ]
    ys = [
        float(p.split(",")[1])
        for p in kiruna.path.replace("M", "").replace("L", "").replace("Z", "").split()
    ]
    assert min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)
    assert 0 <= x <= base.width and 0 <= y <= base.height
    assert maps.municipality_at(67.85, 20.22, counties) == "2584"
    assert maps.municipality_at(59.33, 18.07, counties) is None
    assert maps.municipality_at(59.33, 18.07) == "0180"  # Stockholm, when all counties count


def test_the_map_page_draws_every_site_beside_a_table(client, covered, site_editor, soup):
    site_save(aitik(), user=site_editor, slug="aitik")
    site_save(
        aitik(name="Rönnskär", kind="smelter", latitude=64.67, longitude=21.26, operator_name=""),
        user=site_editor,
    )
    page = soup(client.get("/en/klustret/platser/"))

    borders = page.select("svg.site-map path.municipality-border")
    assert len(borders) == 29
    assert {path["fill"] for path in borders} == {"#d9d9d9"}  # no initiative anywhere yet
    assert borders[0].title.get_text().endswith(": 0 initiatives")
    assert page.select_one('g.site-mine[data-slug="aitik"] rect')
    assert page.select_one("g.site-smelter circle")
    transform = page.select_one('g[data-slug="aitik"]')["transform"]
    assert "," not in transform  # decimal points, not a locale's commas, in SVG coordinates
    assert [th.get_text() for th in page.select("table.site-table tbody th")] == [
        "Aitik",
        "Rönnskär",
    ]

    filtered = soup(client.get("/en/klustret/platser/?kind=smelter"))
    assert [th.get_text() for th in filtered.select("table.site-table tbody th")] == ["Rönnskär"]


def test_the_sites_api_and_download(client, covered, site_editor):
    site_save(aitik(), user=site_editor, slug="aitik")
    [item] = client.get("/api/sites").json()
    assert item["name"] == "Aitik"
    assert (item["kind"], item["status"], item["municipality_code"]) == (
        "mine",
        "operating",
        "2523",
    )
    assert (item["lat"], item["lon"]) == (67.07, 20.95)
    assert client.get("/api/sites?kind=smelter").json() == []

    download = client.get("/en/klustret/platser/?export=csv").content.decode("utf-8-sig")
    assert download.splitlines()[1].startswith("Aitik,mine,operating,")


def test_the_admin_refuses_a_position_outside_and_derives_the_municipality(
    client, covered, superuser, soup
):
    client.force_login(superuser)
    data = {
        "name": "Aitik",
        "slug": "aitik",
        "kind": "mine",
        "status": "operating",
        "commodities": "copper",
        "latitude": "59.33",
        "longitude": "18.07",
    }
    refused = client.post("/admin/cluster/site/add/", data)
    assert refused.status_code == 200
    assert soup(refused).select_one("#id_latitude_error, .field-latitude .errorlist") is not None
    assert not Site.objects.exists()

    client.post("/admin/cluster/site/add/", {**data, "latitude": "67.07", "longitude": "20.95"})
    assert Site.objects.get().municipality.code == "2523"


def test_the_map_names_its_municipalities_without_javascript(client, db, demo_data, soup):
    page = soup(client.get("/klustret/platser/"))
    names = {text.text for text in page.select("svg.site-map .place-names text")}
    assert {"Kiruna", "Skellefteå", "Umeå"} <= names
    assert page.select_one(".map-zoom")["hidden"] is not None  # shown by the script only
    links = {a["href"] for a in page.select("svg.site-map a")}
    assert {f"#{row['id']}" for row in page.select(".site-table tbody tr")} == links
