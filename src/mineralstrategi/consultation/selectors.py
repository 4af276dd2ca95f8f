"""Reads of consultations: rounds, consultees and their state, the answer page, the public answers,
the team's progress view and the compilation (remissammanställning), in a fixed number of
queries whatever the number of consultees."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from mineralstrategi.caching.until_a_write import UntilAWrite
from mineralstrategi.strategy.diff import Span, word_diff
from mineralstrategi.strategy.models import Section, StrategyVersion
from mineralstrategi.strategy.selectors import ChangeSource, flatten, section_tree
from mineralstrategi.strategy.services import RemissRound

from .models import (
    DRAFT_READERS,
    Answer,
    AnswerComment,
    AnswerStatus,
    ConsultationRound,
    Consultee,
    ConsulteeState,
    Decision,
    Disposition,
    Meeting,
    MeetingOutcome,
    PublicComment,
    PublicCommentStatus,
    Stance,
    today_in_stockholm,
)


def round_list(user) -> QuerySet[ConsultationRound]:
    """Rounds sent out, plus the planned ones of the partnerships the user works in."""
    return ConsultationRound.objects.visible_to(user).select_related("strategy", "version")


def rounds_for_adoption(version: StrategyVersion) -> list[RemissRound]:
    """The rounds sent out on the version or an earlier one of its strategy, as the strategy's
    adoption reads them (registered in `strategy.services.REMISS_READERS`)."""
    rounds = (
        ConsultationRound.objects.published()
        .filter(version__strategy_id=version.strategy_id, version__number__lte=version.number)
        .select_related("version")
        .order_by("version__number", "sent_at", "pk")
    )
    return [
        RemissRound(
            registry_number=round_.registry_number,
            title=round_.title,
            version_number=round_.version.number,
            status=round_.status,
            status_label=str(round_.get_status_display()),
            url=round_.get_absolute_url(),
        )
        for round_ in rounds
    ]


def applied_proposals(strategy, keys) -> list[ChangeSource]:
    """The proposed wordings carried into the strategy's draft sections with these keys, as the
    section history and the version comparison show them (registered in
    `strategy.selectors.CHANGE_SOURCE_READERS`)."""
    dispositions = Disposition.objects.filter(
        applied_at__isnull=False,
        comment__answer__consultee__round__strategy=strategy,
        comment__section_key__in=keys,
    ).select_related("comment__answer__consultee__organisation")
    return [
        ChangeSource(
            section_key=str(disposition.comment.section_key),
            revision=disposition.applied_revision,
            applied_at=disposition.applied_at,
            label=_("Proposed wording in %(reference)s (%(organisation)s)")
            % {
                "reference": disposition.comment.answer.registry_reference,
                "organisation": disposition.comment.answer.consultee.organisation.name,
            },
            url=reverse(
                "consultation:answers", kwargs={"pk": disposition.comment.answer.consultee.round_id}
            )
            + f"#answer-{disposition.comment.answer_id}",
        )
        for disposition in dispositions
    ]


def round_get(pk: int) -> ConsultationRound:
    return get_object_or_404(
        ConsultationRound.objects.select_related("strategy", "version").prefetch_related(
            "strategy__partnership", "strategy__counties"
        ),
        pk=pk,
    )


def consultees(round_: ConsultationRound) -> list[Consultee]:
    """The round's consultees with their organisation, in name order."""
    result = list(round_.consultees.select_related("organisation").order_by("organisation__name"))
    for consultee in result:
        consultee.round = round_
    return result


def consultee_get(round_: ConsultationRound, pk: int) -> Consultee:
    consultee = get_object_or_404(
        Consultee.objects.select_related("organisation"), round=round_, pk=pk
    )
    consultee.round = round_
    return consultee


