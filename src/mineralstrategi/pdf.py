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

    _page_references_once()
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


def _page_references_once() -> None:
    """pydyf 0.13 builds the tuple of every page's reference each time it is read, and WeasyPrint
    reads it for every tagged element (PDF/UA) and every link: work that grows with the square of
    the pages (about 10 s of a 450-page compilation). Kept here until the pages change."""
    import pydyf

    if getattr(pydyf.PDF.page_references.fget, "kept", False):
        return

    def page_references(pdf) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        kept = pdf.__dict__.get("_page_references_kept")
        if kept is None or kept[0] != len(kids):
            references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
            kept = pdf.__dict__["_page_references_kept"] = (len(kids), references)
        return kept[1]

    page_references.kept = True
    pydyf.PDF.page_references = property(page_references)
