"""Tables as CSV and XLSX downloads: one header row, then the rows, with a source line kept.

Every text cell is made safe for spreadsheets (`spreadsheet_safe`): a text a spreadsheet would run
as a formula gets a leading apostrophe, so that a title such as `=HYPERLINK(…)` is shown, not run.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A signed number or range ("-1930", "-4", "+5,5") starts like a formula but runs nothing.
_SIGNED_NUMBER = re.compile(r"[+-]?\d[\d .,]*(-\d[\d .,]*)?\+?")


def spreadsheet_safe(value):
    """The value, or a text that a spreadsheet shows rather than runs (CSV/formula injection)."""
    formula_like = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    if formula_like and not _SIGNED_NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def _safe_row(row: Sequence) -> list:
    return [spreadsheet_safe(value) for value in row]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(_safe_row(header))
    writer.writerows(_safe_row(row) for row in rows)
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Data"
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(_safe_row(header))
    for row in rows:
        worksheet.append(_safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(
    export_format: str, filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    if export_format == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)
