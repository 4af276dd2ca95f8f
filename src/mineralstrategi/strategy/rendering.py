"""Markdown to safe HTML: rendered with `markdown`, then cleaned by nh3 against an allow-list.

Every section body shown anywhere (page, publication, PDF) goes through `markdown_to_html`; no
template marks user text safe by any other route.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_html(text: str) -> SafeString:
    """Markdown rendered and sanitised; raw HTML in the source is stripped, not passed through."""
    rendered = markdown.markdown(
        text or "", extensions=["tables", "sane_lists"], output_format="html"
    )
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nosec B308, B703 # cleaned by nh3 against the allow-list
