"""The compilation (remissammanställning) as PDF: its HTML, printed with the strategy's print
style by `mineralstrategi.printing`."""

from django.utils import timezone

from mineralstrategi.caching.until_a_write import kept_fragment

from . import selectors

COMPILATION_PDF_STYLES = [
    "mineralstrategi/css/strategy-pdf.css",
    "consultation/compilation-pdf.css",
]


def compilation_pdf_html(round_) -> str:
    """The HTML to print, kept until the next write: the page that waits for the PDF asks for it
    every few seconds, and the HTML of 2,400 comments takes seconds to render
    (benchmarks/RESULTS.md)."""
    today = timezone.localdate()
    return kept_fragment(
        ("compilation-pdf", round_.pk, today),
        "consultation/compilation_pdf.html",
        lambda: {"round": round_, "data": selectors.compilation(round_), "printed_at": today},
    )
