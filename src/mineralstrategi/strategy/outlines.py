"""Outlines a strategy can start from: the headings of a Markdown text or a Word (DOCX) document,
read into a list of headings with their depth (1–3) and the text under each.

Pure Python (no Django): `OutlineError` carries a message for the person who uploaded the file.
A DOCX is a ZIP of XML parts; only `word/document.xml` and `word/styles.xml` are read, each with a
size limit, and a part with a document type declaration is refused (no entity expansion).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

MAX_DEPTH = 3
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_HEADINGS = 500
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)


class OutlineError(ValueError):
    """The file is no outline we can read; the message says why, for the person who sent it."""


@dataclass
class Heading:
    depth: int  # 1 for a top-level heading, at most MAX_DEPTH
    title: str
    body: str = ""


def _finish(headings: list[Heading]) -> list[Heading]:
    if not headings:
        raise OutlineError("no headings")
    if len(headings) > MAX_HEADINGS:
        raise OutlineError("too many headings")
    for heading in headings:
        heading.title = heading.title[:300]
        heading.body = heading.body.strip()
    return headings


def markdown_outline(text: str) -> list[Heading]:
    """`#`, `##` and `###` headings (deeper ones count as `###`); the lines under a heading are
    its text. Headings inside fenced code blocks are text."""
    headings: list[Heading] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _MARKDOWN_HEADING.match(line)
        if match:
            headings.append(Heading(min(len(match.group(1)), MAX_DEPTH), match.group(2)))
        elif headings:
            headings[-1].body += line + "\n"
    return _finish(headings)


def _read_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise OutlineError("too large")
    try:
        data = archive.read(info)
    # zipfile raises NotImplementedError for a compression method it cannot read.
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise OutlineError("not a docx") from None
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise OutlineError("not a docx")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise OutlineError("not a docx") from None


def _heading_styles(styles: ElementTree.Element | None) -> dict[str, int]:
    """Style id -> heading depth, from the styles' names ("heading 1" in any language's Word)."""
    depths: dict[str, int] = {}
    if styles is None:
        return depths
    for style in styles.iter(f"{WORD}style"):
        name = style.find(f"{WORD}name")
        match = _HEADING_STYLE.match(name.get(f"{WORD}val", "")) if name is not None else None
        if match and int(match.group(1)) >= 1:
            depths[style.get(f"{WORD}styleId", "")] = min(int(match.group(1)), MAX_DEPTH)
    return depths


def docx_outline(data: bytes) -> list[Heading]:
    """The paragraphs in the styles Heading 1, 2 and 3 (deeper ones count as 3); the paragraphs
    under a heading are its text."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise OutlineError("not a docx") from None
    with archive:
        document = _read_part(archive, "word/document.xml")
        if document is None:
            raise OutlineError("not a docx")
        depths = _heading_styles(_read_part(archive, "word/styles.xml"))
    headings: list[Heading] = []
    for paragraph in document.iter(f"{WORD}p"):
        text = "".join(node.text or "" for node in paragraph.iter(f"{WORD}t")).strip()
        style = paragraph.find(f"{WORD}pPr/{WORD}pStyle")
        style_id = style.get(f"{WORD}val", "") if style is not None else ""
        depth = depths.get(style_id)
        if depth is None and (match := _HEADING_STYLE.match(style_id)):
            depth = min(int(match.group(1)), MAX_DEPTH) or None
        if depth and text:
            headings.append(Heading(depth, text))
        elif headings and text:
            headings[-1].body += text + "\n\n"
    return _finish(headings)


def outline_of(filename: str, data: bytes) -> list[Heading]:
    """The outline of an uploaded file, by its name: .docx, else Markdown text (UTF-8)."""
    if filename.lower().endswith(".docx"):
        return docx_outline(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OutlineError("not text") from None
    return markdown_outline(text)
