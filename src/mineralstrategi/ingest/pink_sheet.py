"""The World Bank's monthly commodity price workbook ("The Pink Sheet"), any edition.

Sheet "Monthly Prices": title rows (one says "Updated on December 02, 2025"), then header rows
found by what they hold rather than where they are: a row of units, each in parentheses
("($/mt)", "(cents/kg)", "(2010=100)"), a row of series codes ("CRUDE_PETRO", "IRON_ORE", also
"Tin" and "iNATGAS"; older editions have none) and the row of names above them. Months follow as
"1960M01" in column A, with "…" or ".." where a price is missing. Editions differ in their last
month and in the series they carry, so the columns are read from each file.

A series' key is its code in lower case ("IRON_ORE" -> "iron_ore"), or, without a codes row, a
key made from its name. Its group, description, original sources and method breaks come from the
sheet "Description" (see `pink_sheet_descriptions`); every series is attributed to the World Bank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from mineralstrategi.ingest.pink_sheet_descriptions import (
    DESCRIPTION_SHEET,
    WORLD_BANK_SOURCE,
    SeriesDescription,
    match_descriptions,
    read_descriptions,
    stated_breaks,
)
from mineralstrategi.ingest.records import (
    FileRejected,
    MethodBreak,
    ParseStream,
    PricePoint,
    PriceSeries,
)
from mineralstrategi.ingest.values import MISSING_MARKERS, parse_number
from mineralstrategi.ingest.xlsx_files import (
    HEADER_SEARCH_ROWS,
    Row,
    check_workbook_container,
    open_workbook,
    worksheet_rows,
)

PINK_SHEET = "Monthly Prices"
PINK_SHEET_PERIOD = re.compile(r"(\d{4})M(\d{2})")
#: "($/mt)", "($/troy oz)", "(cents/kg)", "(¢/kg)", "(€/mt)"
MONEY_UNIT = re.compile(
    r"\(\s*(?P<money>US\s*\$|\$|€|£|¢|(?:US\s*)?cents?)\s*/\s*(?P<per>[^()/]+?)\s*\)",
    re.IGNORECASE,
)
#: "(2010=100)", "(2010 = 100)"
INDEX_UNIT = re.compile(r"\(\s*(?P<base>(?:19|20)\d{2})\s*=\s*100\s*\)")
MONEY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¢": "US cents"}
#: Units written out in words, as their symbols.
UNIT_SYMBOLS = {"cubic meter": "m³", "cubic metre": "m³", "metric ton": "mt", "tonne": "mt"}
MAX_UNIT_LENGTH = 20
SERIES_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
UPDATED = re.compile(r"updated\s+(?:on|as\s+of:?)\s+(?P<date>.+)", re.IGNORECASE)
#: Pink Sheet names whose plain slug would differ from the series keys the codes give (editions
#: without a codes row).
COMMODITY_ALIASES = {"iron ore, cfr spot": "iron_ore"}


class Column(NamedTuple):
    """A readable series column: its index, name, (currency, unit) and letter."""

    index: int
    name: str
    unit: tuple[str | None, str]
    letter: str


@dataclass(frozen=True)
class HeaderRows:
    """Where the header rows are: cells by column index (from column B), with their rows."""

    names: tuple[int, dict[int, str]]
    units: tuple[int, dict[int, str]]
    codes: tuple[int, dict[int, str]] | None
    titles: list[str]


def read_pink_sheet(path, stream: ParseStream) -> Iterator[PricePoint]:
    """Monthly prices from the World Bank's workbook, each pointing at its described series."""
    stream.meta["sheets"] = check_workbook_container(path)
    with open_workbook(path) as workbook:
        rows = worksheet_rows(workbook, PINK_SHEET)
        try:
            head, first = _rows_above_the_months(rows)
            header = find_header_rows(head)
            if updated := _updated(header.titles):
                stream.meta["updated"] = updated
            columns = _columns(header, stream)
            descriptions = _descriptions(workbook, [c.name for c in columns], stream)
            first_month = _month_of(first[1][0])
            series = {
                column.index: _series(code, column, description, first_month)
                for column, code, description in zip(
                    columns, _keys(columns, header, stream), descriptions, strict=True
                )
            }
            stream.meta.update(layout="pinksheet", series=[s.code for s in series.values()])
            yield from _prices(series, first, rows, stream)
        finally:
            rows.close()


