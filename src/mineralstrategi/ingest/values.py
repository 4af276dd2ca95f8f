"""Reading single cells: numbers (decimal comma too), periods, status flags, geography codes.

Each function returns the normalised value or raises `ValueError` with a message a user can act
on; the parsers turn that message into a fault with the file, row and field.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from pathlib import Path

from mineralstrategi.ingest.faults import Fault, gettext_noop
from mineralstrategi.ingest.records import NATION_CODE, GeographyLevel

#: Cells that mean "no value" in the files statistics offices publish: empty, SCB's "..",
#: the World Bank's "…", Eurostat's ":".
MISSING_MARKERS = frozenset({"", "..", "...", "…", ":"})

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_COMMA_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")


def parse_number(cell: object) -> float | None:
    """A cell as a float, None when it is a missing marker.

    Accepts a decimal comma ("12,5"), spaces as thousands separators ("1 234,5"), the Unicode
    minus sign, and both "1,234.5" and "1.234,5". A single separator is always the decimal one:
    "1,234" is 1.234, as a Swedish reader means it.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise Fault(gettext_noop("%(value)s is not a number"), value=repr(cell))
    if isinstance(cell, int | float):
        number = float(cell)
        if not math.isfinite(number):
            raise Fault(gettext_noop("%(value)s is not a finite number"), value=repr(cell))
        return number
    text = str(cell).strip()
    if text in MISSING_MARKERS:
        return None
    compact = text.translate(_SPACES).replace("\u2212", "-")
    if _PLAIN_NUMBER.fullmatch(compact):  # the common case first: one separator at most
        compact = compact.replace(",", ".")
    elif _COMMA_THOUSANDS.fullmatch(compact) and "." in compact:
        compact = compact.replace(",", "")
    elif _DOT_THOUSANDS.fullmatch(compact) and "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    else:
        raise Fault(gettext_noop("%(value)s is not a number"), value=repr(_shorten(text)))
    number = float(compact)
    if not math.isfinite(number):
        raise Fault(
            gettext_noop("%(value)s is too large to be a number"), value=repr(_shorten(text))
        )
    return number


_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*[-_ ]?\s*[QqKk]([1-4])")
_MONTH = re.compile(r"(\d{4})(?:[Mm]|-)(\d{1,2})")
_FIRST_YEAR, _LAST_YEAR = 1800, 2200


def normalise_period(cell: object) -> str:
    """A period as "2019", "2019-Q3" or "2019-07" (see `_normalise_period`)."""
    if type(cell) is str:
        return _cached_period(cell)
    return _normalise_period(cell)


@functools.lru_cache(maxsize=4096)
def _cached_period(cell: str) -> str:
    return _normalise_period(cell)  # files repeat the same few periods on every row


def _normalise_period(cell: object) -> str:
    """A period as "2019", "2019-Q3" or "2019-07".

    Reads the forms statistics offices use: 2019, 2019.0 (a spreadsheet year), "2019Q3",
    "2019K3" (SCB's quarters), "2019-Q3", "2019M07" (SCB and the World Bank), "2019-07".
    """
    if isinstance(cell, bool) or cell is None:
        raise Fault(gettext_noop("%(value)s is not a period"), value=repr(cell))
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    if match := _YEAR.fullmatch(text):
        return _checked_year(match.group(1), text)
    if match := _QUARTER.fullmatch(text):
        return f"{_checked_year(match.group(1), text)}-Q{match.group(2)}"
    if match := _MONTH.fullmatch(text):
        month = int(match.group(2))
        if 1 <= month <= 12:
            return f"{_checked_year(match.group(1), text)}-{month:02d}"
    raise Fault(
        gettext_noop(
            "%(value)s is not a period (expected a year like 2019, a quarter like "
            "2019-Q3 or 2019K3, or a month like 2019-07 or 2019M07)"
        ),
        value=repr(_shorten(text)),
    )


def _checked_year(year: str, text: str) -> str:
    if not _FIRST_YEAR <= int(year) <= _LAST_YEAR:
        raise Fault(
            gettext_noop("%(value)s has a year outside %(first)s–%(last)s"),
            value=repr(text),
            first=_FIRST_YEAR,
            last=_LAST_YEAR,
        )
    return year


_PROVISIONAL = frozenset({"p", "prel", "preliminary", "provisional", "preliminär", "preliminärt"})
_ESTIMATED = frozenset({"e", "est", "estimated", "estimate", "skattad", "skattat", "uppskattad"})
_NORMAL = frozenset({"", "a", "normal", "final", "definitive", "definitiv", "slutlig"})


