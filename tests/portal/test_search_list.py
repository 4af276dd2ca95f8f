"""What people type finds what they mean: twenty searches on the demo, each with the first hit a
person expects, on SQLite and on PostgreSQL alike (Swedish stems on both)."""

import pytest

from mineralstrategi.portal.search import site_search

# query -> (kind, title) of the first hit; None for the kind: any kind whose title holds `title`.
EXPECTED_FIRST = {
    "Kiruna": ("municipality", "Kiruna kommun"),
    "Kiruna kommun": ("municipality", "Kiruna kommun"),
    "Skellefteå": ("municipality", "Skellefteå kommun"),
    "Gällivare": ("municipality", "Gällivare kommun"),
    "LKAB": ("organisation", "Luossavaara-Kiirunavaara AB (LKAB)"),
    "Boliden Mineral AB": ("organisation", "Boliden Mineral AB"),
    "Luleå tekniska universitet": ("organisation", "Luleå tekniska universitet"),
    "Region Västerbotten": ("organisation", "Region Västerbotten"),
    "Svemin": ("organisation", "Svemin"),
    "Aitik": ("site", "Aitik"),
    "Malmberget": ("site", "Malmberget"),
    "Kankberg": ("site", "Kankberg"),
    "Laisvall": ("site", "Laisvall"),
    "Norrbotniabanan": ("initiative", "Norrbotniabanan – regional samverkan"),
    "efterbehandling": ("initiative", "Efterbehandling av Laisvallgruvan – uppföljning"),
    "sysselsatta": ("indicator", "Sysselsatta i gruv- och mineralnäringen"),
    "rennäring": (None, "rennäringen"),
    "samråd": (None, "Samråd med samebyar"),
    "gruva": (None, "gruv"),
    "gruvor": (None, "gruv"),
}


@pytest.fixture
def demo(db, demo_data):
    return demo_data


def test_the_first_hit_is_the_one_people_expect(demo):
    """One demo for the whole list (restoring it per query would cost a second each)."""
    wrong = {}
    for query, (kind, title) in EXPECTED_FIRST.items():
        hits = site_search(query)
        first = (hits[0].kind, hits[0].title) if hits else None
        if kind is None:
            right = first is not None and title.casefold() in first[1].casefold()
        else:
            right = first == (kind, title)
        if not right:
            wrong[query] = first
    assert wrong == {}


def test_inflected_forms_find_the_same(demo):
    """Swedish stems on either database: "gruva" and "gruvor" are both "gruv"."""
    assert {h.url for h in site_search("gruva")} == {h.url for h in site_search("gruvor")}
    assert {h.url for h in site_search("samebyar")} == {h.url for h in site_search("sameby")}


def test_a_submitted_answer_is_found_by_its_words_with_them_marked(demo):
    hit = next(h for h in site_search("kompetensförsörjning") if h.kind == "answer")
    assert "/remiss/" in hit.url and "#answer-" in hit.url
    assert "<mark>kompetensförsörjning" in hit.highlighted.lower()
