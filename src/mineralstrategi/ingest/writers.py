"""Our figures out in the formats we read: a JSON-stat 2.0 dataset and an Open SDG data file.

What these write, the parsers read back to the same observations (place, period, breakdown,
value, provisional, estimated): the tests import each export into an empty indicator and compare.
Places are written as the parsers read them: the nation "SE" (JSON-stat) or an empty GeoCode
(Open SDG), counties and municipalities by their official codes, sites as "site:<code>". A
disaggregation at its total is written with the total's code (the source's own, else SDMX's "_T")
in JSON-stat and as an empty cell in Open SDG, as each format says "total".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mineralstrategi.ingest.values import SITE_PREFIX

TOTAL_CODE = "_T"
LEVEL_ORDER = {"nation": 0, "county": 1, "municipality": 2, "site": 3}


@dataclass(frozen=True)
class Point:
    """One observation as the writers take it."""

    geo_level: str
    geo_code: str
    breakdown: Mapping[str, str]
    period: str
    value: float | None
    provisional: bool = False
    estimated: bool = False

    @property
    def status(self) -> str:
        flags = [name for name, on in (("p", self.provisional), ("e", self.estimated)) if on]
        return " ".join(flags)


def place_code(level: str, code: str) -> str:
    """A place's code as the parsers read it back."""
    return f"{SITE_PREFIX}{code}" if level == "site" else code


def jsonstat_dataset(
    *,
    code: str,
    label: str,
    unit: str,
    source: str,
    updated: str,
    note: str,
    disaggregations: list[dict],
    place_names: Mapping[tuple[str, str], str],
    points: Iterable[Point],
) -> dict:
    """A JSON-stat 2.0 dataset: place × disaggregations × content × period, sparse values.

    `disaggregations` are the indicator's ({"id", "label", "total", "total_label", "categories"}).
    """
    points = list(points)
    places = sorted({(p.geo_level, p.geo_code) for p in points}, key=_place_order)
    periods = sorted({p.period for p in points})
    dimension_ids = [d["id"] for d in disaggregations]
    totals = {d["id"]: d.get("total") or TOTAL_CODE for d in disaggregations}
    categories = {
        d["id"]: [totals[d["id"]], *(c["id"] for c in d["categories"])] for d in disaggregations
    }
    ids = ["Region", *dimension_ids, "ContentsCode", "Tid"]
    axes = [
        [place_code(*place) for place in places],
        *(categories[d] for d in dimension_ids),
        [code],
        periods,
    ]
    positions = [{category: i for i, category in enumerate(axis)} for axis in axes]
    values: dict[str, float | None] = {}
    status: dict[str, str] = {}
    for point in points:
        coordinates = [
            place_code(point.geo_level, point.geo_code),
            *(point.breakdown.get(d, totals[d]) for d in dimension_ids),
            code,
            point.period,
        ]
        position = 0
        for axis, category in zip(positions, coordinates, strict=True):
            position = position * len(axis) + axis[category]
        values[str(position)] = point.value
        if point.status:
            status[str(position)] = point.status
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": source,
        "note": [note] if note else [],
        "id": ids,
        "size": [len(axis) for axis in axes],
        "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": _dimension(
                "region",
                {place_code(*place): place_names.get(place, place[1]) for place in places},
            ),
            **{
                d["id"]: {
                    **_dimension(
                        d.get("label") or d["id"],
                        {
                            totals[d["id"]]: d.get("total_label") or "Total",
                            **{c["id"]: c["label"] for c in d["categories"]},
                        },
                    ),
                    # as PxWeb names a total, so that any reader (ours too) knows it
                    "extension": {"elimination": True, "eliminationValueCode": totals[d["id"]]},
                }
                for d in disaggregations
            },
            "ContentsCode": {
                **_dimension("content", {code: label}),
                "category": {
                    "index": {code: 0},
                    "label": {code: label},
                    "unit": {code: {"base": unit, "decimals": 2}},
                },
            },
            "Tid": _dimension("period", {period: period for period in periods}),
        },
        "value": values,
    }
    if updated:
        dataset["updated"] = updated
    if status:
        dataset["status"] = status
    return dataset


def _dimension(label: str, categories: Mapping[str, str]) -> dict:
    return {
        "label": label,
        "category": {
            "index": {category: i for i, category in enumerate(categories)},
            "label": dict(categories),
        },
    }


def _place_order(place: tuple[str, str]) -> tuple:
    return LEVEL_ORDER.get(place[0], 9), place[1]


def opensdg_table(
    *, unit: str, disaggregations: list[dict], points: Iterable[Point]
) -> tuple[list[str], Iterable[list]]:
    """An Open SDG data file: Year, Units, the disaggregations (empty at their total), GeoCode
    (empty for the nation), Observation status, Value. Returns (header, rows)."""
    dimension_ids = [d["id"] for d in disaggregations]
    header = ["Year", "Units", *dimension_ids, "GeoCode", "Observation status", "Value"]

    def rows():
        for point in sorted(points, key=_point_order):
            geo = "" if point.geo_level == "nation" else place_code(point.geo_level, point.geo_code)
            yield [
                point.period,
                unit,
                *(point.breakdown.get(d, "") for d in dimension_ids),
                geo,
                _opensdg_status(point),
                "" if point.value is None else repr(point.value),
            ]

    return header, rows()


def _point_order(point: Point) -> tuple:
    return (
        *_place_order((point.geo_level, point.geo_code)),
        sorted(point.breakdown.items()),
        point.period,
    )


def _opensdg_status(point: Point) -> str:
    if point.provisional and point.estimated:
        return "Provisional, estimated"
    if point.provisional:
        return "Provisional value"
    if point.estimated:
        return "Estimated value"
    return "Normal value"
