"""The compilation (remissammanställning) as PDF (WeasyPrint, with the strategy's print style) and
cells safe for spreadsheets."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from mineralstrategi.strategy.exports import FORMULA_PREFIXES


def cell(value):
    """Text a spreadsheet will not run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"The PDF may not fetch {url}: no network at run time.")


def compilation_pdf(context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("consultation/compilation_pdf.html", context)
    stylesheets = [
        CSS(filename=finders.find("mineralstrategi/css/strategy-pdf.css")),
        CSS(filename=finders.find("consultation/compilation-pdf.css")),
    ]
    return HTML(string=html, url_fetcher=_no_network).write_pdf(stylesheets=stylesheets)