def consultees_for_user(round_: ConsultationRound, user) -> list[Consultee]:
    """The consultees whose answer page the user may open as a member (where an invitation link
    may lead them)."""
    mine = list(
        DRAFT_READERS.filter(user, round_.consultees.all())
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for consultee in mine:
        consultee.round = round_
    return mine


def sections_of(version: StrategyVersion) -> list[Section]:
    """The version's sections in reading order, each with `.outline` and `.depth`."""
    return flatten(section_tree(version, with_links=False))


def in_document_order(answers: list[Answer], sections: list[Section]) -> None:
    """Give each answer `.section_comments`: its comments in the document's reading order, each
    comment's `.section` the flattened section (with `.outline`, the number in the document)."""
    index = {section.pk: (n, section) for n, section in enumerate(sections)}
    for n, section in enumerate(sections):
        section.document_index = n
    last = len(sections)
    for answer in answers:
        ordered = sorted(answer.comments.all(), key=lambda c: index.get(c.section_id, (last,))[0])
        for comment in ordered:
            if comment.section_id in index:
                comment.section = index[comment.section_id][1]
        answer.section_comments = ordered


@dataclass
class CommentChange:
    """One section's comment, added, removed or changed by a revision."""

    section: Section
    kind: str  # "added", "removed", "changed"
    stance_before: str
    stance_after: str
    comment_spans: list[Span]
    proposed_spans: list[Span]


@dataclass
class AnswerChanges:
    """What a revision changed against the submission it corrects."""

    previous: Answer
    position_before: str | None  # display labels, None when the position stayed
    position_after: str | None
    comment_spans: list[Span]  # empty when the overall comment stayed
    sections: list[CommentChange]
    attachments_added: list[str]
    attachments_removed: list[str]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.position_after is not None
            or self.comment_spans
            or self.sections
            or self.attachments_added
            or self.attachments_removed
        )


def _changed(old: str, new: str) -> list[Span]:
    return word_diff(old, new) if old != new else []


def answer_changes(previous: Answer, current: Answer) -> AnswerChanges:
    """The word-level changes from `previous` to `current`, section by section in document order
    (both with `.section_comments`, see `in_document_order`)."""
    before = {c.section_key: c for c in previous.section_comments}
    after = {c.section_key: c for c in current.section_comments}
    keys = [c.section_key for c in current.section_comments]
    keys += [key for key in before if key not in after]
    sections = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if new is not None and old is not None:
            if (old.stance, old.comment, old.proposed_text) == (
                new.stance,
                new.comment,
                new.proposed_text,
            ):
                continue
            kind = "changed"
        else:
            kind = "added" if old is None else "removed"
        sections.append(
            CommentChange(
                section=(new or old).section,
                kind=kind,
                stance_before=old.get_stance_display() if old else "",
                stance_after=new.get_stance_display() if new else "",
                comment_spans=word_diff(old.comment if old else "", new.comment if new else ""),
                proposed_spans=word_diff(
                    old.proposed_text if old else "", new.proposed_text if new else ""
                ),
            )
        )
    # Removed comments take their place in the document, not the end of the list.
    sections.sort(key=lambda change: getattr(change.section, "document_index", len(keys)))
    old_files = [a.name for a in previous.attachments.all()]
    new_files = [a.name for a in current.attachments.all()]
    position_changed = previous.position != current.position
    return AnswerChanges(
        previous=previous,
        position_before=previous.get_position_display() if position_changed else None,
        position_after=current.get_position_display() if position_changed else None,
        comment_spans=_changed(previous.comment, current.comment),
        sections=sections,
        attachments_added=[name for name in new_files if name not in old_files],
        attachments_removed=[name for name in old_files if name not in new_files],
    )


def _with_changes(answers: list[Answer]) -> None:
    """Each submitted correction gets `.changes` against the submission it supersedes; a draft
    correction against the latest submission."""
    by_pk = {answer.pk: answer for answer in answers}
    for answer in answers:
        previous = by_pk.get(answer.supersedes_id) if answer.supersedes_id else None
        answer.changes = answer_changes(previous, answer) if previous is not None else None


def answers_of(consultee: Consultee, user, sections: list[Section] | None = None) -> list[Answer]:
    """Every revision of the consultee's answer the user may read, oldest first, with comments
    (in document order, numbered), attachments and, for a correction, what it changed."""
    answers = list(
        consultee.answers.visible_to(user)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("comments", queryset=AnswerComment.objects.select_related("section")),
            "attachments",
        )
        .order_by("revision")
    )
    for answer in answers:
        answer.consultee = consultee
    in_document_order(
        answers, sections_of(consultee.round.version) if sections is None else sections
    )
    _with_changes(answers)
    return answers


@dataclass
class AnswerPage:
    """What the consultee's answer page shows: every revision it may read, the open draft (if
    any), the submitted revisions, and which sections the draft has answered."""

    answers: list[Answer]
    draft: Answer | None
    submitted: list[Answer]
    answered: set[int]  # section ids with a saved comment in the draft


