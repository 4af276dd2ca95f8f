"""The traceability matrix as a table (downloaded as CSV or XLSX through `mineralstrategi.exports`),
and a version as PDF (WeasyPrint)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .selectors import TraceabilityMatrix


def _section_label(section) -> str:
    return f"{section.outline} {section.title}".strip()


def matrix_table(matrix: TraceabilityMatrix, *, by: str = "section") -> tuple[list, list[list]]:
    """The header and rows of the matrix: a row per framework item (`by="item"`) or per section,
    with "x" where the two are linked."""
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
    return header, rows


VERSION_PDF_STYLES = ["mineralstrategi/css/strategy-pdf.css"]


def version_pdf_html(context: dict) -> str:
    """The HTML of the version's publication as PDF (printed with VERSION_PDF_STYLES by
    `mineralstrategi.printing`): contents, page numbers, and on every page the partnership, the
    version and its date."""
    return render_to_string("strategy/version_pdf.html", context)
