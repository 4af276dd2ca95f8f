"""The "Description" sheet of the World Bank's price workbook: groups, descriptions, method breaks.

The sheet lists the series under group headings ("Energy", "Beverages", …, "Metals and
Minerals", "Precious Metals"; "Raw Materials" holds "Timber" and "Other Raw Materials"), one row
per description with its sources in a column headed "Sources". Footnotes follow the groups; they
have no sources and are not descriptions. The descriptions do not carry the series' codes, so
they are matched to the series by name (`match_descriptions`), and the months where a series
changed how it is measured are read from their wording (`stated_breaks`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mineralstrategi.ingest.records import MethodBreak

Row = tuple[int, Sequence[object]]

#: The credit every price series read from the workbook carries (its licence is CC BY 4.0).
WORLD_BANK_SOURCE = "World Bank, Commodity Price Data (The Pink Sheet), CC BY 4.0"
DESCRIPTION_SHEET = "Description"


@dataclass(frozen=True)
class Description:
    """One description row: its group heading, its text and the sources it names."""

    row: int
    group: str  # the heading as a key, e.g. "metals_and_minerals"
    group_name: str  # the heading as written, e.g. "Metals and Minerals"
    text: str
    sources: str


@dataclass
class SeriesDescription:
    """What the Description sheet says about one series (empty when nothing matches)."""

    descriptions: list[Description] = field(default_factory=list)
    group: str = ""
    group_name: str = ""
    group_from_neighbour: bool = False

    @property
    def text(self) -> str:
        return "\n".join(d.text for d in self.descriptions)

    @property
    def sources(self) -> str:
        return "\n".join(dict.fromkeys(d.sources for d in self.descriptions if d.sources))


def group_key(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", heading.lower()).strip("_")


def _text(cell: object) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def read_descriptions(rows: Iterable[Row]) -> list[Description]:
    """The description rows of the sheet, each under its group heading.

    The groups start below the row that heads the columns ("Series Description", "Sources"). A
    heading is text in column A with no description beside it (a heading directly above another,
    as "Raw Materials" above "Timber", only parents it). A description is text in column B with
    its sources in the "Sources" column; footnotes below the groups have none. A sheet without
    that header row is read from its top, with every text in column B under a heading taken as
    a description.
    """
    table = [(number, [_text(cell) for cell in cells]) for number, cells in rows]
    start, sources_column = 0, None
    for index, (_number, texts) in enumerate(table):
        if "Sources" in texts:
            start, sources_column = index + 1, texts.index("Sources")
            break
    heading, descriptions = "", []
    for row_number, texts in table[start:]:
        first = texts[0] if texts else ""
        second = texts[1] if len(texts) > 1 else ""
        if first.lower().startswith("updated"):
            break
        if first.strip("*, ") and not second:
            heading = first
            continue
        sources = ""
        if sources_column is not None and sources_column < len(texts):
            sources = texts[sources_column]
        if not second or not heading or (sources_column is not None and not sources):
            continue
        descriptions.append(Description(row_number, group_key(heading), heading, second, sources))
    return descriptions


# --- matching descriptions to series by name ---------------------------------------------------

#: Words the World Bank abbreviates in the series' names but spells out in the descriptions
#: ("Tea, avg 3 auctions"; "Rubber, SGP/MYS" in the 2021 editions).
ABBREVIATIONS = {"avg": "average", "3": "three", "sgp": "singapore", "mys": "malaysia"}
STOPWORDS = frozenset({"a", "an", "and", "the", "of", "in", "at", "for", "to", "on"})
#: Tokens among a description's first ones weigh fully; later ones (where a description names
#: other markets, "quotations at Kolkata, Colombo and Mombasa") weigh half.
HEAD_TOKENS = 6
#: A description that matches a series this much less well than the series' best one is left out.
MATCH_TOLERANCE = 0.2


def tokens(text: str) -> list[str]:
    """Lower-case words, with the dots of abbreviations dropped ("U.S." -> "us", "A.1" -> "a1")."""
    plain = re.sub(r"[.`'’]", "", text.lower())
    return re.findall(r"[a-z0-9]+", plain)


def _name_tokens(name: str) -> list[str]:
    words = [ABBREVIATIONS.get(word, word) for word in tokens(name)]
    return [word for word in words if word not in STOPWORDS]


def _title(text: str) -> str:
    """A description's title: its text up to the first comma outside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth <= 0:
            return text[:index]
    return text