def answer_page(consultee: Consultee, user, sections: list[Section]) -> AnswerPage:
    answers = answers_of(consultee, user, sections)
    draft = next((a for a in answers if not a.is_submitted), None)
    return AnswerPage(
        answers=answers,
        draft=draft,
        submitted=[a for a in answers if a.is_submitted],
        answered={c.section_id for c in draft.comments.all()} if draft else set(),
    )


def _latest_submitted(answers) -> dict[int, Answer]:
    latest: dict[int, Answer] = {}
    for answer in answers:
        held = latest.get(answer.consultee_id)
        if held is None or answer.revision > held.revision:
            latest[answer.consultee_id] = answer
    return latest


def submitted_answers(round_: ConsultationRound) -> list[Answer]:
    """Every submitted revision (public documents), by registry number then revision; each has
    `.is_current` (not superseded by a later submitted revision), its comments in document
    order with their section numbers, and, for a correction, what it changed."""
    answers = list(
        Answer.objects.public()
        .filter(consultee__round=round_)
        .select_related("consultee__organisation")
        .prefetch_related(
            Prefetch("comments", queryset=AnswerComment.objects.select_related("section")),
            "attachments",
        )
        .order_by("consultee__answer_number", "revision")
    )
    latest = _latest_submitted(answers)
    for answer in answers:
        answer.consultee.round = round_
        answer.is_current = latest[answer.consultee_id].pk == answer.pk
    in_document_order(answers, sections_of(round_.version))
    _with_changes(answers)
    return answers


# --- Progress -------------------------------------------------------------------------------------


@dataclass
class Progress:
    consultees: list[Consultee]
    counts: dict[str, int]
    overdue: list[Consultee]
    drafts: int
    # The registrar's to-do: consultees the invitation did not reach (no address, failed, bounced),
    # and those invited whose latest reminder did not reach them.
    to_invite: list[Consultee]
    to_remind: list[Consultee]


def progress(round_: ConsultationRound) -> Progress:
    """Who has answered, declined or not answered, who is overdue, what became of each mail (every
    attempt, with its outcome), who still needs an invitation; drafts counted, not shown."""
    today = today_in_stockholm()
    everyone = list(
        round_.consultees.select_related("organisation")
        .prefetch_related("deliveries")
        .order_by("organisation__name")
    )
    for consultee in everyone:
        consultee.round = round_
    counts = Counter(consultee.state for consultee in everyone)
    overdue = [c for c in everyone if c.state == ConsulteeState.SILENT and c.is_late(today)]
    drafts = Answer.objects.filter(
        consultee__round=round_, status=AnswerStatus.DRAFT, consultee__answer_number__isnull=True
    ).count()
    return Progress(
        consultees=everyone,
        counts={state: counts.get(state, 0) for state in ConsulteeState.values},
        overdue=overdue,
        drafts=drafts,
        to_invite=[c for c in everyone if c.needs_invitation],
        to_remind=[c for c in everyone if c.unreached_reminder is not None],
    )


# --- Compilation ------------------------------------------------------------------------------------


@dataclass
class SectionComments:
    section: Section
    comments: list[AnswerComment] = field(default_factory=list)
    # The published public comments on the section (a round open to the public), kept apart.
    public_comments: list[PublicComment] = field(default_factory=list)


@dataclass
class Compilation:
    round: ConsultationRound
    sections: list[SectionComments]
    consultees: list[Consultee]
    state_counts: dict[str, int]
    stance_counts: dict[str, int]
    decision_counts: dict[str, int]
    undecided: int
    changes: list[Disposition]
    next_version: StrategyVersion | None
    meetings: list[Meeting]
    # The published public comments' decisions, counted apart from the answers' comments.
    public_decision_counts: dict[str, int] = field(default_factory=dict)
    public_undecided: int = 0

    @property
    def outcomes(self) -> list[MeetingOutcome]:
        """The outcomes of the held samråd, decided on like comments."""
        return [outcome for meeting in self.meetings for outcome in meeting.outcomes.all()]

    @property
    def outcome_undecided(self) -> int:
        return sum(1 for o in self.outcomes if getattr(o, "disposition", None) is None)

    @property
    def answer_comment_count(self) -> int:
        return sum(len(entry.comments) for entry in self.sections)

    @property
    def public_comment_count(self) -> int:
        return sum(len(entry.public_comments) for entry in self.sections)

    @property
    def comment_count(self) -> int:
        """Every comment to decide on: the answers', the published public ones and the samråd's
        outcomes."""
        return self.answer_comment_count + self.public_comment_count + len(self.outcomes)

    @property
    def undecided_total(self) -> int:
        return self.undecided + self.public_undecided + self.outcome_undecided

    @property
    def public_comments(self) -> list[PublicComment]:
        return [comment for entry in self.sections for comment in entry.public_comments]


