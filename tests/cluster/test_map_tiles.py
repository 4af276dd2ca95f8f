"""The site map's optional background map (MAP_TILES_URL): none by default, and no request leaves
the site; set, the Web Mercator tiles that cover the map's extent, placed on the map's own
projection, the attribution under it, and the tile host (only it) in the policy's img-src.
No tile is fetched here: the browser fetches them (tests/e2e/test_site_map.py, from a local
server)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from mineralstrategi.organisations import maps
from mineralstrategi.organisations.tiles import tile_corner, tile_of, tiles_for, zoom_for

COUNTIES = ("24", "25")  # Västerbotten and Norrbotten, the counties of `covered`
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
SRC = Path(__file__).resolve().parents[2] / "src"


def test_kiruna_lies_in_tile_35_15_at_zoom_6():
    # Kiruna town, 67.856° N 20.225° E: x = 64 · (180 + 20.225) / 360 = 35.6,
    # y = 64 · (1 − asinh(tan 67.856°) / π) / 2 = 15.4.
    assert tile_of(67.856, 20.225, 6) == (35, 15)
    assert tile_of(67.856, 20.225, 0) == (0, 0)
    north, west = tile_corner(35, 15, 6)
    south, east = tile_corner(36, 16, 6)
    assert west < 20.225 < east and south < 67.856 < north
    assert (west, east) == pytest.approx((16.875, 22.5))
    assert (north, south) == pytest.approx((68.656, 66.513), abs=1e-3)


def test_tile_corners_are_the_inverse_of_tile_numbers():
    for zoom in (3, 7, 12):
        for x, y in [(0, 0), (2**zoom // 2, 2**zoom // 3), (2**zoom - 1, 2**zoom - 1)]:
            lat, lon = tile_corner(x, y, zoom)
            assert tile_of(lat - 1e-9, lon + 1e-9, zoom) == (x, y)


def test_the_zoom_gives_about_800_pixels_across():
    # About 10° of longitude: 256 · 2**7 · 10 / 360 = 910 pixels at zoom 7, 455 at 6.
    assert zoom_for(14.3, 24.2) == 7
    assert zoom_for(0.0, 360.0) == 2
    assert zoom_for(20.0, 20.0) == 18


def test_the_tiles_cover_the_extent_and_meet_at_their_edges():
    base = maps.base_map(COUNTIES)
    tiles = tiles_for(maps.projection(COUNTIES), base.width, base.height, TILES)
    # 14.3–24.2° E, 63.4–69.1° N at zoom 7: columns 69–72, rows 29–34.
    assert {(t.zoom, t.x, t.y) for t in tiles} == {
        (7, x, y) for x in range(69, 73) for y in range(29, 35)
    }
    assert tiles[0].url == "https://tiles.example.org/7/69/29.png"
    assert min(t.left for t in tiles) <= 0 and min(t.top for t in tiles) <= 0
    assert max(t.left + t.width for t in tiles) >= base.width
    assert max(t.top + t.height for t in tiles) >= base.height
    by_number = {(t.x, t.y): t for t in tiles}
    for (x, y), tile in by_number.items():
        if right := by_number.get((x + 1, y)):
            assert right.left == pytest.approx(tile.left + tile.width, abs=0.011)
        if below := by_number.get((x, y + 1)):
            assert below.top == pytest.approx(tile.top + tile.height, abs=0.011)
    # A place is drawn on the tile that shows it: Kiruna (x 71.2, y 30.7 at zoom 7) on 7/71/30.
    x, y = maps.project_point(COUNTIES, 67.856, 20.225)
    kiruna = by_number[tile_of(67.856, 20.225, 7)]
    assert (kiruna.x, kiruna.y) == (71, 30)
    assert kiruna.left < x < kiruna.left + kiruna.width
    assert kiruna.top < y < kiruna.top + kiruna.height


def test_a_large_extent_takes_a_lower_zoom_than_too_many_tiles():
    base = maps.base_map(())  # all of Sweden
    tiles = tiles_for(maps.projection(()), base.width, base.height, TILES, max_tiles=12)
    assert len(tiles) <= 12 and len({t.zoom for t in tiles}) == 1


def policy_and_settings(**environment) -> dict:
    """The img-src and the map settings a fresh interpreter reads from this environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAP_TILES_")} | {
        "PYTHONPATH": str(SRC)
    }
    script = (
        "import json; from mineralstrategi.config import settings as s; "
        "print(json.dumps({'img-src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "'url': s.MINERALSTRATEGI['MAP_TILES_URL'], "
        "'attribution': s.MINERALSTRATEGI['MAP_TILES_ATTRIBUTION']}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env | environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_no_tile_service_by_default_and_the_policy_names_the_one_set():
    assert policy_and_settings() == {"img-src": ["'self'", "data:"], "url": "", "attribution": ""}
    assert policy_and_settings(
        MAP_TILES_URL=TILES, MAP_TILES_ATTRIBUTION="© Exempelkartans bidragsgivare"
    ) == {
        "img-src": ["'self'", "data:", "https://tiles.example.org"],
        "url": TILES,
        "attribution": "© Exempelkartans bidragsgivare",
    }


def test_without_a_tile_service_the_page_draws_no_tile_and_the_policy_is_unchanged(
    client, covered, soup
):
    response = client.get("/klustret/platser/")
    page = soup(response)
    assert page.select("svg.site-map image") == []
    assert "with-tiles" not in page.select_one("svg.site-map")["class"]
    assert page.select(".map-attribution") == []
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["img-src"] == "'self' data:"


def test_with_a_tile_service_the_page_draws_the_tiles_behind_the_map(
    client, covered, soup, settings
):
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "MAP_TILES_URL": TILES,
        "MAP_TILES_ATTRIBUTION": "© Exempelkartans bidragsgivare",
    }
    img_src = policy_and_settings(MAP_TILES_URL=TILES)["img-src"]
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": img_src}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        response = client.get("/klustret/platser/")

    page = soup(response)
    svg = page.select_one("svg.site-map")
    assert "with-tiles" in svg["class"]
    layer = svg.select_one("g.map-tiles")
    assert layer["aria-hidden"] == "true"
    assert svg.find(True, recursive=False) is svg.title  # the title, then the desc, then tiles
    assert svg.select_one("path.municipality-border").find_previous_sibling("g") is layer
    assert {image["href"] for image in layer.select("image")} == {
        f"https://tiles.example.org/7/{x}/{y}.png" for x in range(69, 73) for y in range(29, 35)
    }
    assert {image["preserveaspectratio"] for image in layer.select("image")} == {"none"}
    assert "© Exempelkartans bidragsgivare" in page.select_one(".map-attribution").text
    assert "https://tiles.example.org" in response["Content-Security-Policy"]


def test_the_attribution_falls_back_to_the_tile_host(client, covered, soup, settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "MAP_TILES_URL": TILES}
    page = soup(client.get("/klustret/platser/"))
    assert "tiles.example.org" in page.select_one(".map-attribution").text


@pytest.mark.parametrize(
    "url",
    [
        "tiles.example.org/{z}/{x}/{y}.png",
        "https://{s}.tile.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}.png",
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
    ],
)
def test_an_address_that_is_no_tile_service_fails_the_check(settings, url):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "MAP_TILES_URL": url}
    assert "mineralstrategi.E001" in {message.id for message in checks.run_checks()}


def test_a_tile_service_address_passes_the_check(settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "MAP_TILES_URL": TILES}
    assert "mineralstrategi.E001" not in {message.id for message in checks.run_checks()}
