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


@dataclass(frozen=True)
class BaseMap:
    width: float
    height: float
    shapes: tuple[MunicipalityShape, ...]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=32)
def base_map(county_codes: tuple[str, ...]) -> BaseMap:
    """The municipalities of the given counties, projected to fit MAP_WIDTH."""
    features = [
        feature
        for feature in json.loads(BORDERS_FILE.read_text(encoding="utf-8"))["features"]
        if not county_codes or feature["properties"]["lan_code"] in county_codes
    ]
    points = [point for f in features for ring in _rings(f["geometry"]) for point in ring]
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = MAP_WIDTH / ((max_lon - min_lon) * x_scale)
    height = (max_lat - min_lat) * scale

    def project(point) -> str:
        x = (point[0] - min_lon) * x_scale * scale
        y = (max_lat - point[1]) * scale
        return f"{x:.1f},{y:.1f}"

    shapes = tuple(
        MunicipalityShape(
            code=f["properties"]["id"],
            name=f["properties"]["kom_namn"],
            county_code=f["properties"]["lan_code"],
            path=" ".join(
                "M" + " L".join(project(point) for point in ring) + " Z"
                for ring in _rings(f["geometry"])
            ),
        )
        for f in sorted(features, key=lambda f: f["properties"]["id"])
    )
    return BaseMap(width=MAP_WIDTH, height=round(height, 1), shapes=shapes)


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


def choropleth(
    county_codes: tuple[str, ...], values: dict[str, float]
) -> tuple[BaseMap, list[ChoroplethShape], list[LegendClass]]:
    """Colour each municipality by its value in equal-width classes; grey where there is none."""
    base = base_map(county_codes)
    known = [v for v in values.values() if v is not None and math.isfinite(v)]
    if not known:
        return base, [ChoroplethShape(s, None, NO_DATA_COLOUR) for s in base.shapes], []
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
        ChoroplethShape(s, values.get(s.code), colour(values.get(s.code))) for s in base.shapes
    ]
    return base, shapes, legend