# The compilations read lately, until the next write: the same for everybody who may read it
# (the view checks that first), and most of the page's CPU at a real round's size (issue #19).
COMPILATIONS: UntilAWrite[Compilation] = UntilAWrite(maxsize=16)


def compilation(round_: ConsultationRound) -> Compilation:
    """The consultation report: every section comment of the current (latest submitted) answers,
    per section, with consultee, stance and disposition; every consultee's state; totals; and the
    changes carried into the draft with the comments they came from. Kept until the next write
    (`COMPILATIONS`); read only."""
    return COMPILATIONS.get_or_compute(round_.pk, lambda: _compilation(round_))


def _compilation(round_: ConsultationRound) -> Compilation:
    answers = _latest_submitted(
        Answer.objects.filter(consultee__round=round_, status=AnswerStatus.SUBMITTED).only(
            "pk", "consultee_id", "revision", "position", "comment", "registry_reference"
        )
    )
    comments = list(
        AnswerComment.objects.filter(answer__in=[a.pk for a in answers.values()])
        .select_related(
            "section",
            "answer__consultee__organisation",
            "disposition__applied_section",
            "disposition__decided_by",
        )
        .order_by("answer__consultee__organisation__name")
    )
    by_key: dict = {}
    for comment in comments:
        by_key.setdefault(comment.section_key, []).append(comment)
    public_by_section: dict = {}
    for public in published_public_comments(round_):
        public_by_section.setdefault(public.section_id, []).append(public)
    sections = [
        SectionComments(section, by_key.get(section.key, []), public_by_section.get(section.pk, []))
        for section in sections_of(round_.version)
    ]
    public_decisions: Counter = Counter()
    public_undecided = 0
    for entry in sections:
        for comment in entry.comments:
            comment.section = entry.section  # with its outline number, for the lists
        for public in entry.public_comments:
            public.section = entry.section
            disposition = getattr(public, "disposition", None)
            if disposition is None:
                public_undecided += 1
            else:
                public_decisions[disposition.decision] += 1
    everyone = consultees(round_)
    for consultee in everyone:
        # The overall position and comment of its current answer (None before it answers).
        consultee.current_answer = answers.get(consultee.pk)
    states = Counter(consultee.state for consultee in everyone)
    stances = Counter(comment.stance for comment in comments)
    decisions: Counter = Counter()
    undecided = 0
    changes = []
    for comment in comments:
        disposition = getattr(comment, "disposition", None)
        if disposition is None:
            undecided += 1
            continue
        decisions[disposition.decision] += 1
        if disposition.is_applied:
            changes.append(disposition)
    changes.sort(key=lambda d: d.applied_at)
    # The next version is the first one frozen after the last change was carried into the draft.
    later = StrategyVersion.objects.filter(
        strategy_id=round_.strategy_id, number__gt=round_.version.number
    )
    if changes:
        later = later.filter(frozen_at__gte=changes[-1].applied_at)
    next_version = later.order_by("number").first()
    return Compilation(
        round=round_,
        sections=sections,
        consultees=everyone,
        state_counts={state: states.get(state, 0) for state in ConsulteeState.values},
        stance_counts={stance: stances.get(stance, 0) for stance in Stance.values},
        decision_counts={decision: decisions.get(decision, 0) for decision in Decision.values},
        undecided=undecided,
        changes=changes,
        next_version=next_version,
        meetings=list(meetings(round_).held()),
        public_decision_counts={
            decision: public_decisions.get(decision, 0) for decision in Decision.values
        },
        public_undecided=public_undecided,
    )


