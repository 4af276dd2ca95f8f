"""Compare two versions of a strategy, section by section, with word-level changes.

Pure Python: no Django. Sections are matched by their stable key, so a section that was retitled,
rewritten or moved is recognised as the same section.
"""

import difflib
import re
from dataclasses import dataclass, field
from enum import StrEnum


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SectionSnapshot:
    """What the diff needs to know of one section in one version."""

    key: str
    title: str
    body: str
    kind: str = ""
    dimension: str = ""
    parent_key: str | None = None
    position: int = 0
    outline: str = ""
    links: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Span:
    """A run of text that is kept ("equal"), added ("insert") or taken away ("delete")."""

    op: str
    text: str


@dataclass
class SectionChange:
    key: str
    kind: ChangeKind
    old: SectionSnapshot | None
    new: SectionSnapshot | None
    title_spans: list[Span] = field(default_factory=list)
    body_spans: list[Span] = field(default_factory=list)
    fields_changed: list[str] = field(default_factory=list)
    links_added: list[str] = field(default_factory=list)
    links_removed: list[str] = field(default_factory=list)

    @property
    def current(self) -> SectionSnapshot:
        return self.new or self.old  # type: ignore[return-value]

    @property
    def moved(self) -> bool:
        return "parent" in self.fields_changed or "position" in self.fields_changed


