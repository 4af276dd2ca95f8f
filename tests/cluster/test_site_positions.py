"""Every demo site lies inside the municipality its sources name (`municipality_code` in
`cluster/data/sites.csv`), names the source of its position and municipality, and the product
shows it there.

The municipality borders are simplified for maps, so a site may lie a little outside its
municipality's polygon near a border; TOLERANCE_KM allows for that. The sites within
NEAR_BORDER_KM of a border are listed in NEAR_BORDER (and in `cluster/data/ATTRIBUTION.md`), so
that a moved site or a new one near a border is noticed.
"""

import csv
import json
import math
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

SRC = Path(__file__).resolve().parents[2] / "src" / "mineralstrategi"
SITES_FILE = SRC / "cluster" / "data" / "sites.csv"
BORDERS_FILE = SRC / "organisations" / "data" / "swedish_municipalities.geojson"

TOLERANCE_KM = 1.0
NEAR_BORDER_KM = 2.0
NEAR_BORDER = {"kristineberg", "renstrom", "stekenjokk"}
POSITION_KINDS = {"published", "locality", "derived", "approximate"}

with SITES_FILE.open(encoding="utf-8", newline="") as handle:
    SITES = list(csv.DictReader(handle))
BORDERS = {
    feature["properties"]["id"]: shape(feature["geometry"])
    for feature in json.loads(BORDERS_FILE.read_text(encoding="utf-8"))["features"]
}


def in_km(geometry, latitude: float):
    """The geometry in kilometres east and north of 0°, 0°: equirectangular at the site's
    latitude, true to a few metres over the few kilometres that matter here."""
    x_km = 111.32 * math.cos(math.radians(latitude))
    return shapely.transform(geometry, lambda xy: xy * [x_km, 110.57])


def km_outside(site: dict) -> float:
    """How far (km) the site lies outside its municipality's polygon; 0 when inside."""
    latitude, longitude = float(site["lat"]), float(site["lon"])
    polygon = in_km(BORDERS[site["municipality_code"]], latitude)
    return polygon.distance(in_km(Point(longitude, latitude), latitude))


def km_to_border(site: dict) -> float:
    latitude, longitude = float(site["lat"]), float(site["lon"])
    border = in_km(BORDERS[site["municipality_code"]].boundary, latitude)
    return border.distance(in_km(Point(longitude, latitude), latitude))


@pytest.mark.parametrize("site", SITES, ids=[s["slug"] for s in SITES])
def test_the_site_lies_in_the_municipality_its_sources_name(site):
    assert km_outside(site) <= TOLERANCE_KM, (
        f"{site['slug']} lies {km_outside(site):.1f} km outside municipality "
        f"{site['municipality_code']}"
    )


@pytest.mark.parametrize("site", SITES, ids=[s["slug"] for s in SITES])
def test_the_site_names_its_sources(site):
    assert site["position"] in POSITION_KINDS
    assert site["position_source"].strip()
    assert site["municipality_source"].strip()
    if site["position"] in ("approximate", "derived"):
        assert site["position_source"].startswith(("not confirmed", "derived, not surveyed"))


def test_the_sites_near_a_border_are_the_listed_ones():
    near = {s["slug"] for s in SITES if km_to_border(s) < NEAR_BORDER_KM}
    assert near == NEAR_BORDER


def test_the_distance_outside_a_polygon_is_measured_in_km():
    kiruna_town = {"lat": "67.855", "lon": "20.225", "municipality_code": "2584"}
    assert km_outside(kiruna_town) == 0
    # Gällivare's border runs some 13 km south of Kiruna town (about 0.1°, were it in degrees).
    gallivare = dict(kiruna_town, municipality_code="2523")
    assert 10 < km_outside(gallivare) < 20


@pytest.mark.parametrize(
    ("slug", "code"),
    [("kallak", "2510"), ("svartliden", "2421"), ("faboliden", "2481"), ("aitik", "2523")],
)
def test_the_corrected_sites_lie_where_the_sources_say(slug, code):
    site = next(s for s in SITES if s["slug"] == slug)
    assert site["municipality_code"] == code
    assert km_outside(site) == 0


def test_the_product_shows_every_demo_site_in_its_municipality(db, demo_data, client):
    shown = {row["name"]: row["municipality_code"] for row in client.get("/api/sites").json()}
    assert shown == {s["name"]: s["municipality_code"] for s in SITES}


def test_a_demo_loaded_before_gets_the_corrected_positions(db, demo_data):
    from mineralstrategi.cluster.models import Site
    from mineralstrategi.demo.implementation import sites_demo_load
    from mineralstrategi.demo.loader import DemoLoadResult
    from mineralstrategi.organisations.models import Municipality

    lycksele = Municipality.objects.get(code="2481")
    Site.objects.filter(slug="svartliden").update(
        latitude=64.94, longitude=18.30, municipality=lycksele, source="position approximate"
    )

    result = DemoLoadResult()
    sites_demo_load(result)

    svartliden = Site.objects.get(slug="svartliden")
    assert result.created == {"sites corrected": 1}
    assert (svartliden.latitude, svartliden.longitude) == (64.87, 17.73)
    assert svartliden.municipality.code == "2421"
    assert "derived, not surveyed" in svartliden.source
    again = DemoLoadResult()
    sites_demo_load(again)
    assert not again.changed
