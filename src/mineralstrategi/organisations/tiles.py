"""A background map from a tile service, drawn behind the SVG maps of `maps.py`.

Tile services (OpenStreetMap and the like) serve square 256-pixel images of the Web Mercator
projection, numbered {z}/{x}/{y}: at zoom z the world is 2**z tiles across, x counted east from
180° W, y south from about 85° N. The maps of `maps.py` are not Web Mercator: they are
equirectangular (longitude and latitude linear, the longitude scaled by the cosine of the middle
latitude), which the borders, the site positions and every PDF share. Rather than redraw all of
that in Mercator, each tile is reprojected onto the map: its four edges are the meridians and
parallels it covers, placed exactly where the map puts them, and the image is stretched between
them (`preserveAspectRatio="none"`). Along a meridian Mercator is not linear in latitude, so a
point inside a tile is off by at most h·tan(φ)/8 of the tile's height (h its height in radians
of latitude): at zoom 7 in northern Sweden, under 0.3 % of the tile, less than a pixel. Edges,
and so the seams between tiles, fall exactly on the map's own coordinates.

The tiles are chosen on the server for the map's whole extent, at the lowest zoom that gives
about TILE_PIXELS_ACROSS pixels across it, so the page needs no JavaScript; zooming in on the
page enlarges the same tiles. Pure: no Django, no requests (the browser fetches the images).
"""

import math
from dataclasses import dataclass

from .maps import Projection

TILE_SIZE = 256
# Tile pixels across the whole map: twice its 400 map units, sharp on a wide screen and at the
# page's first zoom step.
TILE_PIXELS_ACROSS = 800
# At most this many tiles on one map (the zoom is lowered until the extent needs no more).
MAX_TILES = 64
MAX_ZOOM = 18
# Web Mercator's limit of latitude, where the square world ends.
MAX_LATITUDE = math.degrees(math.atan(math.sinh(math.pi)))


def tile_of(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The (x, y) of the tile at `zoom` that holds the point (WGS 84 degrees)."""
    n = 2**zoom
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    phi = math.radians(lat)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(phi)) / math.pi) / 2.0 * n
    return min(n - 1, max(0, math.floor(x))), min(n - 1, max(0, math.floor(y)))


def tile_corner(x: int, y: int, zoom: int) -> tuple[float, float]:
    """(lat, lon) of the north-west corner of tile (x, y) at `zoom`."""
    n = 2**zoom
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    return lat, lon


def zoom_for(min_lon: float, max_lon: float, *, pixels_across: int = TILE_PIXELS_ACROSS) -> int:
    """The lowest zoom at which the longitudes span at least `pixels_across` tile pixels."""
    span = max(max_lon - min_lon, 1e-9)
    for zoom in range(MAX_ZOOM + 1):
        if TILE_SIZE * 2**zoom * span / 360.0 >= pixels_across:
            return zoom
    return MAX_ZOOM


@dataclass(frozen=True)
class Tile:
    """One tile placed on the map, in map units."""

    zoom: int
    x: int
    y: int
    url: str
    left: float
    top: float
    width: float
    height: float


def tile_url(template: str, zoom: int, x: int, y: int) -> str:
    return template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))


def tiles_for(
    projection: Projection,
    width: float,
    height: float,
    template: str,
    *,
    pixels_across: int = TILE_PIXELS_ACROSS,
    max_tiles: int = MAX_TILES,
) -> tuple[Tile, ...]:
    """The tiles of `template` that cover a map of `width` × `height` map units drawn by
    `projection`, each with its place on the map."""
    min_lon, max_lon = projection.lon_lat(0, 0)[0], projection.lon_lat(width, 0)[0]
    max_lat, min_lat = projection.lon_lat(0, 0)[1], projection.lon_lat(0, height)[1]
    zoom = zoom_for(min_lon, max_lon, pixels_across=pixels_across)
    while True:
        west, north = tile_of(max_lat, min_lon, zoom)
        east, south = tile_of(min_lat, max_lon, zoom)
        if zoom == 0 or (east - west + 1) * (south - north + 1) <= max_tiles:
            break
        zoom -= 1
    tiles = []
    for y in range(north, south + 1):
        top_lat = tile_corner(west, y, zoom)[0]
        bottom_lat = tile_corner(west, y + 1, zoom)[0]
        for x in range(west, east + 1):
            left_lon = tile_corner(x, y, zoom)[1]
            right_lon = tile_corner(x + 1, y, zoom)[1]
            left, top = projection.xy(left_lon, top_lat)
            right, bottom = projection.xy(right_lon, bottom_lat)
            left, top, right, bottom = (round(v, 2) for v in (left, top, right, bottom))
            tiles.append(
                Tile(
                    zoom=zoom,
                    x=x,
                    y=y,
                    url=tile_url(template, zoom, x, y),
                    left=left,
                    top=top,
                    width=round(right - left, 2),
                    height=round(bottom - top, 2),
                )
            )
    return tuple(tiles)
