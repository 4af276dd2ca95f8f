"""Municipality borders as SVG paths, for maps that need no tile server, no JavaScript, and that
print and go into PDFs as they are.

The borders are projected once per process (equirectangular, scaled by the cosine of the map's
middle latitude, which is true enough for a county-sized choropleth).
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BORDERS_FILE = Path(__file__).resolve().parent / "data" / "swedish_municipalities.geojson"
MAP_WIDTH = 400.0


@dataclass(frozen=True)
class MunicipalityShape:
    code: str
    name: str
    county_code: str
    path: str  # SVG path data in map units
    # Where the name is written, in map units: the border file's own label point.
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True)
class BaseMap:
    width: float
    height: float
    shapes: tuple[MunicipalityShape, ...]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=1)
def _all_features() -> tuple[dict, ...]:
    return tuple(json.loads(BORDERS_FILE.read_text(encoding="utf-8"))["features"])


def _features(county_codes: tuple[str, ...]) -> list[dict]:
    return [
        feature
        for feature in _all_features()
        if not county_codes or feature["properties"]["lan_code"] in county_codes
    ]


@dataclass(frozen=True)
class Projection:
    """Equirectangular, scaled by the cosine of the middle latitude, fitted to MAP_WIDTH."""

    min_lon: float
    max_lat: float
    x_scale: float
    scale: float
    height: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - self.min_lon) * self.x_scale * self.scale,
            (self.max_lat - lat) * self.scale,
        )

    def lon_lat(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of `xy`: (lon, lat) in degrees of a point in map units."""
        return self.min_lon + x / (self.x_scale * self.scale), self.max_lat - y / self.scale


@lru_cache(maxsize=32)
def projection(county_codes: tuple[str, ...]) -> Projection:
    points = [
        point for f in _features(county_codes) for ring in _rings(f["geometry"]) for point in ring
    ]
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = MAP_WIDTH / ((max_lon - min_lon) * x_scale)
    return Projection(min_lon, max_lat, x_scale, scale, round((max_lat - min_lat) * scale, 1))


@lru_cache(maxsize=32)
def base_map(county_codes: tuple[str, ...]) -> BaseMap:
    """The municipalities of the given counties, projected to fit MAP_WIDTH."""
    features = _features(county_codes)
    proj = projection(county_codes)

    def project(point) -> str:
        x, y = proj.xy(point[0], point[1])
        return f"{x:.1f},{y:.1f}"

    def label_point(properties) -> tuple[float, float]:
        lat, lon = properties["geo_point_2d"]
        x, y = proj.xy(lon, lat)
        return round(x, 1), round(y, 1)

    shapes = tuple(
        MunicipalityShape(
            code=f["properties"]["id"],
            name=f["properties"]["kom_namn"],
            county_code=f["properties"]["lan_code"],
            path=" ".join(
                "M" + " L".join(project(point) for point in ring) + " Z"
                for ring in _rings(f["geometry"])
            ),
            label_x=label_point(f["properties"])[0],
            label_y=label_point(f["properties"])[1],
        )
        for f in sorted(features, key=lambda f: f["properties"]["id"])
    )
    return BaseMap(width=MAP_WIDTH, height=proj.height, shapes=shapes)


def project_point(county_codes: tuple[str, ...], lat: float, lon: float) -> tuple[float, float]:
    """A point (WGS 84 degrees) in the map units of `base_map(county_codes)`."""
    x, y = projection(county_codes).xy(lon, lat)
    return round(x, 1), round(y, 1)


def _inside(ring: list[list[float]], lon: float, lat: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def municipality_at(lat: float, lon: float, county_codes: tuple[str, ...] = ()) -> str | None:
    """The code of the municipality (of the given counties, or any) the point lies in, if any.
    Even-odd rule over all rings of a municipality, so that holes and islands count right."""
    for feature in _features(county_codes):
        inside = False
        for ring in _rings(feature["geometry"]):
            if _inside(ring, lon, lat):
                inside = not inside
        if inside:
            return feature["properties"]["id"]
    return None


# A sequential blue scale with enough contrast between steps (ColorBrewer "Blues", 5 classes).
COLOUR_SCALE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class LegendClass:
    colour: str
    low: float
    high: float


@dataclass(frozen=True)
class ChoroplethShape:
    shape: MunicipalityShape
    value: float | None
    colour: str
    name: str = ""  # what the shape stands for: its municipality, or its county on a county map


def choropleth(
    county_codes: tuple[str, ...],
    values: dict[str, float],
    *,
    county_names: dict[str, str] | None = None,
) -> tuple[BaseMap, list[ChoroplethShape], list[LegendClass]]:
    """Colour each municipality by its value in equal-width classes; grey where there is none.

    With `county_names` the values are the counties' (keyed by county code): each municipality
    takes its county's value and name, which draws a county map from the municipal borders."""
    base = base_map(county_codes)
    known = [v for v in values.values() if v is not None and math.isfinite(v)]
    if not known:
        return (
            base,
            [
                ChoroplethShape(s, None, NO_DATA_COLOUR, name)
                for s, _code, name in _keyed(base.shapes, county_names)
            ],
            [],
        )
    low, high = min(known), max(known)
    steps = len(COLOUR_SCALE)
    width = (high - low) / steps or 1.0
    legend = [
        LegendClass(COLOUR_SCALE[i], low + i * width, low + (i + 1) * width) for i in range(steps)
    ]

    def colour(value):
        if value is None:
            return NO_DATA_COLOUR
        return COLOUR_SCALE[min(steps - 1, int((value - low) / width))]

    shapes = [
        ChoroplethShape(s, values.get(code), colour(values.get(code)), name)
        for s, code, name in _keyed(base.shapes, county_names)
    ]
    return base, shapes, legend


def _keyed(shapes, county_names: dict[str, str] | None):
    """(shape, code of the place it stands for, that place's name) for each shape."""
    for shape in shapes:
        if county_names is None:
            yield shape, shape.code, shape.name
        else:
            yield shape, shape.county_code, county_names.get(shape.county_code, shape.county_code)