def compilation_rows(data: Compilation) -> tuple[list[str], list[list]]:
    """The compilation's comments as a table (for CSV and XLSX)."""
    from django.utils.translation import gettext as _

    header = [
        _("Section"),
        _("Consultee"),
        _("Registry reference"),
        _("Stance"),
        _("Comment"),
        _("Proposed wording"),
        _("Decision"),
        _("Reason"),
        _("Applied to the draft"),
        _("Source"),
    ]
    rows = []
    overall = _("The whole strategy (overall position)")
    formal = _("Consultation answer")
    public = _("Public comment")
    for consultee in data.consultees:
        answer = consultee.current_answer
        if answer is None:
            continue
        rows.append(
            [
                overall,
                consultee.organisation.name,
                answer.registry_reference,
                answer.get_position_display(),
                answer.comment,
                "",
                "",
                "",
                "",
                formal,
            ]
        )
    for entry in data.sections:
        label = f"{entry.section.outline} {entry.section.title}".strip()
        for comment in entry.comments:
            disposition = getattr(comment, "disposition", None)
            rows.append(
                [
                    label,
                    comment.answer.consultee.organisation.name,
                    comment.answer.registry_reference,
                    comment.get_stance_display(),
                    comment.comment,
                    comment.proposed_text,
                    disposition.get_decision_display() if disposition else "",
                    disposition.reason if disposition else "",
                    disposition.applied_at.date().isoformat()
                    if disposition and disposition.applied_at
                    else "",
                    formal,
                ]
            )
    for entry in data.sections:
        label = f"{entry.section.outline} {entry.section.title}".strip()
        for comment in entry.public_comments:
            disposition = getattr(comment, "disposition", None)
            rows.append(
                [
                    label,
                    comment.name,
                    "",
                    "",
                    comment.body,
                    "",
                    disposition.get_decision_display() if disposition else "",
                    disposition.reason if disposition else "",
                    "",
                    public,
                ]
            )
    samrad = _("Dialogue meeting (samråd)")
    for outcome in data.outcomes:
        disposition = getattr(outcome, "disposition", None)
        section = outcome.section
        rows.append(
            [
                f"{getattr(section, 'outline', '')} {section.title}".strip() if section else "",
                outcome.meeting.title,
                "",
                "",
                outcome.text,
                "",
                disposition.get_decision_display() if disposition else "",
                disposition.reason if disposition else "",
                "",
                samrad,
            ]
        )
    return header, rows


def undecided_in(data: Compilation) -> list[AnswerComment | PublicComment | MeetingOutcome]:
    """The compilation's current submitted comments, then its published public comments, then the
    held samråd's outcomes, that have no decision yet, in document order."""
    undecided: list[AnswerComment | PublicComment | MeetingOutcome] = [
        comment
        for entry in data.sections
        for comment in entry.comments
        if getattr(comment, "disposition", None) is None
    ]
    undecided += [
        comment for comment in data.public_comments if getattr(comment, "disposition", None) is None
    ]
    undecided += [o for o in data.outcomes if getattr(o, "disposition", None) is None]
    return undecided


def undecided_comments(
    round_: ConsultationRound,
) -> list[AnswerComment | PublicComment | MeetingOutcome]:
    """The comments that have no decision yet (`undecided_in`)."""
    return undecided_in(compilation(round_))


def draft_revisions(round_: ConsultationRound) -> dict:
    """Section key -> revision of that section in the working draft, as the handling page shows
    it, so that applying a proposal fails (optimistic lock) if the draft changed meanwhile."""
    return dict(
        Section.objects.filter(
            version__strategy_id=round_.strategy_id, version__number__isnull=True
        ).values_list("key", "revision")
    )


def meetings(round_: ConsultationRound) -> QuerySet[Meeting]:
    """The round's samråd, in time order, with what their pages and the round's list show."""
    return round_.meetings.prefetch_related(
        "participants",
        "invited_organisations",
        "sections",
        Prefetch(
            "outcomes", queryset=MeetingOutcome.objects.select_related("section", "disposition")
        ),
        "people",
    )


def meeting_get(round_: ConsultationRound, pk: int) -> Meeting:
    meeting = get_object_or_404(meetings(round_), pk=pk)
    meeting.round = round_
    return meeting


@dataclass
class MeetingLists:
    """A round's samråd as its page lists them: planned (upcoming), held, cancelled."""

    planned: list
    held: list
    cancelled: list

    def __bool__(self) -> bool:
        return bool(self.planned or self.held or self.cancelled)


