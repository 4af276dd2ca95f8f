"""HTML to PDF with WeasyPrint, for the publications, the compilation and the follow-up report.

The PDF fetches nothing at run time: its style sheets are read from the static files, and any
URL in the HTML (a link in a visitor's text, a stray <img>) is refused by the fetcher, so that
printing can neither reach the network nor read a file on the server.

Every PDF is written as PDF/UA-1 (tagged: headings, paragraphs, lists and table headers in a
structure tree, with the document's language and title), so that it is an accessible document
for screen readers, as Swedish public-sector publications must be.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager

from django.contrib.staticfiles import finders

ProgressCallback = Callable[[int], None]  # called with a percentage

# WeasyPrint tells its steps to this logger (at INFO; settings.LOGGING keeps them off the console).
WEASYPRINT_STEPS = logging.getLogger("weasyprint.progress")
# About this many characters of our print HTML fill a page: the guess of how many pages are still
# to be laid out, so that the progress moves through the layout, WeasyPrint's longest step.
CHARACTERS_PER_PAGE = 4000


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"The PDF may not fetch {url}: no network at run time.")


def render_pdf(
    html: str, stylesheets: Sequence[str] = (), *, progress: ProgressCallback | None = None
) -> bytes:
    """The PDF of `html`, styled by `stylesheets` (paths of static files, e.g.
    "mineralstrategi/css/strategy-pdf.css"). `progress`, if given, is told how far the making
    has come (0–99 while it runs)."""
    from weasyprint import CSS, HTML  # heavy: loaded by the pages and tasks that print

    with _steps_told(progress, pages=max(1, len(html) // CHARACTERS_PER_PAGE)):
        styles = [CSS(filename=finders.find(path)) for path in stylesheets]
        return HTML(string=html, url_fetcher=_no_network).write_pdf(
            stylesheets=styles, pdf_variant="pdf/ua-1"
        )


class _StepsToPercent(logging.Handler):
    """WeasyPrint's steps in this thread as a percentage: the layout's pages take 10–90 %."""

    def __init__(self, progress: ProgressCallback, pages: int):
        super().__init__(logging.INFO)
        self.progress, self.pages, self.thread = progress, pages, threading.get_ident()
        self.percent = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return  # another document being made at the same time
        step = record.msg
        if step.startswith("Step 5") and record.args:
            page = record.args[0]
            percent = 10 + 80 * page // max(self.pages, page + 1)
        elif step.startswith("Step 6") or step.startswith("Step 7"):
            percent = 95
        else:
            percent = 5
        if percent > self.percent:
            self.percent = percent
            self.progress(percent)


@contextmanager
def _steps_told(progress: ProgressCallback | None, *, pages: int):
    if progress is None:
        yield
        return
    handler = _StepsToPercent(progress, pages)
    WEASYPRINT_STEPS.addHandler(handler)
    try:
        yield
    finally:
        WEASYPRINT_STEPS.removeHandler(handler)
