"""Visitors' comments as safe HTML.

Articles and event programmes are rendered by the strategy's renderer (`strategy.rendering`).
Comments get a smaller allow-list (no headings, tables or images) and every link in them is
marked rel="nofollow noopener noreferrer", so that a comment can neither style the page, run
script, nor lend the site's reputation to the links it carries.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from mineralstrategi.strategy.rendering import markdown_to_html

COMMENT_TAGS = {"p", "br", "strong", "em", "code", "blockquote", "ul", "ol", "li", "a"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
COMMENT_URL_SCHEMES = {"http", "https", "mailto"}

__all__ = ["comment_to_html", "markdown_to_html"]


def comment_to_html(text: str) -> SafeString:
    """Markdown rendered, then cleaned by nh3; raw HTML in the comment is stripped."""
    rendered = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=COMMENT_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nosec B308, B703 # cleaned by nh3 against the allow-list
