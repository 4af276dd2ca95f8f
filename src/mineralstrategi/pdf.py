"""HTML to PDF with WeasyPrint, for the publications, the compilation and the follow-up report.

The PDF fetches nothing at run time: its style sheets are read from the static files, and any
URL in the HTML (a link in a visitor's text, a stray <img>) is refused by the fetcher, so that
printing can neither reach the network nor read a file on the server.

Every PDF is written as PDF/UA-1 (tagged: headings, paragraphs, lists and table headers in a
structure tree, with the document's language and title), so that it is an accessible document
for screen readers, as Swedish public-sector publications must be.
"""

from collections.abc import Sequence

from django.contrib.staticfiles import finders


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"The PDF may not fetch {url}: no network at run time.")


def render_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """The PDF of `html`, styled by `stylesheets` (paths of static files, e.g.
    "mineralstrategi/css/strategy-pdf.css")."""
    from weasyprint import CSS, HTML  # heavy: loaded by the pages and tasks that print

    styles = [CSS(filename=finders.find(path)) for path in stylesheets]
    return HTML(string=html, url_fetcher=_no_network).write_pdf(
        stylesheets=styles, pdf_variant="pdf/ua-1"
    )
