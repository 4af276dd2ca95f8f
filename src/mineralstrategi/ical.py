"""Events (a portal event, a samråd, the entries of an annual wheel) as an iCalendar file (RFC
5545), written by hand: one VEVENT each, text escaped, lines folded at 75 octets, CRLF line
endings. An event on whole days has dates (`VALUE=DATE`) instead of times. Pure: no Django."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    # Times, or dates for an event on whole days (then `ends_at` is the day after the last).
    starts_at: datetime | date
    ends_at: datetime | date | None  # None: no stated end (RFC 5545: it ends as it starts)
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character;
    continuation lines start with one space (RFC 5545 3.1)."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _moment(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{utc_stamp(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _event_lines(event: CalendarEvent, now: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(now)}",
        _moment("DTSTART", event.starts_at),
        *([_moment("DTEND", event.ends_at)] if event.ends_at is not None else []),
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    return [*lines, "END:VEVENT"]


def calendar_of(
    events: list[CalendarEvent],
    *,
    now: datetime,
    product: str = "-//Mineralstrategi//SV",
    name: str = "",
) -> str:
    """A calendar of every event, with its name (`X-WR-CALNAME`) when given."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *([f"X-WR-CALNAME:{escape_text(name)}"] if name else []),
    ]
    for event in events:
        lines += _event_lines(event, now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def calendar(
    event: CalendarEvent, *, now: datetime, product: str = "-//Mineralstrategi//SV"
) -> str:
    return calendar_of([event], now=now, product=product)
