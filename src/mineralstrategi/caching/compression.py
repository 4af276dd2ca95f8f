"""Pages and API answers go out gzip-compressed to the browsers that accept it (issue #19).

HTML compresses five- to eightfold (a 90 kB indicator page to about 15 kB), which is most of what
a page costs a browser on a slow line. Static files are compressed once by WhiteNoise when they
are collected; the public page cache keeps each page compressed once beside the plain one
(`caching.middleware`), so that a hit costs no compression; everything else made by a view is
compressed as it goes out by `TextGZipMiddleware`.

Only text is compressed: PDFs, spreadsheets (zip files) and images are compressed already, and
gzip would only cost CPU and the Content-Length that downloads show their progress by.

BREACH: a page that holds a secret (the CSRF token of a form) beside text an attacker chooses
could leak the secret through the compressed size. Django's GZipMiddleware, which this builds on,
pads each compressed answer with up to 100 random bytes (Django 4.2's mitigation), and the CSRF
token in a form is masked anew in every response.
"""

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.text import compress_string

# The content types worth compressing: text of every kind, and the text-based application types
# the platform sends (JSON from the API, JSON-stat, SVG charts, iCal is text/calendar).
COMPRESSIBLE_APPLICATION_TYPES = frozenset(
    {"application/json", "application/xml", "application/javascript", "image/svg+xml"}
)
SMALLEST = 200  # bytes: below this gzip's own header outweighs what it saves (Django's figure)


def is_compressible(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith("text/") or content_type in COMPRESSIBLE_APPLICATION_TYPES


def accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def gzipped(content: bytes) -> bytes | None:
    """The content compressed as GZipMiddleware compresses it, or None when that would not make
    it shorter."""
    if len(content) < SMALLEST:
        return None
    compressed = compress_string(content, max_random_bytes=GZipMiddleware.max_random_bytes)
    return compressed if len(compressed) < len(content) else None


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text only (see the module's text)."""

    def process_response(self, request, response):
        if not is_compressible(response):
            return response
        return super().process_response(request, response)
