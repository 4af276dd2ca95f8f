"""The strategy's text as safe HTML: section bodies (page, publication, PDF, API), and the news
and event programmes of the portal, through `markdown_to_html` and this allow-list."""

from django.utils.safestring import SafeString

from mineralstrategi.markup import AllowList, render_markdown

DOCUMENT = AllowList(
    tags=frozenset({
        "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "abbr", "sub", "sup",
    }),
    attributes={"a": frozenset({"href", "title"}), "abbr": frozenset({"title"}), "th": frozenset({"scope"})},
    url_schemes=frozenset({"http", "https", "mailto"}),
    link_rel="noopener noreferrer",
    extensions=("tables", "sane_lists"),
)  # fmt: skip


def markdown_to_html(text: str) -> SafeString:
    return render_markdown(text, DOCUMENT)
