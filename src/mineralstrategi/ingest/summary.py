"""What a file holds, before anything is written: each dimension and what it became, each content
(measure) with its series, places and periods, and how many values the headline series has.

The preview of an import shows this, and the import keeps it in its log, so that a person sees
before and after what every value of the file became and where it is shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from mineralstrategi.ingest.dimensions import Role, breakdown_from_key, breakdown_key, headline_key
from mineralstrategi.ingest.records import Observation, ParseStream


def frequency_of(period: str) -> str:
    """ "annual", "quarterly" or "monthly" for a normalised period (2019, 2019-Q3, 2019-07)."""
    if len(period) == 4:
        return "annual"
    return "quarterly" if "Q" in period else "monthly"


@dataclass
class ContentSummary:
    """One content (measure) of a file: its series and how many values each has."""

    key: str
    records: int = 0
    series: Counter = field(default_factory=Counter)  # breakdown key -> values
    places: Counter = field(default_factory=Counter)  # geography level -> values
    first_period: str = ""
    last_period: str = ""
    frequencies: set[str] = field(default_factory=set)

    def add(self, record: Observation, breakdown: str) -> None:
        self.records += 1
        self.series[breakdown] += 1
        self.places[record.geography_level] += 1
        period = record.period
        if not self.first_period or period < self.first_period:
            self.first_period = period
        if period > self.last_period:
            self.last_period = period
        self.frequencies.add(frequency_of(period))

    @property
    def categories(self) -> dict[str, str]:
        return breakdown_from_key(self.key)

    def as_dict(self, labels: dict[str, dict[str, str]], names: dict[str, str]) -> dict:
        order = {dimension: list(codes) for dimension, codes in labels.items()}
        headline = headline_key(self.series, order)
        chosen = breakdown_from_key(headline)
        return {
            "key": self.key,
            "categories": [
                {"dimension": d, "id": c, "label": labels.get(d, {}).get(c, c)}
                for d, c in self.categories.items()
            ],
            "records": self.records,
            "series": len(self.series),
            "headline": [
                f"{names.get(d, d)}: {labels.get(d, {}).get(c, c)}" for d, c in chosen.items()
            ],
            "headline_values": self.series.get(headline, 0),
            "places": dict(self.places),
            "first_period": self.first_period,
            "last_period": self.last_period,
            "frequency": "/".join(sorted(self.frequencies)),
        }


@dataclass
class FileSummary:
    """A whole file summed up: its dimensions, its contents, its faults."""

    format: str
    records: int
    error_count: int
    dimensions: list[dict]
    contents: list[ContentSummary]
    meta: dict

    def as_dict(self) -> dict:
        labels = {d["id"]: {c["id"]: c["label"] for c in d["categories"]} for d in self.dimensions}
        names = {d["id"]: d["label"] for d in self.dimensions}
        return {
            "format": self.format,
            "records": self.records,
            "faults": self.error_count,
            "dimensions": self.dimensions,
            "contents": [content.as_dict(labels, names) for content in self.contents],
        }


class SummaryCollector:
    """Sums up records as they stream by (an import writes and sums up in one pass)."""

    def __init__(self) -> None:
        self.contents: dict[str, ContentSummary] = {}

    def add(self, record: Observation) -> str:
        """Count the record; return its breakdown key."""
        breakdown = breakdown_key(record.dimensions)
        content = self.contents.get(record.measure)
        if content is None:
            content = self.contents[record.measure] = ContentSummary(record.measure)
        content.add(record, breakdown)
        return breakdown

    def finish(self, stream: ParseStream) -> FileSummary:
        return FileSummary(
            format=stream.format,
            records=stream.record_count,
            error_count=stream.error_count,
            dimensions=stream.dimensions.as_list(),
            contents=sorted(self.contents.values(), key=lambda c: (-c.records, c.key)),
            meta=stream.meta,
        )


def summarise(stream: ParseStream) -> FileSummary:
    """Read the rest of `stream` and sum up what it holds (records of prices are not counted)."""
    collector = SummaryCollector()
    for record in stream:
        if isinstance(record, Observation):
            collector.add(record)
    return collector.finish(stream)


def disaggregation_dimensions(summary: dict) -> list[dict]:
    """The disaggregations of a file summed up by ``FileSummary.as_dict``."""
    return [d for d in summary.get("dimensions", []) if d["role"] == Role.DISAGGREGATION]


#: Who publishes a format whose files do not name their source.
FORMAT_SOURCES = {"kolada": "Kolada, Rådet för främjande av kommunala analyser (RKA)"}
UNIT_DIMENSIONS = frozenset({"units", "unit measure", "unit of measure", "unit_measure"})


def content_metadata(stream: ParseStream, content: str, file_name: str) -> dict[str, str]:
    """What a new indicator for one content of a file is called and measured in, from the file's
    own metadata: name, definition, unit, source, table id and the source's updated date."""
    categories = breakdown_from_key(content)
    names, units = [], []
    for dimension_id, code in categories.items():
        dimension = stream.dimensions.by_id.get(dimension_id)
        label = dimension.categories.get(code, code) if dimension else code
        if dimension_id.casefold() in UNIT_DIMENSIONS:
            units.append(label)
        elif dimension_id != "dataset" or not names:
            names.append(label)
        unit = stream.meta.get("units", {}).get(code)
        if isinstance(unit, dict) and unit.get("base"):
            units.append(str(unit["base"]))
    for dimension in stream.dimensions.of_role(Role.DISAGGREGATION):
        if dimension.total is None and len(dimension.categories) == 1:
            names.extend(dimension.categories.values())  # a selection the file was made from
    label = str(stream.meta.get("label") or "")
    stem = file_name.rsplit(".", 1)[0]
    name = ", ".join(names) or label or stem
    if stream.format == "kolada" and "kpi" in categories:
        name = f"Kolada {categories['kpi']}"  # a data answer names the KPI by its id only
    table = str(stream.meta.get("table") or "")
    if not table and stream.format == "kolada":
        table = categories.get("kpi", "")
    return {
        "name": name,
        "definition": label if label and label != name else name,
        "unit": ", ".join(units),
        "source": str(stream.meta.get("source") or FORMAT_SOURCES.get(stream.format, "")),
        "table": table,
        "updated": str(stream.meta.get("updated") or ""),
    }
