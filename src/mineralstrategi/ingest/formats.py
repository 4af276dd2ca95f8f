"""Parse a file: find its format (or take the one asked for), then stream its records."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from mineralstrategi.ingest.csv_files import read_csv
from mineralstrategi.ingest.detect import FORMATS, KIND_OF_FORMAT, check_kind, detect_format
from mineralstrategi.ingest.jsonstat import read_jsonstat
from mineralstrategi.ingest.kolada import read_kolada
from mineralstrategi.ingest.pink_sheet import read_pink_sheet
from mineralstrategi.ingest.records import (
    DEFAULT_MAX_ERRORS,
    FileRejected,
    ParseResult,
    ParserFunction,
    ParseStream,
    Record,
)
from mineralstrategi.ingest.xlsx_files import read_xlsx

PARSERS: dict[str, ParserFunction] = {
    "csv": functools.partial(read_csv, layout="csv"),
    "opensdg-csv": functools.partial(read_csv, layout="opensdg-csv"),
    "prices-csv": functools.partial(read_csv, layout="prices-csv"),
    "xlsx": read_xlsx,
    "pinksheet": read_pink_sheet,
    "jsonstat": read_jsonstat,
    "kolada": read_kolada,
}
assert PARSERS.keys() == FORMATS.keys()


def parse(
    path: str | Path,
    format: str | None = None,
    *,
    display_name: str | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
) -> ParseStream:
    """The records of a file as a lazy stream; its faults fill in while it is read.

    `format` is one of `FORMATS` (None: found from the content). A file that cannot be read at
    all gives an empty stream with one fault. `display_name` is the name faults give the file
    (an upload's original name rather than a temporary path).
    """
    path = Path(path)
    if format is not None and format not in PARSERS:
        raise ValueError(f"unknown format {format!r}; formats: {', '.join(PARSERS)}")

    def parser(path: Path, stream: ParseStream) -> Iterator[Record]:
        if not path.is_file():
            raise FileRejected("there is no such file")
        try:
            check_kind(path, KIND_OF_FORMAT[format] if format else None)
            stream.format = format or detect_format(path)
            yield from PARSERS[stream.format](path, stream)
        except OSError as error:
            # Said without the path: the file is named by its display name, never by where it
            # is kept (an upload's stored path is nobody's business but the server's).
            reason = error.strerror or type(error).__name__
            raise FileRejected(f"the file cannot be read: {reason}") from None

    return ParseStream(
        path, format or "auto", parser, display_name=display_name, max_errors=max_errors
    )


def parse_all(path: str | Path, format: str | None = None, **options) -> ParseResult:
    """Parse a whole file and keep every record (for files that fit in memory)."""
    return parse(path, format, **options).collect()


def check(path: str | Path, format: str | None = None, **options) -> ParseResult:
    """Parse a whole file for its counts and faults only, keeping no record."""
    return parse(path, format, **options).drain()
