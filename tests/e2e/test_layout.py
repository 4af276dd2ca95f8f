"""Words stay whole and nothing spills sideways: no word or number on a Swedish page is broken
across two lines in a table cell, a card, a list of facts or a heading, no table is cut off (a
table wider than the screen scrolls in its own .table-scroll box) and the page itself never
scrolls sideways, at desktop width (1280 px), on a tablet (768 px) and on the narrowest phone (320 px).

Each word (the text between ordinary spaces, or up to a hyphen, dash or slash after which a
line may break, as in "2022–" / "2024"; a non-breaking space, as in "6 000 000", keeps a number one
word) is measured in the browser with a Range: its boxes on more than one line mean
the word was broken ("Gru va", "Västerb ottens län"). E-mail and web addresses may break.

The page types are those of `tests/config/test_pages_speak_one_language.py`, in Swedish and in
English. With `MINERALSTRATEGI_SCREENSHOTS=<folder>` the test also writes a full-page screenshot of
each page, language and width there (`<width>-<language>-<page>.png`) for a person to look at.
"""

import os
from pathlib import Path

import pytest

from tests.config.test_pages_speak_one_language import page_addresses

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

SLUG = "mineralstrategi-norrbotten-vasterbotten"
LANGUAGES = {"sv": "", "en": "/en"}

BROKEN_WORDS = """
(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      const pattern = /[^ \\t\\n\\r\\-\u2013\u2014\\/]+[\\-\u2013\u2014\\/]?/g;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        if (match[0].length < 2 || /@|www\\.|:\\/\\//.test(match[0])) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(
          [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))
        );
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return [...new Set(broken)].slice(0, 10);
}
"""

CUT_OFF_TABLES = """
() => [...document.querySelectorAll("main table")]
  .filter(table => !table.closest(".table-scroll"))
  .filter(table => table.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(table => (table.caption && table.caption.textContent.trim()) || table.className || "table")
"""

# The outermost elements that reach past the right edge (outside a scrolling box), named by tag,
# class and id: the page scrolls sideways when there are any.
PAGE_TOO_WIDE = """
() => {
  const limit = document.documentElement.clientWidth + 1;
  if (document.documentElement.scrollWidth <= limit) return [];
  return [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > limit)
    .filter(element => !element.parentElement.closest(".table-scroll"))
    .filter(element => !(element.parentElement.getBoundingClientRect().right > limit))
    .map(element => [element.tagName.toLowerCase(), element.id, element.className].filter(Boolean).join(" "))
    .slice(0, 5);
}
"""

WHERE_WORDS_BROKE = "main td, main th, main .card, main dd, main h1, main h2, main h3, main li"


def screenshot_folder() -> Path | None:
    folder = os.environ.get("MINERALSTRATEGI_SCREENSHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


OPEN_EVERY_FOLD = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


def faults_on_the_pages(page, base: str, width: int) -> dict:
    page.set_viewport_size({"width": width, "height": 900})
    folder = screenshot_folder()
    found = {}
    for (name, path), (language, prefix) in (
        (page_type, language)
        for page_type in page_addresses().items()
        for language in LANGUAGES.items()
    ):
        response = page.goto(base + prefix + path)
        assert response.status == 200, prefix + path
        if folder:
            page.screenshot(path=folder / f"{width}-{language}-{name}.png", full_page=True)
        page.evaluate(OPEN_EVERY_FOLD)  # what a reader unfolds is measured too
        faults = {
            "broken words": page.evaluate(BROKEN_WORDS, WHERE_WORDS_BROKE),
            "tables cut off": page.evaluate(CUT_OFF_TABLES),
            "page wider than the screen": page.evaluate(PAGE_TOO_WIDE),
        }
        if any(faults.values()):
            found[f"{name} ({language})"] = faults
    return found


@pytest.mark.parametrize(
    # 375 px (a common phone) is left out: whatever breaks or overflows there does at 320 px too.
    "width",
    [1280, 768, 320],
    ids=["desktop", "tablet", "small-phone"],
)
def test_no_word_is_broken_no_table_cut_off_nothing_wider_than_the_screen(
    read_only_demo_site, open_page, width
):
    assert faults_on_the_pages(open_page(), read_only_demo_site, width) == {}


def test_a_wide_table_scrolls_in_its_box_reachable_by_keyboard_with_its_name(
    read_only_demo_site, open_page
):
    page = open_page()
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(read_only_demo_site + "/indikatorer/")
    box = page.locator("main .table-scroll").first
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert (
        box.get_attribute("aria-label")
        == page.locator("main .table-scroll caption").first.inner_text()
    )
    # The row's name stays in view as the table scrolls.
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('main .table-scroll tbody tr > :first-child'))"
            ".position"
        )
        == "sticky"
    )
    # At desktop width it fits and is no stop for the keyboard.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("!document.querySelector('main .table-scroll').hasAttribute('tabindex')")


def test_the_contents_list_carries_the_sections_numbers_only(read_only_demo_site, page):
    page.goto(read_only_demo_site + f"/strategi/{SLUG}/version/2/")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.toc ol.outline')).listStyleType")
        == "none"
    )
