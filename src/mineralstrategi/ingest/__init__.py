"""Statistics files in, records and faults out: plain Python, no Django.

    from mineralstrategi.ingest import parse
    stream = parse("observations.csv")          # format found from the content
    for observation in stream: ...              # records one at a time
    stream.errors                               # every bad row or field, with its place

`parse_all` keeps every record in a `ParseResult`; `check` only counts them. The formats are in
`FORMATS`; see each module for its layout.
"""

from importlib import import_module

# Where each name of the package lives. They are imported on first use (PEP 562), so that a
# process which only needs the records (the models, `manage` commands) does not load pandas and
# openpyxl with the file readers: a command's start-up is seconds faster.
_HOMES = {
    "FORMATS": "detect",
    "detect_format": "detect",
    "check": "formats",
    "parse": "formats",
    "parse_all": "formats",
    **dict.fromkeys(
        [
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
        ],
        "records",
    ),
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


__all__ = sorted(_HOMES)


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
