"""A quick estimate of how many records a file holds, for a progress bar before it is parsed.

Cheap on purpose: text files are counted by lines, JSON-stat by the product of its sizes (read
from the start of the file only, and only up to the parser's limit). Where no cheap count exists
the answer is None.
"""

from __future__ import annotations

from pathlib import Path

from mineralstrategi.ingest.detect import KIND_OF_FORMAT
from mineralstrategi.ingest.json_files import JSON_FAULTS, json_events, open_json
from mineralstrategi.ingest.jsonstat import declared_values

PRICE_COLUMNS_GUESS = 10


def _line_count(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
    return lines


def _jsonstat_size(path: Path) -> int | None:
    """The values a JSON-stat dataset declares; None over the parser's limit (which refuses it)."""
    sizes: list = []
    with open_json(path) as handle:
        for prefix, event, value in json_events(handle):
            if prefix == "size" and event == "start_array":
                sizes = []
            elif prefix == "size.item":
                sizes.append(value)
            elif prefix == "size" and event == "end_array":
                if not all(isinstance(size, int) and size >= 0 for size in sizes):
                    return None
                return declared_values(sizes)
            elif prefix == "value" and event in ("start_array", "start_map"):
                return None  # the values come before the sizes: too far to read ahead
    return None


def estimate_records(path: str | Path, format: str) -> int | None:
    """About how many records `parse(path, format)` will yield; None when it cannot be told cheaply."""
    path = Path(path)
    try:
        if KIND_OF_FORMAT.get(format) == "text":
            lines = max(_line_count(path) - 1, 0)
            return lines * PRICE_COLUMNS_GUESS if format == "prices-csv" else lines
        if format == "jsonstat":
            return _jsonstat_size(path)
    except (OSError, ValueError, *JSON_FAULTS):
        return None
    return None
