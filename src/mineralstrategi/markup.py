"""Markdown to safe HTML: rendered with `markdown`, then cleaned by nh3 against an allow-list.

Each kind of text brings its own allow-list (a strategy's sections and the news allow tables and
headings; a visitor's comment allows far less); no template marks user text safe by any other
route. Raw HTML in the source is stripped, not passed through.
"""

import functools
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True, eq=False)
class AllowList:
    """What the HTML of a kind of text may hold, and the Markdown extensions that make it.
    Compared and hashed by identity: each kind is one module constant (a key of the memo in
    `render_markdown`)."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]
    url_schemes: frozenset[str]
    link_rel: str  # the rel every link gets
    extensions: tuple[str, ...] = ("sane_lists",)


# Texts rendered lately, per process: the same sections and answers are shown on every request
# for them, and a fresh Markdown parser per text was about a third of a frozen version's render
# (issue #19). Longer texts than this are rendered each time, so the memo stays small.
MEMO_ENTRIES = 1024
MEMO_MAX_CHARACTERS = 16_000


def render_markdown(text: str, allowed: AllowList) -> SafeString:
    """`text` as HTML holding only what `allowed` allows. A pure function of its arguments, so
    kept for texts seen lately: an edited text is another key."""
    text = text or ""
    if len(text) > MEMO_MAX_CHARACTERS:
        return _render(text, allowed)
    return _render_remembered(text, allowed)


def _render(text: str, allowed: AllowList) -> SafeString:
    rendered = markdown.markdown(text, extensions=list(allowed.extensions), output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=set(allowed.tags),
        attributes={tag: set(names) for tag, names in allowed.attributes.items()},
        url_schemes=set(allowed.url_schemes),
        link_rel=allowed.link_rel,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nosec B308, B703 # cleaned by nh3 against the allow-list


_render_remembered = functools.lru_cache(maxsize=MEMO_ENTRIES)(_render)


# The ends of the blocks a reader sees as separate lines (paragraphs, list items, headings, rows).
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def markdown_as_text(text: str, extensions: tuple[str, ...] = ("sane_lists", "tables")) -> str:
    """What a reader sees of Markdown, as plain text: the words without `**`, `#` or link syntax,
    one block per line, paragraphs apart. For comparing texts as readers see them."""
    rendered = markdown.markdown(text or "", extensions=list(extensions), output_format="html")
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", rendered)
    plain = html.unescape(nh3.clean(marked, tags=set(), strip_comments=True))
    lines = [" ".join(line.split()) for line in plain.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