def _rows_above_the_months(rows: Iterator[Row]) -> tuple[list[Row], Row]:
    head: list[Row] = []
    for row_number, cells in rows:
        if cells and isinstance(cells[0], str) and PINK_SHEET_PERIOD.fullmatch(cells[0].strip()):
            return head, (row_number, cells)
        head.append((row_number, cells))
        if row_number >= HEADER_SEARCH_ROWS:
            break
    raise FileRejected(
        f"no month like 1960M01 in column A of the first {HEADER_SEARCH_ROWS} rows of "
        f"sheet {PINK_SHEET!r}"
    )


def _header_cells(cells: Sequence[object]) -> dict[int, str]:
    """The texts of a row from column B on, by column index."""
    return {
        index: " ".join(str(cell).split())
        for index, cell in enumerate(cells)
        if index >= 1 and cell is not None and str(cell).strip()
    }


def _is_units_row(texts: dict[int, str]) -> bool:
    enclosed = [t for t in texts.values() if t.startswith("(") and t.endswith(")")]
    return len(enclosed) * 2 > len(texts)


def _is_codes_row(texts: dict[int, str]) -> bool:
    """Every cell an identifier and most in capitals: "CRUDE_PETRO", "IRON_ORE", "Tin"."""
    values = list(texts.values())
    upper = [t for t in values if t == t.upper()]
    return all(SERIES_CODE.fullmatch(t) for t in values) and len(upper) * 2 > len(values)


def find_header_rows(head: list[Row]) -> HeaderRows:
    """The rows of names, units and (if any) codes among the rows above the first month.

    Rows with text only in column A are titles. The units row is the one whose cells are
    mostly in parentheses, the codes row the one of identifiers in capitals, and the names row
    the last other row with text beyond column A.
    """
    titles, units, codes, names = [], None, None, None
    for row_number, cells in head:
        texts = _header_cells(cells)
        if not texts:
            if cells and cells[0] is not None and str(cells[0]).strip():
                titles.append(str(cells[0]).strip())
            continue
        if _is_units_row(texts):
            units = (row_number, texts)
        elif _is_codes_row(texts):
            codes = (row_number, texts)
        else:
            names = (row_number, texts)
    if units is None:
        raise FileRejected(
            f"sheet {PINK_SHEET!r} has no row of units like ($/mt) above the first month"
        )
    if names is None:
        raise FileRejected(f"sheet {PINK_SHEET!r} has no row of commodity names above the months")
    return HeaderRows(names, units, codes, titles)


def _updated(titles: list[str]) -> str | None:
    """The edition's date from "Updated on December 02, 2025" (as written if not such a date)."""
    for title in titles:
        if match := UPDATED.search(title):
            written = match.group("date").strip().rstrip(".")
            try:
                return datetime.strptime(written, "%B %d, %Y").date().isoformat()  # noqa: DTZ007
            except ValueError:
                return written
    return None


def _columns(header: HeaderRows, stream: ParseStream) -> list[Column]:
    """The readable series columns; a column without a name or a readable unit is a fault."""
    names_row, names = header.names
    units_row, units = header.units
    codes = header.codes[1] if header.codes else {}
    columns = []
    for index in sorted({*names, *units, *codes}):
        letter = get_column_letter(index + 1)
        name = clean_name(names.get(index, ""))
        unit_text = units.get(index, "")
        if not name:
            stream.error(
                names_row,
                letter,
                f"the column has a unit or code ({unit_text or codes.get(index)!r}) but no name",
            )
            continue
        where = f"{name} ({letter})"
        if not unit_text:
            stream.error(units_row, where, "the column has no unit like ($/mt)")
            continue
        try:
            unit = parse_unit(unit_text)
        except ValueError as fault:
            stream.error(units_row, where, fault)
            continue
        columns.append(Column(index, name, unit, letter))
    return columns


def clean_name(name: str) -> str:
    """A series' name without the footnote marks the sheet adds ("Coal, South African **")."""
    return " ".join(name.replace("*", " ").split())


