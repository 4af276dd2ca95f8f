"""The traceability matrix as CSV and XLSX, and a version as PDF (WeasyPrint)."""

import csv
import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .selectors import TraceabilityMatrix

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV/formula injection)."""
    return f"'{text}" if text and text.startswith(FORMULA_PREFIXES) else text


def _section_label(section) -> str:
    return f"{section.outline} {section.title}".strip()


def _matrix_rows(matrix: TraceabilityMatrix, *, by: str) -> list[list[str]]:
    if by == "item":
        header = [_("Framework"), _("Item"), *(_section_label(s) for s in matrix.sections)]
        rows = [
            [item.framework.name, f"{item.code} {item.title_sv}"]
            + ["x" if linked else "" for _s, linked in cells]
            for item, cells in matrix.rows_by_item()
        ]
    else:
        header = [
            _("Section"),
            _("Kind"),
            *(f"{item.framework.name}: {item.code}" for item in matrix.items),
        ]
        rows = [
            [_section_label(section), section.get_kind_display()]
            + ["x" if linked else "" for _i, linked in cells]
            for section, cells in matrix.rows_by_section()
        ]
    return [[_cell(str(value)) for value in row] for row in [header, *rows]]


def matrix_csv(matrix: TraceabilityMatrix, *, by: str = "section") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_matrix_rows(matrix, by=by))
    return buffer.getvalue()


def matrix_xlsx(matrix: TraceabilityMatrix, *, by: str = "section") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Traceability")[:31]
    for row in _matrix_rows(matrix, by=by):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"The PDF may not fetch {url}: no network at run time.")


def version_pdf(context: dict) -> bytes:
    """The version's publication as PDF: contents, page numbers, and on every page the partnership,
    the version and its date."""
    from weasyprint import CSS, HTML

    html = render_to_string("strategy/version_pdf.html", context)
    stylesheet = CSS(filename=finders.find("mineralstrategi/css/strategy-pdf.css"))
    return HTML(string=html, url_fetcher=_no_network).write_pdf(stylesheets=[stylesheet])