def _same_word(word: str, other: str) -> bool:
    """The same word, or one form of it: Australia(n), Banana(s), Thai(land), Cameroon(ian)."""
    if word == other:
        return True
    shorter, longer = sorted((word, other), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter) and len(longer) - len(shorter) <= 4


def _position(word: str, text_tokens: list[str]) -> int | None:
    """Where a word of a name occurs in a description: itself, a form of it, two words written
    together ("TSR20" for "TSR 20") or an initialism ("SRW" for "soft red winter")."""
    for index, other in enumerate(text_tokens):
        if _same_word(word, other):
            return index
    for index in range(len(text_tokens) - 1):
        if word == text_tokens[index] + text_tokens[index + 1]:
            return index
    if word.isalpha() and 2 <= len(word) <= 4:
        size = len(word)
        for index in range(len(text_tokens) - size + 1):
            if "".join(t[0] for t in text_tokens[index : index + size]) == word:
                return index
    return None


def _joined(words: list[str], text_tokens: list[str]) -> list[str]:
    """The name's words, two of them joined where the description writes them as one
    ("Palm kernel oil" and "Palmkernel oil")."""
    joined, index = [], 0
    while index < len(words):
        pair = "".join(words[index : index + 2])
        if index + 1 < len(words) and pair in text_tokens:
            joined.append(pair)
            index += 2
        else:
            joined.append(words[index])
            index += 1
    return joined


def match_score(name: str, description: str) -> float:
    """How well a description matches a series' name, from 0 to 1.

    Mostly the share of the name's words the description has (fully among its first words,
    half later on), a little the share of the description's title the name covers (so that
    "Groundnuts" takes "Peanut (Groundnut), …" rather than "Peanut (Groundnut) oil, …"). It is 0
    unless the name's first word is among the description's first words ("Beef" in "Meat, beef
    (Australia/New Zealand), …"), so "Coal, Australian" never takes a description of something
    else that mentions coal.
    """
    text_tokens = tokens(description)
    title_tokens = tokens(_title(description))
    words = _joined(_name_tokens(name), text_tokens)
    lead = _position(words[0], text_tokens) if words else None
    if lead is None or lead >= max(HEAD_TOKENS, len(title_tokens)):
        return 0.0
    total = 0.0
    for word in words:
        position = _position(word, text_tokens)
        if position is not None:
            total += 1.0 if position < HEAD_TOKENS else 0.5
    covered = sum(1 for token in title_tokens if any(_same_word(w, token) for w in words))
    return 0.9 * total / len(words) + 0.1 * covered / len(title_tokens)