def parse_unit(text: str) -> tuple[str | None, str]:
    """(currency, unit) of a unit cell: "($/mt)" -> ("USD", "mt"), "(cents/kg)" -> ("US cents",
    "kg"), "($/cubic meter)" -> ("USD", "m³"), "(2010=100)" -> (None, "2010=100")."""
    if match := INDEX_UNIT.fullmatch(text.strip()):
        return None, f"{match.group('base')}=100"
    match = MONEY_UNIT.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text[:60]!r} is not a unit like ($/mt), ($/troy oz), (cents/kg) or (2010=100)"
        )
    money = re.sub(r"\s+", "", match.group("money").lower())
    currency = MONEY.get(money, "US cents" if "cent" in money else None)
    per = " ".join(match.group("per").split())
    per = UNIT_SYMBOLS.get(per.lower(), per)
    if len(per) > MAX_UNIT_LENGTH:
        raise ValueError(f"{text[:60]!r}: the unit is longer than {MAX_UNIT_LENGTH} characters")
    return currency, per


def _keys(columns: list[Column], header: HeaderRows, stream: ParseStream) -> list[str]:
    """Each column's series key: its code in lower case, else made from its name."""
    codes_row, codes = header.codes or (None, {})
    keys, seen = [], {}
    for column in columns:
        code = codes.get(column.index, "")
        key = code.lower() if code else name_key(column.name)
        if key in seen:
            stream.error(
                codes_row or header.names[0],
                column.letter,
                f"the series {key!r} is in column {seen[key]} already",
            )
        seen.setdefault(key, column.letter)
        keys.append(key)
    return keys


def name_key(name: str) -> str:
    """A key made from a series' name, for editions without a codes row."""
    return COMMODITY_ALIASES.get(name.lower()) or re.sub(r"[^a-z0-9]+", "_", name.lower()).strip(
        "_"
    )


def _descriptions(workbook, names: list[str], stream: ParseStream) -> list[SeriesDescription]:
    if DESCRIPTION_SHEET not in workbook.sheetnames:
        stream.meta["descriptions"] = f"the workbook has no sheet {DESCRIPTION_SHEET!r}"
        return [SeriesDescription() for _ in names]
    rows = worksheet_rows(workbook, DESCRIPTION_SHEET)
    try:
        found = match_descriptions(names, read_descriptions(rows))
    finally:
        rows.close()
    undescribed = [name for name, f in zip(names, found, strict=True) if not f.descriptions]
    if undescribed:
        stream.meta["undescribed"] = undescribed
    return found


def _series(code: str, column: Column, found: SeriesDescription, first_month: str) -> PriceSeries:
    return PriceSeries(
        code=code,
        currency=column.unit[0],
        unit=column.unit[1],
        name=column.name,
        group=found.group,
        group_name=found.group_name,
        description=found.text,
        original_sources=found.sources,
        source=WORLD_BANK_SOURCE,
        breaks=_breaks(found, first_month),
        column=column.letter,
    )


def _breaks(found: SeriesDescription, first_month: str) -> tuple[MethodBreak, ...]:
    """The breaks every description of the series states, once each, after the first month."""
    by_month: dict[str, MethodBreak] = {}
    for description in found.descriptions:
        for method_break in stated_breaks(description.text):
            if method_break.month > first_month:
                by_month.setdefault(method_break.month, method_break)
    return tuple(by_month[month] for month in sorted(by_month))


def _month_of(cell: object) -> str:
    match = PINK_SHEET_PERIOD.fullmatch(str(cell).strip())
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def _prices(
    series: dict[int, PriceSeries], first: Row, rows: Iterator[Row], stream: ParseStream
) -> Iterator[PricePoint]:
    for row_number, cells in _chain_one(first, rows):
        if all(_text(cell) == "" for cell in cells):
            continue
        period = _text(cells[0]) if cells else ""
        match = PINK_SHEET_PERIOD.fullmatch(period)
        if not match or not 1 <= int(match.group(2)) <= 12:
            stream.error(row_number, "A", f"{period[:60]!r} is not a month like 1960M01")
            continue
        month = f"{match.group(1)}-{match.group(2)}"
        for index, one in series.items():
            cell = cells[index] if index < len(cells) else None
            if isinstance(cell, str) and cell.strip() in MISSING_MARKERS:
                cell = None
            try:
                value = parse_number(cell)
            except ValueError as fault:
                stream.error(row_number, f"{one.name} ({one.column})", fault)
                continue
            yield PricePoint(one, month, value)


def _chain_one(first: Row, rows: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rows


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()
