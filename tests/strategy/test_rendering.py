"""Section text is Markdown, rendered and sanitised: script and event handlers never survive."""

import pytest

from mineralstrategi.strategy.rendering import markdown_to_html


def test_markdown_is_rendered():
    html = markdown_to_html("Ett **viktigt** mål\n\n- en\n- två")
    assert "<strong>viktigt</strong>" in html
    assert "<li>en</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>Text",
        '<img src="x" onerror="alert(1)">',
        "[länk](javascript:alert(1))",
        '<a href="https://example.se" onclick="alert(1)">a</a>',
        "<iframe src='https://example.se'></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_script_is_made_inert(source):
    html = markdown_to_html(source).lower()
    assert "<script" not in html
    assert "alert" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "<style" not in html and "<img" not in html


def test_links_get_safe_rel():
    html = markdown_to_html("[SGU](https://www.sgu.se)")
    assert 'href="https://www.sgu.se"' in html
    assert 'rel="noopener noreferrer"' in html
