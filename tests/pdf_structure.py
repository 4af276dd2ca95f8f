"""What a screen reader finds in a PDF: its structure tree (PDF/UA tags), language and title."""

import io
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class Accessibility:
    tagged: bool
    language: str
    title: str
    tags: Counter  # structure element types: H1, P, Table, TH, ...


def accessibility(content: bytes) -> Accessibility:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    tags: Counter = Counter()

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                tags[str(node["/S"]).lstrip("/")] += 1
            if "/K" in node:
                walk(node["/K"])

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    mark_info = root.get("/MarkInfo") or {}
    return Accessibility(
        tagged=bool(mark_info.get("/Marked")),
        language=str(root.get("/Lang", "")),
        title=str((reader.metadata or {}).get("/Title", "")),
        tags=tags,
    )
