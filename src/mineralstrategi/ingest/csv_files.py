"""CSV files: encoding and delimiter found from the content, rows streamed to a table layout."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from mineralstrategi.ingest.faults import Fault, gettext_noop
from mineralstrategi.ingest.records import FileRejected, Observation, ParseStream, PricePoint
from mineralstrategi.ingest.tabular import (
    Row,
    classify_header,
    expected_header_text,
    header_names,
    observations_from_rows,
    prices_from_rows,
)

SAMPLE_BYTES = 64 * 1024
LAYOUT_NAMES = {
    "csv": "a long header (geo, period, value)",
    "opensdg-csv": "an Open SDG header (Year, …, Value)",
    "prices-csv": "a price header (month, copper_usd_per_mt, …)",
}


def sniff_encoding(sample: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252.

    Excel on Swedish Windows saves "CSV" in Windows-1252; everything else we meet is UTF-8.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_delimiter(first_line: str) -> str:
    """`;` (Swedish Excel), tab or `,`: whichever the header line holds most of, outside quotes."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _open_text(path: Path) -> tuple[io.TextIOWrapper, str]:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(Fault(gettext_noop("the file holds binary data, not CSV text")))
    encoding = sniff_encoding(sample)
    return path.open(encoding=encoding, newline=""), encoding


def csv_rows(path: Path) -> tuple[Row, Iterator[Row], str]:
    """The header row, an iterator over the remaining rows (numbered as a spreadsheet does) and
    the delimiter."""
    handle, encoding = _open_text(path)
    try:
        first_line = handle.readline(SAMPLE_BYTES)
        handle.seek(0)
    except UnicodeDecodeError:
        handle.close()
        raise FileRejected(f"row 1 is not {encoding} text") from None
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(handle, delimiter=delimiter)
    numbered = _numbered_rows(reader, handle, encoding)
    for row_number, cells in numbered:
        if any(cell.strip() for cell in cells):
            return (row_number, cells), numbered, delimiter
    handle.close()
    raise FileRejected(Fault(gettext_noop("the file is empty: no header row")))


def _numbered_rows(reader, handle: io.TextIOWrapper, encoding: str) -> Iterator[Row]:
    row_number = 0
    with handle:
        try:
            for row_number, cells in enumerate(reader, start=1):  # noqa: B007
                yield row_number, cells
        except UnicodeDecodeError:
            raise FileRejected(f"the text after row {row_number} is not {encoding}") from None
        except csv.Error as fault:
            raise FileRejected(f"unreadable CSV: {fault}", row=row_number + 1) from None


def read_csv(path: Path, stream: ParseStream, layout: str | None = None) -> Iterator:
    """Records of a CSV file in the layout its header shows (or the one asked for)."""
    header, rows, delimiter = csv_rows(path)
    try:
        names = header_names(header[1])
        found = classify_header(names)
        if layout is None and found is None:
            raise FileRejected(
                f"unrecognised header {', '.join(names)[:200]!r}: {expected_header_text()}",
                row=header[0],
            )
        layout = layout or found
        if found != layout:
            raise FileRejected(
                f"the header {', '.join(names)[:200]!r} is not {LAYOUT_NAMES[layout]}",
                row=header[0],
            )
        stream.meta["delimiter"] = {"\t": "tab"}.get(delimiter, delimiter)
        if layout == "prices-csv":
            yield from prices_from_rows(header, rows, stream)
        else:
            yield from observations_from_rows(header, rows, layout, stream)
    finally:
        rows.close()


def read_long_csv(path: Path, stream: ParseStream) -> Iterator[Observation]:
    return read_csv(path, stream, "csv")


def read_opensdg_csv(path: Path, stream: ParseStream) -> Iterator[Observation]:
    return read_csv(path, stream, "opensdg-csv")


def read_prices_csv(path: Path, stream: ParseStream) -> Iterator[PricePoint]:
    return read_csv(path, stream, "prices-csv")
