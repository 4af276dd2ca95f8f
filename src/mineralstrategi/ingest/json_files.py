"""Shared helpers for JSON files read as a stream of events with ijson."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import ijson

from mineralstrategi.ingest.records import FileRejected


@contextmanager
def open_json(path: Path) -> Iterator[BinaryIO]:
    """The file opened for ijson, past a UTF-8 byte-order mark if there is one."""
    with path.open("rb") as handle:
        if handle.read(3) != codecs.BOM_UTF8:
            handle.seek(0)
        yield handle


def first_byte(path: Path) -> bytes:
    """The first byte that is not white space (after a byte-order mark), or b""."""
    with open_json(path) as handle:
        while chunk := handle.read(4096):
            stripped = chunk.lstrip(b" \t\r\n")
            if stripped:
                return stripped[:1]
    return b""


def json_fault(fault: Exception) -> FileRejected:
    """A parse error of ijson as a fault a user can read."""
    text = " ".join(str(fault).split())
    return FileRejected(f"the file is not valid JSON: {text[:200]}")


JSON_FAULTS = (ijson.JSONError, UnicodeDecodeError)


# Every reader of ours goes through these three, which parse numbers with use_float=True.
# Without it, ijson's C backend (yajl2_c, the one installed) hands each integer to Python as text,
# and one of more than 4,300 digits (Python's limit on turning text into an int) crashes the whole
# process with a segmentation fault: one uploaded file would take the web worker down. With it
# the backend reads numbers itself: an integer past 64 bits is a parse error ("integer
# overflow"), reported as the file's fault like any other.


def json_events(handle: BinaryIO) -> Iterator[tuple[str, str, object]]:
    """(prefix, event, value) of every JSON event."""
    return ijson.parse(handle, use_float=True)


def json_items(handle: BinaryIO, prefix: str) -> Iterator[object]:
    """Each whole value under `prefix` ("value.item")."""
    return ijson.items(handle, prefix, use_float=True)


def json_kvitems(handle: BinaryIO, prefix: str) -> Iterator[tuple[str, object]]:
    """(key, value) of each member of the object at `prefix` ("" for the top level)."""
    return ijson.kvitems(handle, prefix, use_float=True)


def build_value(first: tuple[str, object], events: Iterator[tuple]) -> object:
    """One whole JSON value from its first (event, value) pair and the events after it."""
    event, value = first
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _prefix, event, value in events:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value


def count_items(first: tuple[str, object], events: Iterator[tuple]) -> tuple[str, int]:
    """Skip one JSON value, keeping only its kind ("array", "object", "scalar") and length."""
    event, _value = first
    if event not in ("start_map", "start_array"):
        return "scalar", 1
    depth, count = 1, 0
    for _prefix, event, _value in events:
        if depth == 1 and (
            event == "map_key" or (first[0] == "start_array" and not event.startswith("end_"))
        ):
            count += 1
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return ("object" if event == "end_map" else "array"), count