@functools.lru_cache(maxsize=1024)
def status_flags(status: str, strict: bool) -> tuple[bool, bool]:
    """(provisional, estimated) from a status text; several flags may be joined ("p e", "p,e").

    Strict (our own CSV layout): an unknown flag raises. Lenient (a provider's vocabulary, as in
    JSON-stat or Kolada): unknown flags are kept in the raw status and set nothing.
    """
    provisional = estimated = False
    text = status.strip().lower().removesuffix(" value")  # SDMX: "Estimated value"
    for token in re.split(r"[\s,;/+]+", text):
        if token in _PROVISIONAL:
            provisional = True
        elif token in _ESTIMATED:
            estimated = True
        elif token in _NORMAL or not strict:
            continue
        else:
            raise Fault(
                gettext_noop(
                    "%(value)s is not a status (expected empty, 'provisional' or 'p', "
                    "'estimated' or 'e')"
                ),
                value=repr(_shorten(status)),
            )
    return provisional, estimated


#: The reference data of the Swedish counties (län), beside the organisations that load them.
COUNTIES_CSV = Path(__file__).resolve().parents[1] / "organisations" / "data" / "counties.csv"


def _county_codes(path: Path = COUNTIES_CSV) -> frozenset[str]:
    """The official two-digit codes of the 21 counties, read from the reference data."""
    with path.open(encoding="utf-8", newline="") as file:
        return frozenset(row["county_code"] for row in csv.DictReader(file))


COUNTY_CODES = _county_codes()
_NATION_ALIASES = frozenset({"SE", "00", "0000", "RIKET", "SVERIGE", "SWEDEN"})
_LEVELS = ("nation", "county", "municipality", "site")
SITE_CODE_LENGTH = 40  # what the observations table stores
SITE_PREFIX = "site:"  # a site in a file without a level column, as our own exports write it


def geography_from_code(code: object, level: str | None = None) -> tuple[str, GeographyLevel]:
    """(code, level) for an official Swedish code (see `_geography_from_code`)."""
    if type(code) is str and (level is None or type(level) is str):
        return _cached_geography(code, level)
    return _geography_from_code(code, level)


@functools.lru_cache(maxsize=4096)
def _cached_geography(code: str, level: str | None) -> tuple[str, GeographyLevel]:
    return _geography_from_code(code, level)  # files repeat the same few places on every row


def _geography_from_code(code: object, level: str | None = None) -> tuple[str, GeographyLevel]:
    """(code, level) for an official Swedish code: nation, county (2 digits) or municipality.

    The nation becomes "SE" whatever the source calls it ("00" in SCB's tables, "0000" in
    Kolada); Kolada's county codes "0025" become "25". A site must be named with `level="site"`:
    its code is then taken as it stands.
    """
    text = ("" if code is None else str(code)).strip()
    if isinstance(code, float) and code.is_integer():
        text = str(int(code))
    if level:
        level = level.strip().lower()
        if level not in _LEVELS:
            raise Fault(
                gettext_noop("%(value)s is not a geography level (expected %(levels)s)"),
                value=repr(level),
                levels=", ".join(_LEVELS),
            )
        if level == "site":
            if not text:
                raise Fault(gettext_noop("a site needs a code"))
            if len(text) > SITE_CODE_LENGTH:
                raise Fault(
                    gettext_noop("a site code has at most %(limit)s characters"),
                    limit=SITE_CODE_LENGTH,
                )
            return text, "site"
    if not text:
        raise Fault(gettext_noop("the geography code is empty"))
    if not level and text.startswith(SITE_PREFIX):
        return _geography_from_code(text.removeprefix(SITE_PREFIX), "site")
    if text.upper() in _NATION_ALIASES:
        found: tuple[str, GeographyLevel] = (NATION_CODE, "nation")
    elif len(text) == 4 and text.startswith("00") and text[2:] in COUNTY_CODES:
        found = (text[2:], "county")
    elif text in COUNTY_CODES:
        found = (text, "county")
    elif len(text) == 4 and text.isdigit() and text[:2] in COUNTY_CODES and text[2:] != "00":
        found = (text, "municipality")
    else:
        raise Fault(
            gettext_noop(
                "%(value)s is not a Swedish geography code (expected SE or 00 for the nation, "
                "a two-digit county code like 25, or a four-digit municipality code like 2580)"
            ),
            value=repr(_shorten(text)),
        )
    if level and level != found[1]:
        raise Fault(
            gettext_noop("%(value)s is a %(found)s code, but the level says %(level)s"),
            value=repr(text),
            found=found[1],
            level=repr(level),
        )
    return found


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