@dataclass
class VersionDiff:
    changes: list[SectionChange]

    def of_kind(self, kind: ChangeKind) -> list[SectionChange]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        counts = {kind.value: 0 for kind in ChangeKind}
        for change in self.changes:
            counts[change.kind.value] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return any(change.kind != ChangeKind.UNCHANGED for change in self.changes)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Words, runs of white space and single punctuation marks; joined they give back the text."""
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[Span]:
    """Word-level spans that turn `old` into `new`.

    Changes separated only by white space are shown as one deletion and one insertion
    ("<del>ökar varje</del><ins>är minst</ins>" rather than alternating single words).
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    spans: list[Span] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            spans.append(Span("delete", "".join(deleted)))
        if inserted:
            spans.append(Span("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = "".join(old_tokens[i1:i2])
            between_changes = (deleted or inserted) and index + 1 < len(opcodes)
            if between_changes and not text.strip():
                deleted.append(text)
                inserted.append(text)
                continue
            flush()
            spans.append(Span("equal", text))
        else:
            deleted.extend(old_tokens[i1:i2])
            inserted.extend(new_tokens[j1:j2])
    flush()
    return [span for span in spans if span.text]


def _compare(old: SectionSnapshot, new: SectionSnapshot) -> SectionChange:
    fields_changed = [
        name
        for name, before, after in (
            ("title", old.title, new.title),
            ("body", old.body, new.body),
            ("kind", old.kind, new.kind),
            ("dimension", old.dimension, new.dimension),
            ("parent", old.parent_key, new.parent_key),
            ("position", old.position, new.position),
        )
        if before != after
    ]
    links_added = sorted(new.links - old.links)
    links_removed = sorted(old.links - new.links)
    content_changed = bool(
        {"title", "body", "kind", "dimension"} & set(fields_changed) or links_added or links_removed
    )
    if content_changed:
        kind = ChangeKind.CHANGED
    elif "parent" in fields_changed:
        kind = ChangeKind.MOVED
    else:
        # A shift in position alone (because a sibling was added or removed) is no change.
        kind = ChangeKind.UNCHANGED
        fields_changed = []
    return SectionChange(
        key=new.key,
        kind=kind,
        old=old,
        new=new,
        title_spans=word_diff(old.title, new.title),
        body_spans=word_diff(old.body, new.body),
        fields_changed=fields_changed,
        links_added=links_added,
        links_removed=links_removed,
    )


def diff_versions(old: list[SectionSnapshot], new: list[SectionSnapshot]) -> VersionDiff:
    """Every section of either version, in the new version's order, with removed sections placed
    after the section that preceded them in the old version."""
    old_by_key = {section.key: section for section in old}
    new_keys = {section.key for section in new}
    changes: list[SectionChange] = []
    for section in new:
        previous = old_by_key.get(section.key)
        if previous is None:
            changes.append(
                SectionChange(
                    key=section.key,
                    kind=ChangeKind.ADDED,
                    old=None,
                    new=section,
                    title_spans=[Span("insert", section.title)],
                    body_spans=[Span("insert", section.body)] if section.body else [],
                    links_added=sorted(section.links),
                )
            )
        else:
            changes.append(_compare(previous, section))

    removed_after: dict[str | None, list[SectionChange]] = {}
    predecessor: str | None = None
    for section in old:
        if section.key in new_keys:
            predecessor = section.key
            continue
        removed_after.setdefault(predecessor, []).append(
            SectionChange(
                key=section.key,
                kind=ChangeKind.REMOVED,
                old=section,
                new=None,
                title_spans=[Span("delete", section.title)],
                body_spans=[Span("delete", section.body)] if section.body else [],
                links_removed=sorted(section.links),
            )
        )
    ordered = list(removed_after.get(None, []))
    for change in changes:
        ordered.append(change)
        ordered.extend(removed_after.get(change.key, []))
    return VersionDiff(changes=ordered)


# --- Placing a proposed wording in a section ----------------------------------------------------

# A sentence: up to its end mark (and a closing quote or bracket), or to the end of its line.
_SENTENCE = re.compile(r"[^\s][^.!?\n]*(?:[.!?]+[\"”»)]*|$)", re.MULTILINE)
# How like a passage a proposal must be (difflib's ratio of their words) to be taken as its
# rewording; below it the proposal is taken as new text.
PASSAGE_LIKENESS = 0.25


class PlacementKind(StrEnum):
    WHOLE = "whole"  # the proposal rewrites the whole text
    PASSAGE = "passage"  # it rewrites one passage (one or more sentences in a row)
    ADDED = "added"  # it is like no passage: added as a paragraph of its own at the end


@dataclass(frozen=True)
class Placement:
    text: str  # the section's text with the proposal in place
    kind: PlacementKind
    replaced: str = ""  # the passage the proposal takes the place of


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _likeness(passage: str, proposal_words: list[str]) -> float:
    return difflib.SequenceMatcher(a=_words(passage), b=proposal_words, autojunk=False).ratio()


def place_proposal(current: str, proposal: str) -> Placement:
    """Where a consultee's proposed wording belongs in the current text of a section.

    A proposal is often about one sentence, not the section: the passage of consecutive
    sentences (within one paragraph) most like it is replaced, and the rest is kept. A proposal
    most like the whole text replaces it; one like no passage is added at the end. The editor
    sees the result as a diff and edits it before it is saved.
    """
    proposal = proposal.strip()
    if not current.strip():
        return Placement(proposal, PlacementKind.WHOLE, current)
    proposal_words = _words(proposal)
    best_score, best_span = _likeness(current, proposal_words), None
    longest = len(_SENTENCE.findall(proposal)) + 2
    for paragraph in re.finditer(r"[^\n]+(?:\n[^\n]+)*", current):
        sentences = [
            (paragraph.start() + m.start(), paragraph.start() + m.end())
            for m in _SENTENCE.finditer(paragraph.group())
        ]
        for first in range(len(sentences)):
            for last in range(first, min(first + longest, len(sentences))):
                start, end = sentences[first][0], sentences[last][1]
                score = _likeness(current[start:end], proposal_words)
                if score > best_score:
                    best_score, best_span = score, (start, end)
    if best_score < PASSAGE_LIKENESS:
        return Placement(f"{current.rstrip()}\n\n{proposal}", PlacementKind.ADDED)
    if best_span is None:
        return Placement(proposal, PlacementKind.WHOLE, current)
    start, end = best_span
    replaced = current[start:end].rstrip()
    end = start + len(replaced)
    return Placement(current[:start] + proposal + current[end:], PlacementKind.PASSAGE, replaced)
