"""The shared PDF helper: every tagged element of a long PDF points to the page it is on (the page
references are kept, not rebuilt, while WeasyPrint tags), and the making tells its progress."""

import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from mineralstrategi.pdf import render_pdf

PAGES = 12


def headings_and_their_pages(pdf: bytes) -> list[tuple[str, int]]:
    """(heading text, page number) for every H1 of the structure tree, read through its /Pg."""
    reader = PdfReader(io.BytesIO(pdf))
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    found = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if node.get("/S") == "/H1":
                found.append(numbers[node.raw_get("/Pg").idnum])
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def long_document() -> str:
    chapters = "".join(
        f'<h1 style="break-before: page">Kapitel {n}</h1><p>Text {n}.</p>'
        for n in range(1, PAGES + 1)
    )
    return f'<!DOCTYPE html><html lang="sv"><title>Lång</title><body>{chapters}</body></html>'


def test_every_heading_is_tagged_on_its_own_page():
    pdf = render_pdf(long_document())
    assert len(PdfReader(io.BytesIO(pdf)).pages) == PAGES
    assert headings_and_their_pages(pdf) == list(range(1, PAGES + 1))


def test_the_progress_rises_to_the_end_of_the_layout_and_beyond():
    told = []
    render_pdf(long_document(), progress=told.append)
    assert told == sorted(told) and len(told) >= PAGES // 2
    assert told[0] < 10 and told[-1] >= 90 and max(told) < 100
