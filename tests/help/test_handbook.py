"""The handbook: built strictly from docs/, served at /hjalp/ and /en/hjalp/, linked from every
page, and kept true to the interface.

The conventions its chapters follow, which these tests hold them to:
- every `##`/`###` heading has an explicit id (`{#svara}`), the same in both languages;
- text in bold is the interface's own words: a whole Swedish string of the catalogue in the
  Swedish chapters, its English original in the English ones;
- addresses in inline code (`/remiss/<slug>/svar/`) are routes of the platform;
- every picture (`bilder/<name>.png`) is taken by a browser test (`tests/e2e/handbook.py`).
"""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import Resolver404, get_resolver, resolve

from mineralstrategi.help.build import CONFIGS, HandbookError, handbook_build, handbook_sources
from mineralstrategi.help.sections import CHAPTERS, HELP_SECTIONS
from tests.test_query_counts import route_names

DOCS = handbook_sources()
CHAPTER_FOLDERS = {"sv": DOCS / "handbok", "en": DOCS / "handbook"}
E2E_TESTS = Path(__file__).resolve().parents[1] / "e2e"
CATALOGUE = Path(settings.PACKAGE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.mo"

HEADING = re.compile(r"^(#{2,3}) (.+?)\s*$", re.MULTILINE)
HEADING_ID = re.compile(r"\{#([a-z0-9-]+)\}$")
BOLD = re.compile(r"(?<![*\\])\*\*(?!\s)(.+?)(?<!\s)\*\*(?!\*)")
ADDRESS = re.compile(r"`(/[^`\s]*)`")
PICTURE = re.compile(r"!\[[^\]]*\]\(bilder/([a-z0-9-]+)\.png\)")
PICTURE_TAKEN = re.compile(r"handbook_picture\(\s*\w+,\s*\"([a-z0-9-]+)\"")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def chapters(language: str) -> dict[str, str]:
    """Each chapter's Markdown without its fenced code (commands and files, not prose)."""
    folder = CHAPTER_FOLDERS[language]
    return {path.name: FENCE.sub("", path.read_text()) for path in sorted(folder.glob("*.md"))}


def shown(words: str) -> str:
    """Words as the interface shows them, for comparing: without a closing colon, and a
    formatted string's "%%" as the "%" on the screen."""
    return words.replace("%%", "%").strip().rstrip(":").strip()


def html(built: Path, language: str, chapter: str = "") -> BeautifulSoup:
    page = built / language / chapter / "index.html"
    return BeautifulSoup(page.read_text(), "html.parser")


# --- Built and served ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_start_page_leads_to_every_chapter_in_one_click_in_both_languages(client, handbook):
    for prefix, language, title in (
        ("", "sv", "Handbok för Mineralstrategi"),
        ("/en", "en", "Mineralstrategi handbook"),
    ):
        response = client.get(f"{prefix}/hjalp/")
        assert response.status_code == 200
        start = BeautifulSoup(response.content, "html.parser")
        assert start.html["lang"] == language
        assert start.h1.get_text() == title
        linked = {a["href"].strip("/") for a in start.select("main table a")}
        assert linked == {name.removesuffix(".md") for name in chapters(language)} - {"index"}
        for chapter in linked:
            page = client.get(f"{prefix}/hjalp/{chapter}/")
            assert page.status_code == 200, chapter
            assert page["Content-Type"] == "text/html; charset=utf-8"
            soup = BeautifulSoup(page.content, "html.parser")
            assert soup.html["lang"] == language
            other = soup.select_one(".header-tools a[hreflang]")
            other_prefix = "/hjalp/" if language == "en" else "/en/hjalp/"
            assert other["href"] == f"{other_prefix}{chapter}/", "the same chapter, other language"


@pytest.mark.django_db
def test_the_handbooks_files_are_served_and_nothing_beside_them(client, handbook):
    style = client.get("/hjalp/css/handbok.css")
    assert style.status_code == 200 and style["Content-Type"].startswith("text/css")
    assert client.get("/hjalp/remissinstans").url == "/hjalp/remissinstans/"
    assert client.get("/hjalp/finns-inte/").status_code == 404
    assert client.get("/hjalp/../../config/settings.py").status_code == 404
    assert client.get("/hjalp/%2e%2e/%2e%2e/sv/index.html").status_code == 404
    assert client.post("/hjalp/").status_code == 405


@pytest.mark.django_db
def test_a_server_without_the_built_handbook_says_so_and_how_to_build_it(
    client, settings, tmp_path
):
    settings.HANDBOOK_DIR = tmp_path
    response = client.get("/hjalp/")
    assert response.status_code == 503
    text = BeautifulSoup(response.content, "html.parser").main.get_text(" ", strip=True)
    assert "Handboken har inte byggts på den här servern." in text
    assert "mineralstrategi handbook" in text


def test_the_build_fails_on_a_link_to_nowhere_and_names_it(tmp_path):
    sources = tmp_path / "docs"
    shutil.copytree(DOCS, sources, symlinks=True)
    chapter = sources / "handbok" / "moderator.md"
    chapter.write_text(chapter.read_text() + "\n[Saknas](finns-inte.md)\n")
    with pytest.raises(HandbookError, match="finns-inte.md"):
        handbook_build(tmp_path / "site", sources)


def test_the_command_line_builds_both_languages(tmp_path, capsys):
    from mineralstrategi.cli import main

    assert main(["handbook", "--output", str(tmp_path)]) == 0
    assert (tmp_path / "sv" / "index.html").is_file() and (tmp_path / "en" / "index.html").is_file()
    assert "Handbook built into" in capsys.readouterr().out


# --- Kept true to the interface -----------------------------------------------------------------


def test_both_languages_have_the_same_chapters_with_the_same_heading_ids():
    swedish, english = chapters("sv"), chapters("en")
    assert swedish.keys() == english.keys()
    assert set(CONFIGS) == set(CHAPTER_FOLDERS)
    for name in swedish:
        ids = {}
        for language, text in (("sv", swedish[name]), ("en", english[name])):
            headings = [heading for _level, heading in HEADING.findall(text)]
            missing = [h for h in headings if not HEADING_ID.search(h)]
            assert not missing, f"{language}/{name}: headings without an id {{#…}}: {missing}"
            found = [HEADING_ID.search(h).group(1) for h in headings]
            assert len(found) == len(set(found)), f"{language}/{name}: an id twice"
            ids[language] = found
        assert ids["sv"] == ids["en"], f"{name}: the languages' headings differ"


def test_the_words_in_bold_are_the_interfaces_own():
    with CATALOGUE.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # msgid (after any "context\x04")
    words = {
        "sv": {shown(text) for text in catalogue.values()},
        "en": {shown(msgid.rpartition("\x04")[2]) for msgid in catalogue if isinstance(msgid, str)},
    }
    unknown = [
        f"{language}/{name}: **{label}**"
        for language in CHAPTER_FOLDERS
        for name, text in chapters(language).items()
        for label in BOLD.findall(text)
        if shown(label) not in words[language]
    ]
    assert not unknown, "words in bold that the interface does not show:\n" + "\n".join(unknown)


def test_every_address_in_the_handbook_is_a_page_of_the_platform():
    wrong = []
    for language in CHAPTER_FOLDERS:
        for name, text in chapters(language).items():
            for address in ADDRESS.findall(text):
                path = re.sub(r"<[^>]+>", "1", address.split("?")[0].split("#")[0])
                path = path.removeprefix("/en/") if path.startswith("/en/") else path
                try:
                    resolve(path if path.startswith("/") else "/" + path)
                except Resolver404:
                    wrong.append(f"{language}/{name}: {address}")
    assert not wrong, "addresses the platform does not have:\n" + "\n".join(wrong)


def test_every_picture_is_taken_by_a_browser_test_and_every_one_taken_is_shown():
    shown = {
        picture
        for language in CHAPTER_FOLDERS
        for text in chapters(language).values()
        for picture in PICTURE.findall(text)
    }
    taken = {
        name
        for test_file in E2E_TESTS.glob("test_*.py")
        for name in PICTURE_TAKEN.findall(test_file.read_text())
    }
    assert shown - taken == set(), "pictures no browser test takes"
    assert taken - shown == set(), "pictures taken that no chapter shows"
    for picture in shown:
        assert (CHAPTER_FOLDERS["sv"] / "bilder" / f"{picture}.png").is_file(), picture


# --- Help where the work is ---------------------------------------------------------------------


def test_every_help_section_is_a_page_and_a_heading_in_both_languages(built_handbook):
    pages = route_names(get_resolver().url_patterns)
    assert set(HELP_SECTIONS) <= pages, "help sections of pages that do not exist"
    for view_name, section in HELP_SECTIONS.items():
        chapter, _, heading = section.partition("/#")
        for language in CONFIGS:
            page = html(built_handbook, language, chapter)
            assert page.find(id=heading), f"{view_name}: no #{heading} in {language}/{chapter}"


def test_every_page_has_a_chapter_in_both_languages(built_handbook):
    pages = route_names(get_resolver().url_patterns)
    namespaces = {name.rpartition(":")[0] for name in pages}
    assert namespaces <= set(CHAPTERS), "apps whose pages have no chapter of the handbook"
    for chapter in set(CHAPTERS.values()):
        for language in CONFIGS:
            assert (built_handbook / language / chapter / "index.html").is_file(), chapter


@pytest.mark.django_db
def test_a_page_links_to_the_section_that_describes_it_and_others_to_their_chapter(
    client, monkeypatch
):
    monkeypatch.setitem(HELP_SECTIONS, "portal:news_list", "kom-igang/#hitta")
    for prefix in ("", "/en"):
        described = BeautifulSoup(client.get(f"{prefix}/nyheter/").content, "html.parser")
        assert described.select_one("a.help-link")["href"] == f"{prefix}/hjalp/kom-igang/#hitta"
        other = BeautifulSoup(client.get(f"{prefix}/evenemang/").content, "html.parser")
        assert other.select_one("a.help-link")["href"] == f"{prefix}/hjalp/kom-igang/"