def meeting_lists(round_: ConsultationRound) -> MeetingLists:
    items = list(meetings(round_))
    return MeetingLists(
        planned=[m for m in items if m.is_planned],
        held=sorted((m for m in items if m.is_held), key=lambda m: m.held_at, reverse=True),
        cancelled=[m for m in items if m.is_cancelled],
    )


def comments_for_disposition(round_: ConsultationRound) -> list[AnswerComment]:
    """The current submitted comments with their dispositions, for the team's handling page."""
    data = compilation(round_)
    return [comment for entry in data.sections for comment in entry.comments]


# --- Public comments -------------------------------------------------------------------------------


def published_public_comments(round_: ConsultationRound) -> list[PublicComment]:
    """The round's published public comments with their dispositions, oldest first."""
    return list(
        PublicComment.objects.filter(round=round_)
        .published()
        .select_related("disposition__decided_by")
        .order_by("created_at", "pk")
    )


@dataclass
class PublicSection:
    section: Section
    comments: list[PublicComment]

    @property
    def count(self) -> int:
        return len(self.comments)


@dataclass
class PublicPage:
    """The consulted version as the public reads it: every section in document order with its
    published comments, and (for those who may moderate) how many wait for moderation."""

    round: ConsultationRound
    sections: list[PublicSection]
    pending: int | None

    @property
    def comment_count(self) -> int:
        return sum(entry.count for entry in self.sections)


def public_page(round_: ConsultationRound, *, may_moderate: bool) -> PublicPage:
    by_section: dict = {}
    for comment in published_public_comments(round_):
        by_section.setdefault(comment.section_id, []).append(comment)
    sections = [
        PublicSection(section, by_section.get(section.pk, []))
        for section in sections_of(round_.version)
    ]
    pending = PublicComment.objects.filter(round=round_).pending().count() if may_moderate else None
    return PublicPage(round=round_, sections=sections, pending=pending)


@dataclass
class Moderation:
    pending: list[PublicComment]
    published: list[PublicComment]
    hidden: list[PublicComment]
    unconfirmed: int


def moderation(round_: ConsultationRound) -> Moderation:
    """Every public comment of the round for its moderators, by state, in document order; the
    ones whose writer has not confirmed them are only counted."""
    index = {section.pk: section for section in sections_of(round_.version)}
    order = {pk: n for n, pk in enumerate(index)}
    comments = sorted(
        PublicComment.objects.filter(round=round_).select_related(
            "section", "moderated_by", "disposition"
        ),
        key=lambda c: (order.get(c.section_id, len(order)), c.created_at, c.pk),
    )
    for comment in comments:
        if comment.section_id in index:  # always: a comment is on a section of the version
            comment.section = index[comment.section_id]
    by_status: dict = {}
    for comment in comments:
        by_status.setdefault(comment.status, []).append(comment)
    return Moderation(
        pending=by_status.get(PublicCommentStatus.PENDING, []),
        published=by_status.get(PublicCommentStatus.PUBLISHED, []),
        hidden=by_status.get(PublicCommentStatus.HIDDEN, []),
        unconfirmed=len(by_status.get(PublicCommentStatus.UNCONFIRMED, [])),
    )


def outcome_get(round_: ConsultationRound, pk: int) -> MeetingOutcome:
    outcome = get_object_or_404(
        MeetingOutcome.objects.select_related("meeting", "section"), meeting__round=round_, pk=pk
    )
    outcome.meeting.round = round_
    return outcome


def public_comment_get(round_: ConsultationRound, pk: int) -> PublicComment:
    comment = get_object_or_404(
        PublicComment.objects.select_related("section"), round=round_, pk=pk
    )
    comment.round = round_
    return comment


# --- On the pages of organisations and municipalities (organisations.profiles) -----------------


def organisation_answers(organisation, user) -> dict | None:
    """Its submitted consultation answers (public documents), the current revision of each."""
    answers = (
        Answer.objects.submitted()
        .visible_to(user)
        .filter(consultee__organisation=organisation)
        .select_related("consultee__round")
    )
    latest = sorted(
        _latest_submitted(answers).values(), key=lambda answer: answer.submitted_at, reverse=True
    )
    return {"answers": latest} if latest else None


def municipality_answers(municipality, user) -> dict | None:
    """The answers of the municipality's own organisation."""
    organisation = getattr(municipality, "organisation", None)
    return organisation_answers(organisation, user) if organisation else None
