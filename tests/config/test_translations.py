"""The Swedish catalogue is complete and its compiled .mo matches the .po that is reviewed."""

import gettext
import re
from pathlib import Path

import mineralstrategi

LOCALE = Path(mineralstrategi.__file__).parent / "locale" / "sv" / "LC_MESSAGES"


def unescape(text: str) -> str:
    """A .po string as the program sees it: \\n, \\" and \\\\ resolved, other characters kept."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of the singular entries of a .po file (enough to compare with the .mo).

    An entry with a context is keyed as gettext keys it: the context, "\\x04", the msgid.
    """
    entries, key, current = {}, None, {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if match := re.match(r'^(msgctxt|msgid|msgstr) "(.*)"$', line):
            key = match.group(1)
            current[key] = match.group(2)
        elif match := re.match(r'^"(.*)"$', line):
            current[key] += match.group(1)
        elif not line.strip():
            if current.get("msgid") and "msgstr" in current:
                context = f"{unescape(current['msgctxt'])}\x04" if "msgctxt" in current else ""
                entries[context + current["msgid"]] = current["msgstr"]
            current, key = {}, None
    return {unescape(msgid): unescape(msgstr) for msgid, msgstr in entries.items()}


def test_every_swedish_message_is_translated():
    untranslated = [
        msgid for msgid, msgstr in po_entries(LOCALE / "django.po").items() if not msgstr
    ]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = po_entries(LOCALE / "django.po")
    for msgid, msgstr in entries.items():
        assert compiled.gettext(msgid) == msgstr, f"run compilemessages: {msgid!r}"


def test_pages_speak_swedish_first_and_english_under_en(client, geography, soup):
    swedish = soup(client.get("/"))
    english = soup(client.get("/en/"))

    assert swedish.select_one("a.skip-link").text == "Gå till huvudinnehållet"
    assert english.select_one("a.skip-link").text == "Skip to main content"
    assert swedish.select_one("[data-action=print]").text == "Skriv ut"
    assert swedish.select_one("[data-action=listen]").text == "Lyssna"


def test_no_message_is_hidden_from_the_catalogue_in_an_f_string():
    """makemessages cannot read a call inside an f-string (f"{x}, {_('cycle-adjusted')}"): its
    text would never reach the catalogue and would stay English on Swedish pages. A sentence with
    a placeholder, _("%(series)s, cycle-adjusted") % {...}, is also what a translator can reorder."""
    source = Path(mineralstrategi.__file__).parent
    call = re.compile(r"""\bf(["'])[^"'\n]*\{\s*(?:_|gettext|pgettext|ngettext)\(""")
    hidden = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if call.search(line)
    ]
    assert hidden == []
