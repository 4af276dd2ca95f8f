"""The compilation (remissammanställning) as PDF (WeasyPrint, with the strategy's print style)."""

from django.template.loader import render_to_string

from mineralstrategi.pdf import render_pdf


def compilation_pdf(context: dict) -> bytes:
    return render_pdf(
        render_to_string("consultation/compilation_pdf.html", context),
        ["mineralstrategi/css/strategy-pdf.css", "consultation/compilation-pdf.css"],
    )
