"""The compilation (remissammanställning) as PDF: its HTML, printed with the strategy's print
style by `mineralstrategi.printing`."""

from django.template.loader import render_to_string

COMPILATION_PDF_STYLES = [
    "mineralstrategi/css/strategy-pdf.css",
    "consultation/compilation-pdf.css",
]


def compilation_pdf_html(context: dict) -> str:
    return render_to_string("consultation/compilation_pdf.html", context)
