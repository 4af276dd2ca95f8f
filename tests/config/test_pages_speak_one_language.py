"""Every page type speaks the language of its address: no English sentence of the interface on a
Swedish page, no Swedish one on an English page.

The catalogue itself is the word list: an interface sentence (a msgid of two words or more whose
Swedish differs) found in the visible text of a Swedish page was left untranslated, or was built
outside gettext; its Swedish found on an English page was written in Swedish in the code. The
content people write (the strategy's text, names of places and organisations) is Swedish in both
languages and is no fault: only the interface's own sentences are looked for. On an English
page a Swedish sentence counts only as the whole text of an element (a label, a heading, a
button), since the same words also occur inside the Swedish content ("Frågor om remissen …").
"""

import re
from functools import cache

import pytest
from bs4 import BeautifulSoup

from tests.page_types import page_addresses

from .test_translations import LOCALE, po_entries

# What a page says does not depend on the database: CI runs this once, in its PostgreSQL run.
pytestmark = pytest.mark.sqlite_in_ci  # pages render alike on either database

# Too general to tell a language by (a word shared by both, a proper name, a unit).
SHARED = {"Region Västerbotten", "Norrbottens län", "Västerbottens län"}
# English words that, standing alone in running text of a Swedish page, betray the interface.
ENGLISH_WORDS = ("the", "and", "of", "with", "Show", "Download", "Read more", "cycle-adjusted")


@cache
def sentences() -> tuple[dict[str, str], dict[str, str]]:
    """(English sentence -> its msgid, Swedish sentence -> its msgid) of two words or more."""
    english, swedish = {}, {}
    for key, msgstr in po_entries(LOCALE / "django.po").items():
        msgid = key.split("\x04")[-1]
        if msgstr == msgid or "%" in msgid or "{" in msgid or "<" in msgid:
            continue
        if len(msgid.split()) >= 2 and msgid not in SHARED:
            english[msgid] = key
        if len(msgstr.split()) >= 2 and msgstr not in SHARED:
            swedish[msgstr] = key
    # A Swedish sentence that is also some other English msgid (rare) tells nothing.
    for both in set(english) & set(swedish):
        del english[both], swedish[both]
    return english, swedish


def visible_page(html: str) -> BeautifulSoup:
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "template", "noscript"]):
        hidden.decompose()
    # A link to the other language names it in that language, as it should.
    for other in page.select("[lang]:not(html)"):
        other.decompose()
    return page


def words(text: str) -> str:
    return " ".join(text.split())


def found_in_running_text(phrases, page: BeautifulSoup) -> list[str]:
    text = words(page.get_text(" "))
    return sorted(
        phrase
        for phrase in phrases
        if re.search(r"(?<![\w-])" + re.escape(words(phrase)) + r"(?![\w-])", text)
    )


def found_as_element_text(phrases, page: BeautifulSoup) -> list[str]:
    texts = {words(element.get_text(" ")).rstrip(":") for element in page.find_all(True)}
    return sorted(phrase for phrase in phrases if words(phrase) in texts)


@pytest.fixture
def addresses(db, demo_data):
    return page_addresses()


def faults(client, addresses, *, prefix: str, wrong, finder) -> dict[str, list[str]]:
    faulty = {}
    for name, path in addresses.items():
        response = client.get(prefix + path)
        assert response.status_code == 200, (name, prefix + path, response.status_code)
        if left := finder(wrong, visible_page(response.content.decode())):
            faulty[name] = left
    return faulty


def test_no_english_interface_sentence_on_a_swedish_page(client, addresses):
    english, _ = sentences()
    assert faults(client, addresses, prefix="", wrong=english, finder=found_in_running_text) == {}


def test_no_swedish_interface_sentence_on_an_english_page(client, addresses):
    _, swedish = sentences()
    assert (
        faults(client, addresses, prefix="/en", wrong=swedish, finder=found_as_element_text) == {}
    )


def test_no_stray_english_word_in_the_swedish_interface(client, addresses):
    """Words the catalogue cannot catch: built in code, or left in a template untranslated."""
    stray = {word: word for word in ENGLISH_WORDS}
    assert faults(client, addresses, prefix="", wrong=stray, finder=found_in_running_text) == {}