def match_descriptions(
    names: Sequence[str], descriptions: Sequence[Description]
) -> list[SeriesDescription]:
    """The descriptions of each series (in the order of `names`), with their group.

    Pairs are taken best first: a description goes to the series it matches best (to each of
    several it matches equally well), and a series takes every description that matches it
    about as well as its best one, so a series described twice (iron ore: its history and its
    current spot price) keeps both. A description that a series turns down for a better one
    stays free for the next series it matches.

    A series no description matches takes the group of the series before it in the sheet (else
    after it): the workbook lists each group's series side by side, in the Description's order.
    """
    pairs = sorted(
        (
            (score, index, column)
            for index, name in enumerate(names)
            for column, description in enumerate(descriptions)
            if (score := match_score(name, description.text)) > 0
        ),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    taken_at: dict[int, float] = {}  # description -> the score it was taken at
    best_of: dict[int, float] = {}  # series -> the score of its best description
    chosen: list[list[Description]] = [[] for _ in names]
    for score, index, column in pairs:
        if column in taken_at and score < taken_at[column]:
            continue
        if index in best_of and score < best_of[index] - MATCH_TOLERANCE:
            continue
        taken_at[column] = score
        best_of.setdefault(index, score)
        chosen[index].append(descriptions[column])
    result = []
    for kept in chosen:
        found = SeriesDescription(sorted(kept, key=lambda d: d.row))
        if kept:
            found.group, found.group_name = (
                found.descriptions[0].group,
                found.descriptions[0].group_name,
            )
        result.append(found)
    _groups_from_neighbours(result)
    return result


def _groups_from_neighbours(found: list[SeriesDescription]) -> None:
    for index, series in enumerate(found):
        if series.descriptions:
            continue
        before = [s for s in found[:index] if s.descriptions]
        after = [s for s in found[index + 1 :] if s.descriptions]
        neighbour = before[-1] if before else after[0] if after else None
        if neighbour is not None:
            series.group, series.group_name = neighbour.group, neighbour.group_name
            series.group_from_neighbour = True


# --- method breaks stated in a description ------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b"


def _date(prefix: str) -> str:
    """A date as the descriptions write it: "December 2008", "February 13, 2017",
    "2008 (December)", "2012 April" or "2005"; its groups are named after `prefix`."""
    month_before = rf"(?:(?P<{prefix}m1>{_MONTH})\.?\s+(?:\d{{1,2}},\s*)?)?"
    year = rf"(?P<{prefix}y>(?:19|20)\d{{2}})"
    month_after = rf"(?:\s*\(?\s*(?P<{prefix}m2>{_MONTH})\s*\)?)?"
    return month_before + year + month_after


_RANGE = re.compile(
    rf"{_date('a')}\s*(?:-|–|to|through)\s*(?:{_date('b')}|(?P<present>present)|(?P<short>\d{{2}})\b)",
    re.IGNORECASE,
)
_START = re.compile(
    rf"\b(?:beginning|from|since|starting)\s+(?:in\s+|with\s+)?{_date('a')}", re.IGNORECASE
)
_ONWARDS = re.compile(rf"{_date('a')}\s+onwards?\b", re.IGNORECASE)
_BEFORE = re.compile(rf"\b(?:prior\s+to|before)\s+{_date('a')}", re.IGNORECASE)
_BACKWARDS = re.compile(rf"{_date('a')}\s+backwards?\b", re.IGNORECASE)
# A full stop after a word of two letters or more ("63.5%Fe. Earlier"), not after an
# abbreviation's letter ("f.o.b. Ponta", "U.S. No").
_SENTENCE_END = re.compile(r"(?<=\w\w\.)\s+(?=[A-Z])")


def _month_of(match: re.Match, prefix: str) -> tuple[int, int | None]:
    month_name = match.group(f"{prefix}m1") or match.group(f"{prefix}m2")
    month = MONTHS[month_name.lower()] if month_name else None
    return int(match.group(f"{prefix}y")), month


def _month_text(year: int, month: int) -> str:
    if month > 12:
        year, month = year + 1, 1
    return f"{year}-{month:02d}"


def _clauses(text: str) -> Iterable[str]:
    """The description's clauses (between semicolons and sentence ends), except a sentence that
    describes "Earlier data": the dates in it are those of the older series it was taken from
    (iron ore: contract prices of mines "during years 1987-2009"), not of this series."""
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip().lower().startswith("earlier data"):
            continue
        for clause in sentence.split(";"):
            if clause.strip():
                yield clause.strip()


def stated_breaks(text: str) -> list[MethodBreak]:
    """The months in which a description says its series began to be measured another way.

    Read: "beginning December 2008", "from June 2025", "2006 onwards", "prior to July 1976"
    (the month named starts the new way), and periods "during 2006 to 2008 (November)",
    "January 2021 to October 2024", "for years 1985-present" (the first month of a period starts
    it; the month after a period that ends on a named month starts the next). A period ending
    on a bare year ("1960-84", "1987-2009") gives no break at its end: a year alone does not say
    when in it the change came. Each break keeps the clause that states it.
    """
    found: dict[str, str] = {}
    for clause in _clauses(text):
        spans = []
        for match in _RANGE.finditer(clause):
            year, month = _month_of(match, "a")
            found.setdefault(_month_text(year, month or 1), clause)
            if match.group("by") and (match.group("bm1") or match.group("bm2")):
                end_year, end_month = _month_of(match, "b")
                found.setdefault(_month_text(end_year, end_month + 1), clause)
            spans.append(match.span())
        for pattern, after in ((_START, 0), (_ONWARDS, 0), (_BEFORE, 0), (_BACKWARDS, 1)):
            for match in pattern.finditer(clause):
                if any(start <= match.start("ay") < end for start, end in spans):
                    continue  # the date already read as the start of a period
                year, month = _month_of(match, "a")
                if month is None:
                    found.setdefault(_month_text(year + after, 1), clause)
                else:
                    found.setdefault(_month_text(year, month + after), clause)
    return [MethodBreak(month, found[month]) for month in sorted(found)]
