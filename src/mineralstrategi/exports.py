"""Tables as CSV and XLSX downloads: one header row, then the rows. Every CSV and XLSX the platform
writes goes through this module (import-linter keeps openpyxl out of every other module but the
parsers of `ingest`).

Safe by construction, whatever a view hands in:

- every text cell is made safe for spreadsheets (`spreadsheet_safe`): a text a spreadsheet would
  run as a formula (OWASP's CSV injection rule: it begins with `=`, `+`, `-`, `@`, a tab or a
  carriage return) gets a leading apostrophe, so that a title such as `=HYPERLINK(…)` is shown,
  not run; a signed number or range such as `-1930` is left as it is;
- in XLSX every text cell is written as a string (an inline string, never a formula), so that a
  leading `=` is text even in a cell the rule above would let through.

A table of objects is declared as columns: `Column(header, getter)`, where the getter is an
attribute path (`"lead_organisation.name"`) or a function of the object; `table_of(columns,
objects)` gives the header and the rows.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A signed number or range ("-1930", "-4", "+5,5") starts like a formula but runs nothing.
_SIGNED_NUMBER = re.compile(r"[+-]?\d[\d .,]*(-\d[\d .,]*)?\+?")
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


def spreadsheet_safe(value):
    """The value, or a text that a spreadsheet shows rather than runs (CSV/formula injection)."""
    if isinstance(value, Promise):  # a lazily translated header
        value = str(value)
    formula_like = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    if formula_like and not _SIGNED_NUMBER.fullmatch(value):
        return f"'{value}"
    return value


@dataclass(frozen=True)
class Column:
    """One column of a table of objects: its header, and the attribute path (dotted) or function
    that reads its cell from an object."""

    header: str
    getter: str | Callable[[Any], Any]

    def value(self, obj):
        if callable(self.getter):
            return self.getter(obj)
        return attrgetter(self.getter)(obj)


def table_of(columns: Sequence[Column], objects: Iterable) -> tuple[list[str], Iterable[list]]:
    """The header and the rows (lazily, one per object) of a table declared as columns."""
    header = [column.header for column in columns]
    return header, ([column.value(obj) for column in columns] for obj in objects)


def _safe_row(row: Sequence) -> list:
    return [spreadsheet_safe(value) for value in row]


def _attachment(response: HttpResponse, filename: str, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(_safe_row(header))
    writer.writerows(_safe_row(row) for row in rows)
    return _attachment(response, filename, "csv")


def _xlsx_row(worksheet, row: Sequence, *, header: bool = False) -> list:
    """The row's cells: each text an inline string (data type "s"), so never a formula."""
    cells = []
    for value in _safe_row(row):
        if not isinstance(value, str):
            cells.append(value)
            continue
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error otherwise
        if header:
            cell.font, cell.alignment = _HEADER_FONT, _HEADER_ALIGNMENT
        cells.append(cell)
    return cells


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet: str = "Data",
    freeze: str = "A2",
    widths: dict[str, float] | None = None,
) -> HttpResponse:
    """The table as a workbook of one sheet: a bold header row, frozen above (and left of)
    `freeze`; `widths` sets columns' widths by letter."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(str(sheet)[:31])
    worksheet.freeze_panes = freeze
    for letter, width in (widths or {}).items():
        worksheet.column_dimensions[letter].width = width
    worksheet.append(_xlsx_row(worksheet, header, header=True))
    for row in rows:
        worksheet.append(_xlsx_row(worksheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename, "xlsx")


def table_response(
    export_format: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    **xlsx_options,
) -> HttpResponse:
    """The table as XLSX (`export_format` "xlsx", with `xlsx_options`), else as CSV."""
    if export_format == "xlsx":
        return xlsx_response(filename, header, rows, **xlsx_options)
    return csv_response(filename, header, rows)
