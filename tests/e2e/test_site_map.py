"""The site map in a browser: municipality names on it, zoom by its buttons, move by dragging,
back to the whole map; every site a link to its row in the table; a background map from the tile
service set (a tile server on this machine here), and no request to any other host without one."""

import copy
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]


def view_box(page) -> list[float]:
    return [float(n) for n in page.get_attribute("svg.site-map", "viewBox").split()]


def test_the_map_zooms_moves_and_names_its_places(read_only_demo_site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(read_only_demo_site + "/klustret/platser/")
    whole = view_box(page)
    assert "Kiruna" in page.locator("svg.site-map .place-names").text_content()

    page.get_by_role("button", name="Zooma in").click()
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(whole[2] / 1.5, rel=1e-3)

    box = page.locator("svg.site-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 100, box["y"] + box["height"] / 2 + 50)
    page.mouse.up()
    moved = view_box(page)
    assert moved[0] < zoomed[0] and moved[1] < zoomed[1] and moved[2] == zoomed[2]

    page.get_by_role("button", name="Hela kartan").click()
    assert view_box(page) == whole

    page.locator("svg.site-map a[href='#site-aitik']").click()
    assert page.url.endswith("#site-aitik")


def png() -> bytes:
    """A one-pixel grey PNG, the tile every request of the tile server below gets."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1 × 1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xc8"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """A tile service on this machine: (its address, the paths asked for)."""
    requested: list[str] = []
    tile = png()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


def test_no_request_leaves_the_site_without_a_tile_service(read_only_demo_site, page):
    addresses = []
    page.on("request", lambda request: addresses.append(request.url))
    page.goto(read_only_demo_site + "/klustret/platser/")
    page.wait_for_load_state("networkidle")

    assert addresses and all(url.startswith(read_only_demo_site + "/") for url in addresses)
    assert page.locator("svg.site-map image").count() == 0


def test_the_background_map_comes_from_the_tile_service_set(
    read_only_demo_site, page, settings, tile_server
):
    tiles, requested = tile_server
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "MAP_TILES_URL": tiles + "/{z}/{x}/{y}.png",
        "MAP_TILES_ATTRIBUTION": "© Provkartans bidragsgivare",
    }
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"].append(tiles)  # as the settings module does (test_map_tiles)
    settings.CONTENT_SECURITY_POLICY = policy
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(read_only_demo_site + "/klustret/platser/")
    page.wait_for_load_state("networkidle")

    images = page.locator("svg.site-map g.map-tiles image")
    hrefs = [images.nth(i).get_attribute("href") for i in range(images.count())]
    assert len(hrefs) == 24  # 4 × 6 tiles at zoom 7 over Norrbotten and Västerbotten
    assert sorted(requested) == sorted(href.removeprefix(tiles) for href in hrefs)
    assert page.evaluate("window.__cspViolations") == []
    box = images.first.bounding_box()
    assert box["width"] > 50 and box["height"] > 50
    assert "© Provkartans bidragsgivare" in page.locator(".map-attribution").inner_text()
