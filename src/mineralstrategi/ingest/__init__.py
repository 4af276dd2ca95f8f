"""Statistics files in, records and faults out: plain Python, no Django.

    from mineralstrategi.ingest import parse
    stream = parse("observations.csv")          # format found from the content
    for observation in stream: ...              # records one at a time
    stream.errors                               # every bad row or field, with its place

`parse_all` keeps every record in a `ParseResult`; `check` only counts them. The formats are in
`FORMATS`; see each module for its layout.
"""

from mineralstrategi.ingest.detect import FORMATS, detect_format
from mineralstrategi.ingest.formats import check, parse, parse_all
from mineralstrategi.ingest.records import (
    NATION_CODE,
    FileRejected,
    MethodBreak,
    Observation,
    ParseResult,
    ParseStream,
    PricePoint,
    PriceSeries,
    Record,
    RowError,
)

__all__ = [
    "FORMATS",
    "NATION_CODE",
    "FileRejected",
    "MethodBreak",
    "Observation",
    "ParseResult",
    "ParseStream",
    "PricePoint",
    "PriceSeries",
    "Record",
    "RowError",
    "check",
    "detect_format",
    "parse",
    "parse_all",
]
