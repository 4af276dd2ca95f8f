"""The format of a file, found from its content; a file that is not what its name says is refused.

Name and content must agree: a `.csv` that is really a zip archive, or a `.json` that holds no
JSON, is refused with a message saying what the file really seems to be.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from mineralstrategi.ingest.csv_files import SAMPLE_BYTES, csv_rows
from mineralstrategi.ingest.json_files import (
    JSON_FAULTS,
    first_byte,
    json_events,
    json_fault,
    open_json,
)
from mineralstrategi.ingest.pink_sheet import PINK_SHEET
from mineralstrategi.ingest.records import FileRejected
from mineralstrategi.ingest.tabular import classify_header, expected_header_text, header_names
from mineralstrategi.ingest.xlsx_files import OLE_SIGNATURE, check_workbook_container

#: Every format a parser reads, with what it is.
FORMATS = {
    "csv": "CSV in the long layout: geo, period, value (status, level, other dimensions)",
    "opensdg-csv": "CSV in the Open SDG layout: Year, disaggregations, Value",
    "prices-csv": "CSV of monthly commodity prices: month, copper_usd_per_mt, …",
    "xlsx": "XLSX workbook whose first sheet is in the Open SDG or long layout",
    "pinksheet": "the World Bank's monthly commodity price workbook (sheet 'Monthly Prices')",
    "jsonstat": "JSON-stat 2.0 dataset (PxWeb's json-stat2)",
    "kolada": "Kolada v2 data answer (JSON)",
}
KIND_OF_FORMAT = {
    "csv": "text",
    "opensdg-csv": "text",
    "prices-csv": "text",
    "xlsx": "workbook",
    "pinksheet": "workbook",
    "jsonstat": "json",
    "kolada": "json",
}
KIND_OF_SUFFIX = {
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",
    ".xlsx": "workbook",
    ".xlsm": "workbook",
    ".json": "json",
    ".jsonstat": "json",
}
KIND_NAMES = {
    "text": "CSV text",
    "workbook": "an .xlsx workbook",
    "json": "JSON",
    "zip": "a zip archive",
    "ole": "an old .xls workbook or an encrypted file",
    "binary": "binary data",
    "empty": "empty",
}
BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


def content_kind(path: Path) -> str:
    """What the bytes are: "workbook", "zip", "ole", "json", "text", "binary" or "empty"."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "workbook" if _is_workbook(path) else "zip"
    if head.startswith(OLE_SIGNATURE):
        return "ole"
    if any(head.startswith(signature) for signature in BINARY_SIGNATURES):
        return "binary"
    if first_byte(path) in (b"{", b"["):
        return "json"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _describe_kind(path: Path, kind: str) -> str:
    if kind == "binary":
        with path.open("rb") as handle:
            head = handle.read(8)
        for signature, name in BINARY_SIGNATURES.items():
            if head.startswith(signature):
                return name
    return KIND_NAMES[kind]


def check_kind(path: Path, wanted: str | None = None) -> str:
    """The file's content kind, refused when it disagrees with its name or the format asked for."""
    kind = content_kind(path)
    if kind == "empty":
        raise FileRejected("the file is empty")
    named = KIND_OF_SUFFIX.get(path.suffix.lower())
    if named and named != kind and not (named == "workbook" and kind in ("zip", "ole")):
        raise FileRejected(
            f"the name says {KIND_NAMES[named]} ({path.suffix}) but the file is "
            f"{_describe_kind(path, kind)}"
        )
    if wanted and wanted != kind and not (wanted == "workbook" and kind in ("zip", "ole")):
        raise FileRejected(
            f"the format asked for needs {KIND_NAMES[wanted]}, but the file is "
            f"{_describe_kind(path, kind)}"
        )
    if kind in ("zip", "ole", "binary") and wanted != "workbook" and named != "workbook":
        raise FileRejected(f"the file is {_describe_kind(path, kind)}, not a statistics file")
    return kind


def detect_format(path: Path) -> str:
    """The format of a file from its content (its name only has to agree)."""
    kind = check_kind(path)
    if kind in ("workbook", "zip", "ole"):
        sheets = check_workbook_container(path)
        return "pinksheet" if PINK_SHEET in sheets else "xlsx"
    if kind == "json":
        return _json_format(path)
    header, rows, _delimiter = csv_rows(path)
    rows.close()
    layout = classify_header(header_names(header[1]))
    if layout is None:
        names = ", ".join(header_names(header[1]))[:200]
        raise FileRejected(
            f"unrecognised header {names!r}: {expected_header_text()}", row=header[0]
        )
    return layout


def _json_format(path: Path, max_events: int = 10_000) -> str:
    """JSON-stat or Kolada, from the top-level keys (and the first item of a bare list)."""
    keys: set[str] = set()
    try:
        with open_json(path) as handle:
            for count, (prefix, event, value) in enumerate(json_events(handle)):
                if event == "map_key" and prefix == "":
                    keys.add(value)
                if event == "map_key" and prefix in ("values.item", "item") and value == "kpi":
                    return "kolada"
                if event == "map_key" and value == "dimension" and prefix and "." not in prefix:
                    return "jsonstat"  # a JSON-stat 1.x bundle: its parser says so
                if {"dimension", "id", "size"} <= keys or "version" in keys and "class" in keys:
                    return "jsonstat"
                if count >= max_events:
                    break
    except JSON_FAULTS as fault:
        raise json_fault(fault) from None
    if "dimension" in keys or "class" in keys:
        return "jsonstat"
    if "values" in keys:
        return "kolada"
    raise FileRejected(
        "the JSON is neither a JSON-stat dataset (version, class, id, size, dimension, value) "
        "nor a Kolada data answer (values with kpi, municipality, period)"
    )
