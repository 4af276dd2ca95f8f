"""Markdown to safe HTML (`mineralstrategi.markup`): texts seen lately are not parsed again
(issue #19), and what is kept never outlives an edit or crosses from one allow-list to another."""

from mineralstrategi import markup
from mineralstrategi.portal.rendering import COMMENT
from mineralstrategi.strategy.rendering import DOCUMENT

TABLE = "| a | b |\n|---|---|\n| 1 | 2 |"


def test_a_text_seen_lately_is_not_parsed_again(monkeypatch):
    markup._render_remembered.cache_clear()
    parses = []
    real = markup.markdown.markdown
    monkeypatch.setattr(
        markup.markdown, "markdown", lambda *a, **k: parses.append(1) or real(*a, **k)
    )

    first = markup.render_markdown("**Gruvor** i *Norrbotten*", DOCUMENT)
    again = markup.render_markdown("**Gruvor** i *Norrbotten*", DOCUMENT)
    edited = markup.render_markdown("**Gruvor** i *Västerbotten*", DOCUMENT)

    assert first == again == "<p><strong>Gruvor</strong> i <em>Norrbotten</em></p>"
    assert edited == "<p><strong>Gruvor</strong> i <em>Västerbotten</em></p>"
    assert len(parses) == 2


def test_each_allow_list_keeps_its_own_result():
    """A strategy's section may hold a table; a visitor's comment may not, even when the same
    text was rendered as a section first."""
    assert "<table>" in markup.render_markdown(TABLE, DOCUMENT)
    assert "<table>" not in markup.render_markdown(TABLE, COMMENT)


def test_a_long_text_is_rendered_without_being_kept():
    markup._render_remembered.cache_clear()
    long_text = "ord " * (markup.MEMO_MAX_CHARACTERS // 4 + 1)

    assert markup.render_markdown(long_text, DOCUMENT).startswith("<p>ord ord")
    assert markup._render_remembered.cache_info().currsize == 0
