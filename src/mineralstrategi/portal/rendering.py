"""Visitors' comments as safe HTML.

Articles and event programmes are rendered by the strategy's renderer (`strategy.rendering`).
Comments get a smaller allow-list (no headings, tables or images) and every link in them is
marked rel="nofollow noopener noreferrer", so that a comment can neither style the page, run
script, nor lend the site's reputation to the links it carries.
"""

from django.utils.safestring import SafeString

from mineralstrategi.markup import AllowList, render_markdown
from mineralstrategi.strategy.rendering import markdown_to_html

COMMENT = AllowList(
    tags=frozenset({"p", "br", "strong", "em", "code", "blockquote", "ul", "ol", "li", "a"}),
    attributes={"a": frozenset({"href"})},
    url_schemes=frozenset({"http", "https", "mailto"}),
    link_rel="nofollow noopener noreferrer",
)

__all__ = ["comment_to_html", "markdown_to_html"]


def comment_to_html(text: str) -> SafeString:
    return render_markdown(text, COMMENT)
