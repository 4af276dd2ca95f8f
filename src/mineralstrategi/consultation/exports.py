"""The compilation (remissammanställning) as PDF: its HTML, printed with the strategy's print
style by `mineralstrategi.printing`."""

from django.template.loader import render_to_string
from django.utils import timezone

from mineralstrategi.caching.until_a_write import UntilAWrite

from . import selectors

COMPILATION_PDF_STYLES = [
    "mineralstrategi/css/strategy-pdf.css",
    "consultation/compilation-pdf.css",
]
# The HTML to print, kept until the next write: the page that waits for the PDF asks for it every
# few seconds, and the HTML of 2,400 comments takes seconds to render (benchmarks/RESULTS.md).
PDF_HTML: UntilAWrite[str] = UntilAWrite(maxsize=8)


def compilation_pdf_html(round_) -> str:
    today = timezone.localdate()
    return PDF_HTML.get_or_compute(
        (round_.pk, today),
        lambda: render_to_string(
            "consultation/compilation_pdf.html",
            {"round": round_, "data": selectors.compilation(round_), "printed_at": today},
        ),
    )
