"""The consultation part of the JSON API. Reads only, and only what is public: rounds that have
been sent, their consultees and states, submitted answers (never a draft) and the compilation."""

from datetime import date, datetime
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mineralstrategi.apikit.responses import INVALID_INPUT, NOT_FOUND, ObjectId

from . import selectors
from .models import ConsultationRound

router = Router(tags=["consultation"])


class RoundOut(Schema):
    id: int
    title: str
    registry_number: str
    status: str
    strategy_id: int
    version_number: int
    opens_on: date
    deadline: date
    is_example: bool
    is_public: bool

    @staticmethod
    def resolve_version_number(obj) -> int:
        return obj.version.number


class ConsulteeOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    state: str
    deadline: date
    registry_reference: str
    declined_reason: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_declined_reason(obj) -> str:
        return obj.decline_reason if obj.state == "declined" else ""


class RoundDetailOut(RoundOut):
    instructions: str
    contact_name: str
    contact_email: str
    consultees: list[ConsulteeOut]

    @staticmethod
    def resolve_consultees(obj):
        return selectors.consultees(obj)


class DispositionOut(Schema):
    decision: str
    reason: str
    applied_at: datetime | None


class CommentOut(Schema):
    id: int
    section_key: UUID
    section_title: str
    stance: str
    comment: str
    proposed_text: str

    @staticmethod
    def resolve_section_title(obj) -> str:
        return obj.section.title


class AnswerOut(Schema):
    id: int
    organisation: str
    registry_reference: str
    revision: int
    is_current: bool
    position: str
    comment: str
    submitted_at: datetime
    comments: list[CommentOut]
    attachments: list[str]

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.consultee.organisation.name

    @staticmethod
    def resolve_comments(obj):
        # In the document's reading order (selectors.in_document_order) where it was set.
        return getattr(obj, "section_comments", None) or list(obj.comments.all())

    @staticmethod
    def resolve_attachments(obj) -> list[str]:
        return [attachment.name for attachment in obj.attachments.all()]


class CompiledCommentOut(CommentOut):
    organisation: str
    registry_reference: str
    disposition: DispositionOut | None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.answer.consultee.organisation.name

    @staticmethod
    def resolve_registry_reference(obj) -> str:
        return obj.answer.registry_reference

    @staticmethod
    def resolve_disposition(obj):
        return getattr(obj, "disposition", None)


class CompiledConsulteeOut(ConsulteeOut):
    """A consultee with the overall position and comment of its current answer ("" before it
    answers)."""

    position: str
    comment: str

    @staticmethod
    def resolve_position(obj) -> str:
        answer = getattr(obj, "current_answer", None)
        return answer.position if answer else ""

    @staticmethod
    def resolve_comment(obj) -> str:
        answer = getattr(obj, "current_answer", None)
        return answer.comment if answer else ""


class CompiledPublicCommentOut(Schema):
    """A published public comment (a round open to the public): not a consultation answer."""

    id: int
    section_key: UUID
    section_title: str
    name: str
    comment: str
    written_at: datetime
    disposition: DispositionOut | None

    @staticmethod
    def resolve_section_title(obj) -> str:
        return obj.section.title

    @staticmethod
    def resolve_comment(obj) -> str:
        return obj.body

    @staticmethod
    def resolve_written_at(obj) -> datetime:
        return obj.created_at

    @staticmethod
    def resolve_disposition(obj):
        return getattr(obj, "disposition", None)


class CompiledOutcomeOut(Schema):
    """An outcome of a held samråd, with the team's decision on it."""

    meeting: str
    held_at: datetime
    section_key: UUID | None
    section_title: str | None
    outcome: str
    disposition: DispositionOut | None

    @staticmethod
    def resolve_meeting(obj) -> str:
        return obj.meeting.title

    @staticmethod
    def resolve_held_at(obj) -> datetime:
        return obj.meeting.held_at

    @staticmethod
    def resolve_section_key(obj):
        return obj.section.key if obj.section_id else None

    @staticmethod
    def resolve_section_title(obj):
        return obj.section.title if obj.section_id else None

    @staticmethod
    def resolve_outcome(obj) -> str:
        return obj.text

    @staticmethod
    def resolve_disposition(obj):
        return getattr(obj, "disposition", None)


class CompilationOut(Schema):
    round: RoundOut
    consultees: list[CompiledConsulteeOut]
    state_counts: dict[str, int]
    stance_counts: dict[str, int]
    decision_counts: dict[str, int]
    undecided: int
    comments: list[CompiledCommentOut]
    # Apart from the answers: the published public comments and their decisions.
    public_comments: list[CompiledPublicCommentOut]
    public_decision_counts: dict[str, int]
    public_undecided: int
    # The held samråd's outcomes and the decisions on them.
    samrad_outcomes: list[CompiledOutcomeOut]
    samrad_undecided: int


def _published_round(request, round_id: int) -> ConsultationRound:
    round_ = selectors.round_get(round_id)
    if not request.user.has_perm("consultation.view_consultationround", round_):
        raise Http404(_("No such consultation."))
    return round_


@router.get("/consultations", response={200: list[RoundOut]})
def consultations(request):
    return list(selectors.round_list(request.user))


@router.get(
    "/consultations/{round_id}", response={200: RoundDetailOut, **NOT_FOUND, **INVALID_INPUT}
)
def consultation(request, round_id: ObjectId):
    return _published_round(request, round_id)


@router.get(
    "/consultations/{round_id}/answers",
    response={200: list[AnswerOut], **NOT_FOUND, **INVALID_INPUT},
)
def answers(request, round_id: ObjectId):
    """Submitted answers only (public documents), every revision, oldest first per consultee."""
    return selectors.submitted_answers(_published_round(request, round_id))


@router.get(
    "/consultations/{round_id}/compilation",
    response={200: CompilationOut, **NOT_FOUND, **INVALID_INPUT},
)
def compilation(request, round_id: ObjectId):
    round_ = _published_round(request, round_id)
    if not request.user.has_perm("consultation.view_compilation", round_):
        raise Http404(_("The compilation is published when the round closes."))
    data = selectors.compilation(round_)
    return {
        "round": round_,
        "consultees": data.consultees,
        "state_counts": data.state_counts,
        "stance_counts": data.stance_counts,
        "decision_counts": data.decision_counts,
        "undecided": data.undecided,
        "comments": [comment for entry in data.sections for comment in entry.comments],
        "public_comments": data.public_comments,
        "public_decision_counts": data.public_decision_counts,
        "public_undecided": data.public_undecided,
        "samrad_outcomes": data.outcomes,
        "samrad_undecided": data.outcome_undecided,
    }
