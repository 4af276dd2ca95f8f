"""Comments rendered safely; the iCalendar writer (RFC 5545: escaping, folding, CRLF)."""

from datetime import UTC, datetime

from bs4 import BeautifulSoup

from mineralstrategi import ical
from mineralstrategi.portal.rendering import comment_to_html


def parsed(text: str) -> BeautifulSoup:
    return BeautifulSoup(str(comment_to_html(text)), "html.parser")


def test_raw_html_in_a_comment_is_stripped_not_run():
    soup = parsed('Hej <script>alert(1)</script><img src=x onerror="alert(2)"> <b onclick=x>du</b>')

    assert soup.find("script") is None and soup.find("img") is None
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)


def test_links_in_comments_are_nofollow_and_javascript_links_lose_their_target():
    soup = parsed("[bra](https://example.se) och [elak](javascript:alert(1))")

    good, bad = soup.find_all("a")
    assert good["href"] == "https://example.se"
    assert set(good["rel"]) == {"nofollow", "noopener", "noreferrer"}
    assert "href" not in bad.attrs


def test_markdown_formatting_survives():
    soup = parsed("*kursiv* och **fet**\n\n- ett\n- två")
    assert soup.find("em").text == "kursiv" and soup.find("strong").text == "fet"
    assert len(soup.find_all("li")) == 2


def test_calendar_escapes_text_and_ends_lines_with_crlf():
    event = ical.CalendarEvent(
        uid="event-1@example.se",
        starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        summary="Seminarium; gruvor, vatten\\och\nrenar",
        location="Skellefteå",
    )
    text = ical.calendar(event, now=datetime(2026, 11, 1, tzinfo=UTC))

    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Seminarium\\; gruvor\\, vatten\\\\och\\nrenar\r\n" in text
    assert "DTSTART:20261201T090000Z\r\n" in text
    assert text.count("BEGIN:VEVENT") == 1


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "åäö " * 60
    folded = ical.fold(line)

    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == line
