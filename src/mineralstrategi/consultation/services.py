"""Writes of a consultation: rounds and consultees, invitations and reminders, answers (draft,
submission, correction, decline, attachments), deadline extensions, dispositions, carrying
accepted proposals into the working draft, and dialogue meetings.

Each service checks the user's permission on the object, owns its transaction and records the
change in the history (django-simple-history) with its author. The organisation an answer speaks
for is always the consultee's: no service takes an organisation from its caller.
"""

import datetime
import logging
import smtplib
import warnings
from dataclasses import dataclass

import rules
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mineralstrategi import ical, visitors
from mineralstrategi.links import public_url, site_host
from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from mineralstrategi.services import (
    acting_user,
    email_address,
    require,
    schedule_reminder_passes,
    with_history_user,
)
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.diff import Placement, place_proposal
from mineralstrategi.strategy.models import Section, Strategy, StrategyVersion

from .models import (
    KIND_FIELD,
    STOCKHOLM,
    Answer,
    AnswerComment,
    AnswerStatus,
    Attachment,
    ConsultationRound,
    Consultee,
    Decision,
    Delivery,
    DeliveryState,
    Disposition,
    MailKind,
    Meeting,
    MeetingOutcome,
    MeetingPerson,
    MeetingStatus,
    Position,
    PublicComment,
    PublicCommentStatus,
    RegistrationState,
    RoundStatus,
    Stance,
    today_in_stockholm,
)

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


class AnswerRefused(ValidationError):
    """The round does not take this answer now (not open, or the consultee's deadline passed)."""


def _require_officer(user, permission: str, consultee) -> None:
    """Answering for an organisation is its officers' act alone: checked against the rule itself,
    without the superuser shortcut of `user.has_perm`."""
    if not rules.has_perm(permission, user, consultee):
        raise PermissionDenied(
            _("Only consultation officers of %(organisation)s answer for it.")
            % {"organisation": consultee.organisation}
        )


# --- Rounds and consultees ----------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    version: StrategyVersion,
    user,
    title: str,
    registry_number: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    instructions: str = "",
    contact_name: str = "",
    contact_email: str = "",
    is_example: bool = False,
    is_public: bool = False,
) -> ConsultationRound:
    """A planned round on a frozen version. Consultees are added, then the round is sent. A round
    open to the public (`is_public`) also takes anyone's comments while it is open."""
    strategy: Strategy = version.strategy
    require(user, "consultation.manage_round", strategy)
    errors = {}
    if not version.is_frozen:
        errors["version"] = _("Only a frozen version can be sent for consultation.")
    if deadline < opens_on:
        errors["deadline"] = _("The deadline comes before the opening date.")
    registry_number = (registry_number or "").strip()
    if not registry_number:
        errors["registry_number"] = _("A round needs a registry number (diarienummer).")
    elif ConsultationRound.objects.filter(registry_number=registry_number).exists():
        errors["registry_number"] = _("Registry number %(number)s is already used.") % {
            "number": registry_number
        }
    if not (title or "").strip():
        errors["title"] = _("A round needs a title.")
    if errors:
        raise ValidationError(errors)
    round_ = ConsultationRound(
        strategy=strategy,
        version=version,
        title=title.strip(),
        registry_number=registry_number,
        instructions=instructions,
        opens_on=opens_on,
        deadline=deadline,
        contact_name=contact_name,
        contact_email=contact_email,
        created_by=acting_user(user),
        is_example=is_example,
        is_public=bool(is_public),
    )
    with_history_user(round_, user).save()
    return round_


@transaction.atomic
def round_public_set(round_: ConsultationRound, *, user, is_public: bool) -> ConsultationRound:
    """Open a round to the public's comments, or close it to them, while it is not finished.
    Comments already written stay as they are (published ones remain in the compilation)."""
    require(user, "consultation.manage_round", round_)
    if round_.status in (RoundStatus.CLOSED, RoundStatus.COMPILED):
        raise ValidationError(
            {"is_public": _("The round is closed; whether it is open to the public is settled.")}
        )
    round_.is_public = bool(is_public)
    with_history_user(round_, user).save(update_fields=["is_public"])
    return round_


def _invite_on_commit(consultees: list[Consultee]) -> None:
    from . import tasks

    ids = [consultee.pk for consultee in consultees]
    transaction.on_commit(lambda: [tasks.send_invitation.enqueue(pk) for pk in ids])


def _add(round_: ConsultationRound, user, organisations) -> list[Consultee]:
    present = set(round_.consultees.values_list("organisation_id", flat=True))
    added = []
    for organisation in organisations:
        if organisation.pk in present:
            continue
        consultee = Consultee(round=round_, organisation=organisation)
        with_history_user(consultee, user).save()
        added.append(consultee)
        present.add(organisation.pk)
    if added and round_.status == RoundStatus.OPEN:
        _invite_on_commit(added)
    return added


def _require_not_finished(round_: ConsultationRound) -> None:
    if round_.status in (RoundStatus.CLOSED, RoundStatus.COMPILED):
        raise ValidationError(_("The round is closed; consultees can no longer be added."))


@transaction.atomic
def consultees_add_municipalities(round_: ConsultationRound, *, user) -> list[Consultee]:
    """Every municipality of the counties the strategy covers (idempotent: none twice)."""
    require(user, "consultation.manage_round", round_)
    _require_not_finished(round_)
    municipalities = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY,
        municipality__county__in=round_.strategy.counties.all(),
    ).order_by("name")
    return _add(round_, user, municipalities)


@transaction.atomic
def consultee_add(round_: ConsultationRound, *, user, organisation: Organisation) -> Consultee:
    require(user, "consultation.manage_round", round_)
    _require_not_finished(round_)
    added = _add(round_, user, [organisation])
    return added[0] if added else round_.consultees.get(organisation=organisation)


def _schedule_reminders(deadline: datetime.date) -> None:
    from . import tasks

    schedule_reminder_passes(
        tasks.send_due_reminders, deadline, settings.CONSULTATION_REMINDER_DAYS_BEFORE
    )


@transaction.atomic
def consultation_send(round_: ConsultationRound, *, user) -> ConsultationRound:
    """Open the round: every consultee gets an invitation by mail (in the task worker, once the
    transaction has committed), and the reminders are scheduled. Sending twice sends nothing new."""
    require(user, "consultation.manage_round", round_)
    locked = ConsultationRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status != RoundStatus.PLANNED:
        round_.status, round_.sent_at = locked.status, locked.sent_at
        return round_
    if not round_.consultees.exists():
        raise ValidationError(_("Add consultees before sending the round."))
    round_.status = RoundStatus.OPEN
    round_.sent_at = timezone.now()
    with_history_user(round_, user).save(update_fields=["status", "sent_at"])
    _invite_on_commit(list(round_.consultees.filter(invited_at__isnull=True)))
    _schedule_reminders(round_.deadline)
    notifications.notify(
        kinds.ROUND_SENT,
        about=round_,
        actor=user,
        subjects=[round_, round_.strategy],
        params={"round": str(round_), "strategy": round_.strategy.title},
        url=round_.get_absolute_url(),
    )
    return round_


def _undecided_listing(comments) -> str:
    def line(comment) -> str:
        if isinstance(comment, MeetingOutcome):
            return _("Samråd %(meeting)s – %(outcome)s") % {
                "meeting": comment.meeting.title,
                "outcome": comment.text[:80],
            }
        if isinstance(comment, PublicComment):
            return _("Public comment by %(name)s – %(section)s") % {
                "name": comment.name,
                "section": comment.section.title,
            }
        return f"{comment.answer.registry_reference} – {comment.section.title}"

    return "\n".join(line(comment) for comment in comments)


@transaction.atomic
def round_status_set(
    round_: ConsultationRound, *, user, status: str, reason: str = ""
) -> ConsultationRound:
    """Close an open round, or mark a closed round as compiled: only when every comment has a
    decision, or with a reason, recorded with the list of the comments that have none."""
    require(user, "consultation.manage_round", round_)
    allowed = {
        RoundStatus.CLOSED: {RoundStatus.OPEN},
        RoundStatus.COMPILED: {RoundStatus.CLOSED},
        RoundStatus.OPEN: {RoundStatus.CLOSED},
    }
    if round_.status not in allowed.get(status, set()):
        raise ValidationError(
            _("A round cannot go from “%(old)s” to “%(new)s”.")
            % {"old": round_.get_status_display(), "new": RoundStatus(status).label}
        )
    fields = ["status"]
    if status == RoundStatus.COMPILED:
        from .selectors import undecided_comments

        undecided = undecided_comments(round_)
        reason = (reason or "").strip()
        if undecided and not reason:
            raise ValidationError(
                {
                    "reason": ngettext(
                        "%(count)s comment has no decision: record it, or give the reason for "
                        "compiling without it.",
                        "%(count)s comments have no decision: record them, or give the reason "
                        "for compiling without them.",
                        len(undecided),
                    )
                    % {"count": len(undecided)}
                }
            )
        round_.compiled_reason = reason if undecided else ""
        round_.compiled_undecided = _undecided_listing(undecided)
        fields += ["compiled_reason", "compiled_undecided"]
    round_.status = status
    with_history_user(round_, user).save(update_fields=fields)
    return round_


@transaction.atomic
def deadline_extend(consultee: Consultee, *, user, until: datetime.date) -> Consultee:
    """Give one consultee more time; the round's other consultees keep the round's deadline."""
    require(user, "consultation.manage_round", consultee.round)
    if until <= consultee.round.deadline:
        raise ValidationError(
            {
                "until": _("An extension must end after the round's deadline (%(deadline)s).")
                % {"deadline": consultee.round.deadline.isoformat()}
            }
        )
    consultee.extended_deadline = until
    consultee.reminded_after_at = None
    with_history_user(consultee, user).save(
        update_fields=["extended_deadline", "reminded_after_at"]
    )
    _schedule_reminders(until)
    return consultee


# --- Mail ----------------------------------------------------------------------------------------
#
# Every attempt at a mail is a Delivery with its true outcome. A consultee's `invited_at`,
# `reminded_before_at` and `reminded_after_at` say when that mail went out: they are claimed
# before the mail is sent (so that two workers send it once) and given back when it was not.


def _recipients(consultee: Consultee) -> list[str]:
    """The consultee's own consultation address, with the organisation's consultation officers,
    else its contact persons with an address."""
    organisation = consultee.organisation
    officers = (
        Membership.objects.filter(organisation=organisation, role=Role.CONSULTATION_OFFICER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    addresses = set(officers)
    if not addresses:
        addresses = set(organisation.contacts.exclude(email="").values_list("email", flat=True))
    if consultee.email:
        addresses.add(consultee.email)
    return sorted(addresses, key=str.lower)


MAIL_TEMPLATES = {
    MailKind.INVITATION: "consultation/email/invitation.txt",
    MailKind.REMINDER: "consultation/email/reminder.txt",
    MailKind.OVERDUE: "consultation/email/overdue.txt",
}
MAIL_SUBJECTS = {
    MailKind.INVITATION: gettext_lazy("Invitation to answer: %(title)s (%(number)s)"),
    MailKind.REMINDER: gettext_lazy("Reminder: answer %(title)s by %(deadline)s (%(number)s)"),
    MailKind.OVERDUE: gettext_lazy("Deadline passed: %(title)s (%(number)s)"),
}


def mail_compose(consultee: Consultee, kind: str) -> tuple[str, str]:
    """The subject and body of a mail to the consultee, in the site's language (Swedish),
    whatever language the worker or the request that triggered it happened to be in. Its link
    is on the site's public address (SITE_URL)."""
    round_ = consultee.round
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(MAIL_SUBJECTS[kind]) % {
            "title": round_.title,
            "number": round_.registry_number,
            "deadline": consultee.deadline.isoformat(),
        }
        body = render_to_string(
            MAIL_TEMPLATES[kind],
            {
                "consultee": consultee,
                "round": round_,
                "link": public_url(consultee.get_answer_url()),
            },
        )
    return subject, body


def _claim(consultee_id: int, field: str) -> bool:
    """Mark a mail as sent before sending it, with one conditional UPDATE, so that two workers
    (or a task delivered twice) send it once."""
    return bool(
        Consultee.objects.filter(pk=consultee_id, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
    )


def _deliver(consultee_id: int, kind: str, requested_by_id: int | None = None) -> Delivery | None:
    """Send the consultee the mail of this kind unless it has gone out already; record the
    attempt and its outcome. None when there was nothing to do."""
    field = KIND_FIELD[kind]
    with transaction.atomic():
        if not _claim(consultee_id, field):
            return None
        consultee = Consultee.objects.select_related(
            "round__strategy", "round__version", "organisation"
        ).get(pk=consultee_id)
        recipients = _recipients(consultee)
        subject, body = mail_compose(consultee, kind)
        delivery = Delivery(
            consultee=consultee,
            kind=kind,
            subject=subject[:400],
            recipients=", ".join(recipients),
            requested_by_id=requested_by_id,
        )
        if not recipients:
            delivery.state = DeliveryState.NO_ADDRESS
            logger.warning("No address for %s; nothing sent.", consultee.organisation)
        else:
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
            except (smtplib.SMTPException, OSError) as error:
                delivery.state = DeliveryState.FAILED
                delivery.error = f"{type(error).__name__}: {error}"[:2000]
                logger.warning("Mail to %s failed: %s", consultee.organisation, delivery.error)
            else:
                delivery.state = DeliveryState.SENT
        if delivery.state != DeliveryState.SENT:
            Consultee.objects.filter(pk=consultee_id).update(**{field: None})
        delivery.save()
    return delivery


def invitation_send(consultee_id: int, requested_by_id: int | None = None) -> bool:
    """Send a consultee its invitation, once. Returns whether a mail went out."""
    delivery = _deliver(consultee_id, MailKind.INVITATION, requested_by_id)
    return delivery is not None and delivery.state == DeliveryState.SENT


def reminders_send_due(today: datetime.date | None = None) -> int:
    """Send every reminder that is due and not yet sent: one some days before a silent
    consultee's deadline, one after it has passed. A reminder that found no address or failed
    is tried again at the next pass. Returns the number sent."""
    today = today or today_in_stockholm()
    days = settings.CONSULTATION_REMINDER_DAYS_BEFORE
    sent = 0
    silent = Consultee.objects.silent().filter(round__status=RoundStatus.OPEN)
    for consultee in silent.select_related("round"):
        deadline = consultee.deadline
        if today > deadline:
            kind = MailKind.OVERDUE
        elif today >= deadline - datetime.timedelta(days=days):
            kind = MailKind.REMINDER
        else:
            continue
        delivery = _deliver(consultee.pk, kind)
        sent += delivery is not None and delivery.state == DeliveryState.SENT
    return sent


@transaction.atomic
def consultee_address_set(consultee: Consultee, *, user, email: str) -> Consultee:
    """Give a consultee the address its invitation and reminders go to (e.g. its registry
    mailbox). Recorded in the consultee's history with its author."""
    require(user, "consultation.manage_round", consultee.round)
    email = email_address(email)
    consultee.email = email
    with_history_user(consultee, user).save(update_fields=["email"])
    return consultee


@transaction.atomic
def invitation_resend(consultee: Consultee, *, user) -> Consultee:
    """Invite a consultee again whose invitation did not reach it (no address, failed,
    bounced): the mail goes out in the worker once the transaction has committed."""
    from . import tasks

    require(user, "consultation.manage_round", consultee.round)
    if consultee.round.status != RoundStatus.OPEN:
        raise ValidationError(_("Invitations go out while the round is open."))
    if consultee.invited_at is not None:
        raise ValidationError(
            _("%(organisation)s has been invited already.")
            % {"organisation": consultee.organisation}
        )
    if not _recipients(consultee):
        raise ValidationError(
            _("%(organisation)s has no e-mail address: add one first.")
            % {"organisation": consultee.organisation}
        )
    pk, user_pk = consultee.pk, acting_user(user).pk
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(pk, user_pk))
    return consultee


@transaction.atomic
def delivery_mark_bounced(delivery: Delivery, *, user, note: str = "") -> Delivery:
    """Record that a sent mail came back: the consultee counts as not reached again (and can be
    invited again once its address is corrected)."""
    consultee = delivery.consultee
    require(user, "consultation.manage_round", consultee.round)
    if delivery.state != DeliveryState.SENT:
        raise ValidationError(_("Only a sent mail can bounce."))
    delivery.state = DeliveryState.BOUNCED
    delivery.bounced_at = timezone.now()
    delivery.bounce_note = (note or "").strip()[:2000]
    with_history_user(delivery, user).save()
    latest = consultee.deliveries.filter(kind=delivery.kind).order_by("-attempted_at", "-pk")
    if latest.first() == delivery:
        field = KIND_FIELD[delivery.kind]
        setattr(consultee, field, None)
        with_history_user(consultee, user).save(update_fields=[field])
    return delivery


# --- Answers ------------------------------------------------------------------------------------


def _require_open(consultee: Consultee) -> None:
    round_ = consultee.round
    if round_.status != RoundStatus.OPEN:
        raise AnswerRefused(_("The round is not open for answers."))
    if consultee.is_late():
        raise AnswerRefused(
            _("The deadline (%(deadline)s) has passed; answers are no longer accepted.")
            % {"deadline": consultee.deadline.isoformat()}
        )


def answer_current_draft(consultee: Consultee) -> Answer | None:
    return consultee.answers.filter(status=AnswerStatus.DRAFT).first()


def answer_latest_submitted(consultee: Consultee) -> Answer | None:
    return consultee.answers.filter(status=AnswerStatus.SUBMITTED).order_by("-revision").first()


def _validate_comments(round_: ConsultationRound, comments: dict) -> dict[int, Section]:
    sections = {
        section.pk: section for section in round_.version.sections.filter(pk__in=list(comments))
    }
    errors = {}
    for section_id, (stance, _comment, proposed) in comments.items():
        if section_id not in sections:
            errors[f"section_{section_id}"] = _(
                "There is no such section in the consulted version."
            )
        elif stance and stance not in Stance.values:
            errors[f"stance_{section_id}"] = _("Unknown stance: %(stance)s.") % {"stance": stance}
        elif not stance and ((_comment or "").strip() or (proposed or "").strip()):
            # Text without a stance would be dropped on saving: nothing typed is lost silently.
            errors[f"stance_{section_id}"] = _(
                "Choose a stance for your comment on this section, or clear the text."
            )
        elif stance == Stance.PROPOSE and not (proposed or "").strip():
            errors[f"proposed_{section_id}"] = _("Write the wording you propose.")
        elif stance != Stance.PROPOSE and (proposed or "").strip():
            errors[f"proposed_{section_id}"] = _(
                "Proposed wording goes with the stance “Propose new wording”: choose it, or "
                "clear the proposed wording."
            )
    if errors:
        raise ValidationError(errors)
    return sections


@transaction.atomic
def answer_save_draft(
    consultee: Consultee,
    *,
    user,
    position: str = "",
    comment: str = "",
    section_comments: dict | None = None,
) -> Answer:
    """Create or update the consultee's draft answer.

    `section_comments` maps a section id of the consulted version to (stance, comment, proposed
    text); an empty stance removes that section's comment. A consultee that has submitted keeps
    its answer: changes then go through `answer_correct`, which opens a new revision.
    """
    _require_officer(user, "consultation.answer", consultee)
    _require_open(consultee)
    if position and position not in Position.values:
        raise ValidationError({"position": _("Unknown position: %(p)s.") % {"p": position}})
    section_comments = section_comments or {}
    sections = _validate_comments(consultee.round, section_comments)

    # Two officers saving at once: the second waits here and then updates the same draft.
    Consultee.objects.select_for_update().filter(pk=consultee.pk).first()
    answer = answer_current_draft(consultee)
    if answer is None:
        if answer_latest_submitted(consultee) is not None:
            raise ValidationError(
                _("This answer has been submitted; start a correction to change it.")
            )
        answer = Answer(consultee=consultee, revision=1, created_by=user)
    answer.position = position
    answer.comment = comment
    with_history_user(answer, user).save()

    existing = {c.section_id: c for c in answer.comments.all()}
    for section_id, (stance, text, proposed) in section_comments.items():
        current = existing.get(section_id)
        if not stance:
            if current is not None:
                with_history_user(current, user).delete()
            continue
        if current is None:
            current = AnswerComment(
                answer=answer, section=sections[section_id], section_key=sections[section_id].key
            )
        current.stance = stance
        current.comment = text or ""
        current.proposed_text = proposed if stance == Stance.PROPOSE else ""
        with_history_user(current, user).save()
    return answer


def _check_pdf(uploaded) -> None:
    limit = settings.CONSULTATION_ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            {
                "attachment": _(
                    "“%(name)s” is %(size)s MB; attachments may be at most %(limit)s MB."
                )
                % {
                    "name": uploaded.name,
                    "size": f"{uploaded.size / 1_048_576:.1f}",
                    "limit": f"{limit / 1_048_576:.0f}",
                }
            }
        )
    uploaded.seek(0)
    head = uploaded.read(len(PDF_MAGIC))
    uploaded.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            {
                "attachment": _("“%(name)s” is not a PDF file; only PDF attachments are accepted.")
                % {"name": uploaded.name}
            }
        )
    problem = _pdf_problem(uploaded)
    uploaded.seek(0)
    if problem:
        raise ValidationError(
            {
                "attachment": _(
                    "“%(name)s” starts as a PDF file but cannot be read as one (%(problem)s); "
                    "save it again as PDF and attach that file."
                )
                % {"name": uploaded.name, "problem": problem}
            }
        )


def _pdf_problem(uploaded) -> str:
    """Why the file cannot be read as a PDF ("" when it can): its cross-reference table, its
    page tree and every page's dictionary are parsed with pypdf, so that a file that only
    starts like a PDF is refused. Page contents are not decompressed: the check costs no more
    memory than the file."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf's notes on small repairable faults
            reader = PdfReader(uploaded, strict=False)
            if reader.is_encrypted:
                return str(_("it is protected by a password"))
            for page in reader.pages:
                page.mediabox  # noqa: B018 (resolves the page's dictionary)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return str(_("its structure is damaged"))
    return ""


@transaction.atomic
def attachment_add(answer: Answer, *, user, uploaded) -> Attachment:
    """Attach a PDF (checked by its content, not its name) to a draft answer."""
    _require_officer(user, "consultation.answer", answer.consultee)
    _require_open(answer.consultee)
    if answer.is_submitted:
        raise ValidationError(_("A submitted answer cannot be changed."))
    _check_pdf(uploaded)
    name = (uploaded.name or "bilaga.pdf").rsplit("/", 1)[-1][:200]
    attachment = Attachment(answer=answer, name=name, size=uploaded.size, uploaded_by=user)
    attachment.file.save(name, uploaded, save=False)
    with_history_user(attachment, user).save()
    return attachment


@transaction.atomic
def attachment_remove(attachment: Attachment, *, user) -> None:
    _require_officer(user, "consultation.answer", attachment.answer.consultee)
    if attachment.answer.is_submitted:
        raise ValidationError(_("A submitted answer cannot be changed."))
    with_history_user(attachment, user).delete()


def answer_check_complete(answer: Answer) -> None:
    """What an answer needs before it can be submitted (the summary page checks it before it
    offers the submission, the submission again): an overall position."""
    if not answer.position:
        raise ValidationError({"position": _("Choose an overall position before submitting.")})


@transaction.atomic
def answer_submit(answer: Answer, *, user) -> Answer:
    """Submit a draft: it becomes a public, immutable document with its registry reference.

    Idempotent: submitting an answer that is already submitted (a double click, a resent form)
    returns it unchanged. The consultee's number is allocated at its first submission by one
    atomic increment of the round's counter, so two consultees submitting at once never share one.
    """
    _require_officer(user, "consultation.answer", answer.consultee)
    answer = Answer.objects.select_for_update().select_related("consultee__round").get(pk=answer.pk)
    if answer.is_submitted:
        return answer
    consultee = answer.consultee
    _require_open(consultee)
    answer_check_complete(answer)
    if consultee.answer_number is None:
        round_id = consultee.round_id
        ConsultationRound.objects.filter(pk=round_id).update(
            last_answer_number=F("last_answer_number") + 1
        )
        number = ConsultationRound.objects.values_list("last_answer_number", flat=True).get(
            pk=round_id
        )
        consultee.answer_number = number
        consultee.declined_at = None
        with_history_user(consultee, user).save(update_fields=["answer_number", "declined_at"])
    reference = consultee.registry_reference
    if answer.revision > 1:
        reference = _("%(reference)s, revision %(revision)s") % {
            "reference": reference,
            "revision": answer.revision,
        }
    answer.status = AnswerStatus.SUBMITTED
    answer.registry_reference = reference
    answer.submitted_at = timezone.now()
    answer.submitted_by = user
    with_history_user(answer, user).save()
    return answer


@transaction.atomic
def answer_correct(consultee: Consultee, *, user) -> Answer:
    """Open a correction: a new draft revision, a copy of the latest submitted answer that will
    supersede it when submitted. The submitted answer stays public as it was."""
    _require_officer(user, "consultation.answer", consultee)
    _require_open(consultee)
    draft = answer_current_draft(consultee)
    if draft is not None:
        return draft
    latest = answer_latest_submitted(consultee)
    if latest is None:
        raise ValidationError(_("There is no submitted answer to correct."))
    revision = (consultee.answers.aggregate(last=Max("revision"))["last"] or 0) + 1
    draft = Answer(
        consultee=consultee,
        revision=revision,
        supersedes=latest,
        position=latest.position,
        comment=latest.comment,
        created_by=user,
    )
    with_history_user(draft, user).save()
    for old in latest.comments.all():
        copy = AnswerComment(
            answer=draft,
            section_id=old.section_id,
            section_key=old.section_key,
            stance=old.stance,
            comment=old.comment,
            proposed_text=old.proposed_text,
        )
        with_history_user(copy, user).save()
    for old in latest.attachments.all():
        copy = Attachment(
            answer=draft, file=old.file.name, name=old.name, size=old.size, uploaded_by=user
        )
        with_history_user(copy, user).save()
    return draft


@transaction.atomic
def consultee_decline(consultee: Consultee, *, user, reason: str) -> Consultee:
    """The organisation declines to answer (avstår), with its reason."""
    _require_officer(user, "consultation.decline", consultee)
    _require_open(consultee)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the organisation declines to answer.")})
    if consultee.answer_number is not None:
        raise ValidationError(_("The organisation has already submitted an answer."))
    consultee.declined_at = consultee.declined_at or timezone.now()
    consultee.decline_reason = reason
    with_history_user(consultee, user).save(update_fields=["declined_at", "decline_reason"])
    return consultee


# --- Dispositions and the next version -----------------------------------------------------------


@transaction.atomic
def disposition_record(
    comment: AnswerComment | PublicComment | MeetingOutcome, *, user, decision: str, reason: str
) -> Disposition:
    """Record (or revise) how the team handled a submitted section comment, a published public
    comment or an outcome of a held samråd: the same decisions, reasons and rules for all."""
    if isinstance(comment, MeetingOutcome):
        round_ = comment.meeting.round
        require(user, "consultation.manage_round", round_)
        if not comment.meeting.is_held:
            raise ValidationError(_("Only the outcomes of a held meeting are handled."))
        target = {"outcome": comment}
    elif isinstance(comment, PublicComment):
        round_ = comment.round
        require(user, "consultation.manage_round", round_)
        if not comment.is_published:
            raise ValidationError(_("Only published public comments are handled."))
        target = {"public_comment": comment}
    else:
        round_ = comment.answer.consultee.round
        require(user, "consultation.manage_round", round_)
        if not comment.answer.is_submitted:
            raise ValidationError(_("Only comments of submitted answers are handled."))
        target = {"comment": comment}
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("Unknown decision: %(decision)s.") % {"decision": decision}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the decision.")
    if errors:
        raise ValidationError(errors)
    disposition = Disposition.objects.filter(**target).first()
    if (
        disposition is not None
        and disposition.is_applied
        and decision
        not in (
            Decision.ACCEPTED,
            Decision.PARTLY_ACCEPTED,
        )
    ):
        raise ValidationError(
            {"decision": _("The proposal has already been applied to the draft.")}
        )
    disposition = disposition or Disposition(**target)
    disposition.decision = decision
    disposition.reason = reason.strip()
    disposition.decided_by = user
    with_history_user(disposition, user).save()
    _notify_decision(disposition, comment, round_, user)
    return disposition


def _notify_decision(disposition: Disposition, comment, round_: ConsultationRound, user) -> None:
    """Tell the writer of the comment (the officer who submitted the answer, or the public
    comment's writer) what was decided; a samråd's outcome has no one writer to tell."""
    if isinstance(comment, PublicComment):
        writers, section = _public_comment_writers(comment), comment.section
    elif isinstance(comment, AnswerComment):
        writers, section = [comment.answer.submitted_by_id], comment.section
    else:
        return
    with translation.override(None):
        decision = str(Decision(disposition.decision).label)  # the source text, worded when read
    notifications.notify(
        kinds.COMMENT_DECIDED,
        about=disposition,
        actor=user,
        recipients=[pk for pk in writers if pk],
        params={"target": section.title, "decision": decision},
        # The compilation, with the decisions, is public once the round is closed.
        url=reverse("consultation:compilation", kwargs={"pk": round_.pk})
        if round_.status in (RoundStatus.CLOSED, RoundStatus.COMPILED)
        else round_.get_absolute_url(),
    )


def _applicable(disposition: Disposition) -> tuple[AnswerComment, ConsultationRound]:
    comment = disposition.comment
    if disposition.decision not in (Decision.ACCEPTED, Decision.PARTLY_ACCEPTED):
        raise ValidationError(_("Only an accepted proposal can be applied."))
    if comment.stance != Stance.PROPOSE or not comment.proposed_text.strip():
        raise ValidationError(_("The comment proposes no wording."))
    return comment, comment.answer.consultee.round


def proposal_target(disposition: Disposition) -> Section:
    """The working draft's section an accepted proposal would change (the one with the key of
    the section commented on); ValidationError when there is none or nothing to apply."""
    comment, round_ = _applicable(disposition)
    draft = strategy_services.strategy_draft(round_.strategy)
    section = draft.sections.filter(key=comment.section_key).first()
    if section is None:
        raise ValidationError(
            _("The section “%(title)s” is no longer in the working draft.")
            % {"title": comment.section.title}
        )
    section.version = draft
    return section


def proposal_placement(disposition: Disposition, section: Section) -> Placement:
    """The draft section's text with the proposed wording in the place of the passage it
    rewrites (or of the whole text, or added at the end): what the editor starts from."""
    return place_proposal(section.body_markdown, disposition.comment.proposed_text)


@transaction.atomic
def proposal_apply(
    disposition: Disposition,
    *,
    user,
    expected_revision: int | None = None,
    body_markdown: str | None = None,
):
    """Put an accepted proposed wording into the strategy's working draft: the section with the
    same key gets `body_markdown`, the text the editor reviewed (by default the draft's text with
    the proposal in place of the passage it rewrites, `proposal_placement`). Goes through the
    strategy's own service, which checks the editor's permission and the optimistic lock
    (`strategy.services.EditConflict` if the draft section changed since the editor saw it). The
    disposition records the revision the change made, which the section's history and the version
    comparison show as coming from the comment. Applying twice changes nothing."""
    require(user, "consultation.manage_round", disposition.comment.answer.consultee.round)
    if disposition.is_applied:
        return disposition
    section = proposal_target(disposition)
    if body_markdown is None:
        body_markdown = proposal_placement(disposition, section).text
    if not body_markdown.strip():
        raise ValidationError({"body_markdown": _("The section's text cannot be empty.")})
    section = strategy_services.section_update(
        section,
        user=user,
        expected_revision=section.revision if expected_revision is None else expected_revision,
        title=section.title,
        body_markdown=body_markdown,
    )
    disposition.applied_section = section
    disposition.applied_revision = section.revision
    disposition.applied_at = timezone.now()
    disposition.applied_by = user
    with_history_user(disposition, user).save()
    return disposition


# --- Dialogue meetings (samråd) ------------------------------------------------------------------
#
# A samråd is planned (time, place, agenda, invited organisations and people, registration), then
# recorded after it was held (minutes, participants, outcomes), or cancelled. Every mail to a
# person (the invitation, the cancellation notice, the confirmation of a registration) records
# what became of it on the person: sent, no address, or failed with the mail server's error.

MEETING_SALT = "mineralstrategi.consultation.meeting-person"


@dataclass(frozen=True)
class PersonInput:
    """A person as the registrar names them: name, e-mail (optional), the organisation they
    represent (optional), and the account when an existing user was picked."""

    name: str
    email: str = ""
    organisation_name: str = ""
    user_id: int | None = None

    @property
    def match_key(self) -> str:
        return (self.email or self.name).strip().lower()


@dataclass(frozen=True)
class OutcomeInput:
    text: str
    section: Section | None = None


def meeting_token(person: MeetingPerson) -> str:
    """The person's own link to register for the meeting or cancel (in the invitation mail)."""
    return signing.dumps(person.pk, salt=MEETING_SALT)


def meeting_person_from_token(token: str) -> MeetingPerson:
    """The person a link was made for; BadSignature or DoesNotExist when there is none."""
    pk = signing.loads(token, salt=MEETING_SALT)
    return MeetingPerson.objects.select_related("meeting__round").get(pk=pk)


def meeting_person_url(person: MeetingPerson) -> str:
    return reverse(
        "consultation:meeting_person",
        kwargs={"pk": person.meeting.round_id, "token": meeting_token(person)},
    )


def meeting_when(meeting: Meeting) -> str:
    """E.g. "12 maj 2026 10:00–12:00", in the active language and Swedish time."""
    starts = timezone.localtime(meeting.held_at, STOCKHOLM)
    text = formats.date_format(starts, "DATETIME_FORMAT")
    if meeting.ends_at is None:
        return text
    ends = timezone.localtime(meeting.ends_at, STOCKHOLM)
    if ends.date() == starts.date():
        return f"{text}–{formats.time_format(ends, 'TIME_FORMAT')}"
    return f"{text}–{formats.date_format(ends, 'DATETIME_FORMAT')}"


def meeting_where(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place, meeting.link) if part)


def meeting_calendar(meeting: Meeting) -> str:
    """The meeting as an iCalendar file, with the same UID in every mail."""
    return ical.calendar(
        ical.CalendarEvent(
            uid=f"samrad-{meeting.pk}@{site_host()}",
            starts_at=meeting.held_at,
            ends_at=meeting.ends_at,
            summary=meeting.title,
            location=meeting_where(meeting),
            description=meeting.agenda,
            url=public_url(meeting.get_absolute_url()),
        ),
        now=timezone.now(),
    )


def _meeting_facts(meeting: Meeting) -> list[str]:
    lines = [
        _("Consultation: %(title)s (%(number)s)")
        % {"title": meeting.round.title, "number": meeting.round.registry_number},
        _("When: %(when)s") % {"when": meeting_when(meeting)},
    ]
    if meeting.place:
        lines.append(_("Where: %(where)s") % {"where": meeting.place})
    if meeting.link:
        lines.append(_("Meeting link: %(link)s") % {"link": meeting.link})
    return lines


def meeting_mail_compose(person: MeetingPerson, kind: str) -> tuple[str, str]:
    """Subject and body of a mail to a person of a samråd, in the site's language: "invitation",
    "changed" (its time or place), "cancelled" or "registered"."""
    meeting = person.meeting
    with translation.override(settings.LANGUAGE_CODE):
        own_link = public_url(meeting_person_url(person))
        page = public_url(meeting.get_absolute_url())
        if kind == "invitation":
            subject = _("Invitation to a dialogue meeting (samråd): %(title)s")
            lines = [
                _("You are invited to a dialogue meeting (samråd): %(title)s.")
                % {"title": meeting.title},
                "\n".join(_meeting_facts(meeting)),
            ]
            if meeting.agenda:
                lines.append(_("Agenda:") + "\n" + meeting.agenda)
            lines.append(
                _("Register (or tell us you cannot come) here: %(link)s") % {"link": own_link}
            )
            lines.append(_("The meeting is attached as a calendar file (.ics)."))
        elif kind == "changed":
            subject = _("Changed: dialogue meeting (samråd) %(title)s")
            lines = [
                _(
                    "The time or place of the dialogue meeting (samråd) %(title)s has changed. "
                    "This is what holds now:"
                )
                % {"title": meeting.title},
                "\n".join(_meeting_facts(meeting)),
                _("Register, or cancel your registration, here: %(link)s") % {"link": own_link},
                _("The meeting is attached as a calendar file (.ics)."),
            ]
        elif kind == "cancelled":
            subject = _("Cancelled: dialogue meeting (samråd) %(title)s")
            lines = [
                _("The dialogue meeting (samråd) %(title)s is cancelled.")
                % {"title": meeting.title},
                "\n".join(_meeting_facts(meeting)),
            ]
            if meeting.cancel_reason:
                lines.append(_("Reason: %(reason)s") % {"reason": meeting.cancel_reason})
        else:
            subject = _("Registration confirmed: dialogue meeting (samråd) %(title)s")
            lines = [
                _("You are registered for the dialogue meeting (samråd) %(title)s.")
                % {"title": meeting.title},
                "\n".join(_meeting_facts(meeting)),
                _("To cancel your registration, open this link: %(link)s") % {"link": own_link},
                _("The meeting is attached as a calendar file (.ics)."),
            ]
        lines.append(_("About the meeting: %(link)s") % {"link": page})
        return subject % {"title": meeting.title}, "\n\n".join(lines) + "\n"


def _mail_person(person: MeetingPerson, kind: str) -> tuple[str, str]:
    """Send one mail to the person; (DeliveryState, error)."""
    if not person.email:
        return DeliveryState.NO_ADDRESS, ""
    subject, body = meeting_mail_compose(person, kind)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    if kind != "cancelled":
        message.attach(
            f"samrad-{person.meeting_id}.ics", meeting_calendar(person.meeting), "text/calendar"
        )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        error_text = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("Mail to %s failed: %s", person.name, error_text)
        return DeliveryState.FAILED, error_text
    return DeliveryState.SENT, ""


def _invite_person(person: MeetingPerson, user) -> None:
    state, error = _mail_person(person, "invitation")
    person.invitation_state, person.invitation_error = state, error
    person.invitation_sent_at = timezone.now() if state == DeliveryState.SENT else None
    with_history_user(person, user).save(
        update_fields=["invitation_state", "invitation_error", "invitation_sent_at"]
    )


def _clean_people(people, field: str) -> list[PersonInput]:
    cleaned, errors, seen = [], [], set()
    for number, person in enumerate(people, start=1):
        name, email = (person.name or "").strip(), (person.email or "").strip()
        if not name:
            errors.append(_("Person %(number)s has no name.") % {"number": number})
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    _("%(name)s: “%(email)s” is not an e-mail address.")
                    % {"name": name, "email": email}
                )
                continue
        item = PersonInput(
            name[:200], email, (person.organisation_name or "").strip()[:200], person.user_id
        )
        if item.match_key in seen:
            errors.append(_("%(name)s is named twice.") % {"name": name})
            continue
        seen.add(item.match_key)
        cleaned.append(item)
    if errors:
        raise ValidationError({field: errors})
    return cleaned


def _validate_plan(round_, title, held_at, ends_at, registration_closes_at, link) -> dict:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("A meeting needs a title.")
    if held_at is None:
        errors["held_at"] = _("A meeting needs a date and time.")
    elif ends_at is not None and ends_at < held_at:
        errors["ends_at"] = _("The meeting ends before it starts.")
    if (
        held_at is not None
        and registration_closes_at is not None
        and registration_closes_at > held_at
    ):
        errors["registration_closes_at"] = _("Registration must close before the meeting starts.")
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            errors["link"] = _("The meeting link is not a web address.")
    return errors


def _save_people(
    meeting: Meeting, user, people: list[PersonInput], *, invite: bool
) -> list[MeetingPerson]:
    """Reconcile the invited people with the list: the same person (by e-mail, else by name)
    keeps their record, invitation and registration; new ones are added (and invited when the
    meeting is planned); the invited who are no longer listed are removed."""
    existing = {(p.email or p.name).strip().lower(): p for p in meeting.people.filter(invited=True)}
    uninvited = {
        (p.email or p.name).strip().lower(): p for p in meeting.people.filter(invited=False)
    }
    new = []
    for item in people:
        person = existing.pop(item.match_key, None) or uninvited.pop(item.match_key, None)
        if person is None:
            person = MeetingPerson(meeting=meeting)
            new.append(person)
        elif not person.invited:
            new.append(person)  # a registered person now invited too
        changed = (person.name, person.email, person.organisation_name, person.user_id) != (
            item.name,
            item.email,
            item.organisation_name,
            item.user_id,
        )
        if changed or not person.invited or person.pk is None:
            person.name, person.email = item.name, item.email
            person.organisation_name, person.user_id = item.organisation_name, item.user_id
            person.invited = True
            with_history_user(person, user).save()
    for person in existing.values():
        if person.is_registered:
            person.invited = False  # stays as a registration of their own
            with_history_user(person, user).save(update_fields=["invited"])
        else:
            with_history_user(person, user).delete()
    if invite:
        for person in new:
            _invite_person(person, user)
    return new


@transaction.atomic
def meeting_plan(
    round_: ConsultationRound,
    *,
    user,
    title: str,
    held_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    link: str = "",
    agenda: str = "",
    invited_organisations=(),
    people=(),
    registration_open: bool = False,
    registration_closes_at: datetime.datetime | None = None,
    is_example: bool = False,
) -> Meeting:
    """Plan a samråd of the round; every invited person with an address gets an invitation
    (with the meeting as a calendar file), and what became of each mail is recorded."""
    require(user, "consultation.manage_round", round_)
    errors = _validate_plan(round_, title, held_at, ends_at, registration_closes_at, link)
    try:
        people = _clean_people(people, "people")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        round=round_,
        title=title.strip(),
        held_at=held_at,
        ends_at=ends_at,
        place=place.strip(),
        link=link.strip(),
        agenda=agenda,
        registration_open=registration_open,
        registration_closes_at=registration_closes_at,
        created_by=acting_user(user),
        is_example=is_example,
    )
    with_history_user(meeting, user).save()
    meeting.invited_organisations.set(invited_organisations)
    _save_people(meeting, user, people, invite=True)
    return meeting


@transaction.atomic
def meeting_update(
    meeting: Meeting,
    *,
    user,
    title: str,
    held_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    link: str = "",
    agenda: str = "",
    invited_organisations=(),
    people=(),
    registration_open: bool = False,
    registration_closes_at: datetime.datetime | None = None,
) -> Meeting:
    """Change what was planned. People added to a planned meeting are invited; the others keep
    their invitation and registration, and when the time or place changed, those invited or
    registered are told (each notice's fate recorded on the person, as an invitation's)."""
    require(user, "consultation.manage_round", meeting.round)
    schedule_before = _schedule(meeting)
    errors = _validate_plan(meeting.round, title, held_at, ends_at, registration_closes_at, link)
    try:
        people = _clean_people(people, "people")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting.title, meeting.held_at, meeting.ends_at = title.strip(), held_at, ends_at
    meeting.place, meeting.link, meeting.agenda = place.strip(), link.strip(), agenda
    meeting.registration_open = registration_open
    meeting.registration_closes_at = registration_closes_at
    with_history_user(meeting, user).save()
    meeting.invited_organisations.set(invited_organisations)
    invited_now = _save_people(meeting, user, people, invite=meeting.is_planned)
    if meeting.is_planned and _schedule(meeting) != schedule_before:
        _tell_of_change(meeting, user, already_told={person.pk for person in invited_now})
    return meeting


def _schedule(meeting: Meeting) -> tuple:
    """What those invited plan by: when and where."""
    return (meeting.held_at, meeting.ends_at, meeting.place.strip(), meeting.link.strip())


def _tell_of_change(meeting: Meeting, user, *, already_told: set[int]) -> None:
    """Mail the changed time or place to everyone invited or registered, except those just
    invited (their invitation has it)."""
    for person in MeetingPerson.objects.filter(meeting=meeting).exclude(pk__in=already_told):
        if not (person.invited or person.is_registered):
            continue
        person.meeting = meeting
        state, error = _mail_person(person, "changed")
        person.change_notice_state, person.change_notice_error = state, error
        person.change_notice_at = timezone.now() if state == DeliveryState.SENT else None
        with_history_user(person, user).save(
            update_fields=["change_notice_state", "change_notice_error", "change_notice_at"]
        )


def not_begun_message(meeting: Meeting) -> str:
    """Why a samråd cannot be recorded yet: it has not begun."""
    return _("The samråd begins %(when)s: its minutes can be recorded once it has begun.") % {
        "when": meeting_when(meeting)
    }


@transaction.atomic
def meeting_record(
    meeting: Meeting,
    *,
    user,
    notes: str = "",
    participants=(),
    participant_people=(),
    more_people=(),
    sections=(),
    outcomes=(),
) -> Meeting:
    """Record a held samråd: its minutes, the organisations and people who took part (the
    registered, as the form prefills them, and anyone else named) and its outcomes, each
    optionally about one section of the consulted version. Recording again replaces them."""
    round_ = meeting.round
    require(user, "consultation.manage_round", round_)
    errors = {}
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be recorded."))
    if not meeting.has_begun:
        raise ValidationError(not_begun_message(meeting))
    sections = list(sections)
    if any(section.version_id != round_.version_id for section in sections):
        errors["sections"] = _("Link only sections of the consulted version.")
    outcomes = [o for o in outcomes if (o.text or "").strip()]
    for number, outcome in enumerate(outcomes, start=1):
        if outcome.section is not None and outcome.section.version_id != round_.version_id:
            errors[f"outcome_{number}"] = _(
                "Outcome %(number)s: link only sections of the consulted version."
            ) % {"number": number}
    try:
        more_people = _clean_people(more_people, "more_people")
    except ValidationError as error:
        errors.update(error.message_dict)
    chosen = {person.pk for person in participant_people}
    if chosen - set(meeting.people.values_list("pk", flat=True)):
        errors["participant_people"] = _("Choose people of this meeting.")
    if errors:
        raise ValidationError(errors)
    meeting.notes = notes
    meeting.status = MeetingStatus.HELD
    meeting.recorded_at = meeting.recorded_at or timezone.now()
    with_history_user(meeting, user).save()
    meeting.participants.set(participants)
    meeting.sections.set(sections)
    present = {
        (p.email or p.name).strip().lower(): p
        for p in MeetingPerson.objects.filter(meeting=meeting)
    }
    for item in more_people:
        person = present.get(item.match_key)
        if person is None:
            person = MeetingPerson(
                meeting=meeting,
                name=item.name,
                email=item.email,
                organisation_name=item.organisation_name,
                user_id=item.user_id,
            )
            with_history_user(person, user).save()
        chosen.add(person.pk)
    for person in MeetingPerson.objects.filter(meeting=meeting):
        took_part = person.pk in chosen
        if person.participated != took_part:
            person.participated = took_part
            with_history_user(person, user).save(update_fields=["participated"])
    _save_outcomes(meeting, user, outcomes)
    return meeting


# --- Public comments on a round open to the public -----------------------------------------------

PUBLIC_COMMENT_SALT = "mineralstrategi.consultation.public-comment"
PUBLIC_COMMENT_LINK_MAX_AGE = 2 * 24 * 3600


class PublicCommentsClosed(ValidationError):
    """The round takes no public comments now (not open to the public, or not open)."""


def takes_public_comments(round_: ConsultationRound) -> bool:
    return round_.is_public and round_.status == RoundStatus.OPEN


def public_comment_token(comment: PublicComment) -> str:
    return signing.dumps(
        {"id": comment.pk, "email": comment.email.lower()}, salt=PUBLIC_COMMENT_SALT
    )


def _mail_confirmation(comment: PublicComment) -> None:
    link = public_url(
        reverse("consultation:public_confirm", kwargs={"token": public_comment_token(comment)})
    )
    try:
        send_mail(
            _("Confirm your comment on %(round)s") % {"round": comment.round.title},
            _(
                "Thank you for your comment on “%(section)s” in %(round)s.\n\n"
                "Open this link within two days to confirm that you wrote it; it is then read "
                "by a moderator before it is published:\n%(link)s\n\n"
                "If you did not write a comment, ignore this message: nothing is published "
                "without the confirmation.\n"
            )
            % {"section": comment.section.title, "round": comment.round.title, "link": link},
            None,
            [comment.email],
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("The confirmation of public comment %s could not be mailed", comment.pk)


def _validate_public_comment(name: str, email: str, body: str, *, signed_in: bool) -> None:
    errors = visitors.comment_errors(body, name=None if signed_in else name)
    if not signed_in:
        if not email.strip():
            errors["email"] = _("Give your e-mail address: the confirmation link is sent there.")
        else:
            try:
                validate_email(email.strip())
            except ValidationError:
                errors["email"] = _("Enter a valid e-mail address.")
    if errors:  # in the form's order: name, e-mail, comment
        order = ("name", "email", "body")
        errors = {key: errors[key] for key in sorted(errors, key=order.index)}
        raise ValidationError(errors)


@transaction.atomic
def public_comment_submit(
    round_: ConsultationRound,
    *,
    section: Section,
    user,
    body: str,
    ip: str,
    name: str = "",
    email: str = "",
    honeypot: str = "",
    is_example: bool = False,
) -> PublicComment | None:
    """Anyone's comment on a section of the version a round open to the public consults. A
    signed-in user's waits for moderation at once; a visitor's waits for its writer to open the
    signed link mailed to the address given (sent once the transaction has committed). Returns
    None, storing nothing, when the honeypot field was filled in: a bot is not told it was
    caught. Rate-limited per address and e-mail (`visitors.rate_check_and_count`)."""
    if honeypot.strip():
        return None
    if not takes_public_comments(round_):
        raise PublicCommentsClosed(_("This consultation takes no public comments now."))
    if section.version_id != round_.version_id:
        raise ValidationError({"section": _("Comment only on a section of the consulted version.")})
    signed_in = user is not None and user.is_authenticated
    name, email, body = (name or "").strip(), (email or "").strip(), body or ""
    _validate_public_comment(name, email, body, signed_in=signed_in)
    if signed_in:
        name = user.get_full_name() or user.get_username()
        email = user.email or ""
    # Raises visitors.RateLimited, a ValidationError shown above the form (status 429).
    visitors.rate_check_and_count("consultation-rate", "comment", ip=ip, email=email)
    comment = PublicComment(
        round=round_,
        section=section,
        section_key=section.key,
        author=acting_user(user),
        name=name[:100],
        email=email,
        body=body.strip(),
        status=PublicCommentStatus.PENDING if signed_in else PublicCommentStatus.UNCONFIRMED,
        confirmed_at=timezone.now() if signed_in else None,
        is_example=is_example,
    )
    if is_example and not signed_in:
        # Invented for the demonstration: no one to mail, nothing to confirm.
        comment.status, comment.confirmed_at = PublicCommentStatus.PENDING, timezone.now()
    with_history_user(comment, user).save()
    if comment.status == PublicCommentStatus.UNCONFIRMED:
        transaction.on_commit(lambda: _mail_confirmation(comment))
    elif not is_example:
        _notify_awaits_moderation(comment)
    return comment


def _round_managers(round_: ConsultationRound) -> list[int]:
    """The ids of the strategy editors of the round's partnership (who moderate and decide)."""
    return list(
        Membership.objects.filter(
            organisation__in=round_.strategy.partnership.all(), role=Role.STRATEGY_EDITOR
        ).values_list("user_id", flat=True)
    )


def _notify_awaits_moderation(comment: PublicComment) -> None:
    notifications.notify(
        kinds.COMMENT_AWAITS_MODERATION,
        about=comment.round,
        recipients=_round_managers(comment.round),
        params={"target": comment.section.title},
        url=reverse("consultation:moderation", kwargs={"pk": comment.round_id}),
        view_permission="consultation.manage_round",
    )


def _public_comment_writers(comment: PublicComment) -> list[int]:
    if comment.author_id:
        return [comment.author_id]
    return notifications.people_with_email(comment.email)


@transaction.atomic
def public_comment_confirm(token: str) -> PublicComment:
    """The writer opened the signed link: the comment waits for moderation. Confirming twice
    changes nothing; a forged or expired link is refused."""
    invalid = ValidationError(_("The link is not valid, or more than two days old."))
    try:
        data = signing.loads(token, salt=PUBLIC_COMMENT_SALT, max_age=PUBLIC_COMMENT_LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise invalid from error
    comment = (
        PublicComment.objects.select_for_update()
        .filter(pk=data.get("id"), email__iexact=data.get("email", ""))
        .first()
    )
    if comment is None:
        raise invalid
    if comment.status == PublicCommentStatus.UNCONFIRMED:
        comment.status = PublicCommentStatus.PENDING
        comment.confirmed_at = timezone.now()
        with_history_user(comment, None).save(update_fields=["status", "confirmed_at"])
        _notify_awaits_moderation(comment)
    return comment


class PublicModeration:
    PUBLISH = "publish"
    HIDE = "hide"
    ALL = (PUBLISH, HIDE)


@transaction.atomic
def public_comment_moderate(comment: PublicComment, *, user, action: str) -> PublicComment:
    """Publish a comment (shown beside its section and compiled) or hide it. Whoever may handle
    the round moderates; a comment whose writer has not confirmed it cannot be published."""
    require(user, "consultation.manage_round", comment.round)
    if action not in PublicModeration.ALL:
        raise ValidationError(_("Unknown moderation action."))
    if action == PublicModeration.PUBLISH and comment.status == PublicCommentStatus.UNCONFIRMED:
        raise ValidationError(_("The writer has not confirmed the comment yet."))
    if action == PublicModeration.HIDE and hasattr(comment, "disposition"):
        raise ValidationError(_("The comment has a recorded decision; it stays published."))
    comment.status = (
        PublicCommentStatus.PUBLISHED
        if action == PublicModeration.PUBLISH
        else PublicCommentStatus.HIDDEN
    )
    was_published = PublicComment.objects.filter(
        pk=comment.pk, status=PublicCommentStatus.PUBLISHED
    ).exists()
    comment.moderated_at = timezone.now()
    comment.moderated_by = user
    with_history_user(comment, user).save(update_fields=["status", "moderated_at", "moderated_by"])
    if comment.status == PublicCommentStatus.PUBLISHED and not was_published:
        notifications.notify(
            kinds.COMMENT_APPROVED,
            about=comment,
            actor=user,
            recipients=_public_comment_writers(comment),
            params={"target": comment.section.title},
            url=comment.round.get_absolute_url(),
        )
    return comment


def _save_outcomes(meeting: Meeting, user, outcomes: list[OutcomeInput]) -> None:
    """The outcomes in order: the one at each position is changed in place (its history shows
    the change), new ones are added and the ones left over removed."""
    current = list(meeting.outcomes.order_by("position", "pk"))
    for position, item in enumerate(outcomes, start=1):
        record = current.pop(0) if current else MeetingOutcome(meeting=meeting)
        text, section_id = item.text.strip(), item.section.pk if item.section else None
        if record.pk and (record.text, record.section_id, record.position) == (
            text,
            section_id,
            position,
        ):
            continue
        record.text, record.section_id, record.position = text, section_id, position
        with_history_user(record, user).save()
    for record in current:
        with_history_user(record, user).delete()


@transaction.atomic
def meeting_cancel(meeting: Meeting, *, user, reason: str = "") -> Meeting:
    """Cancel a planned samråd. Everyone invited or registered who has an address is told; the
    notice's fate (sent, no address, failed) is recorded on each person."""
    require(user, "consultation.manage_round", meeting.round)
    if not meeting.is_planned:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = (reason or "").strip()[:2000]
    with_history_user(meeting, user).save()
    for person in MeetingPerson.objects.filter(meeting=meeting):
        if not (person.invited or person.is_registered):
            continue
        person.meeting = meeting
        person.notice_state, person.notice_error = _mail_person(person, "cancelled")
        with_history_user(person, user).save(update_fields=["notice_state", "notice_error"])
    return meeting


@transaction.atomic
def meeting_delete(meeting: Meeting, *, user) -> None:
    """Remove a samråd with its people and outcomes; the history keeps what it was and who
    removed it."""
    require(user, "consultation.manage_round", meeting.round)
    for outcome in meeting.outcomes.all():
        with_history_user(outcome, user).delete()
    for person in MeetingPerson.objects.filter(meeting=meeting):
        with_history_user(person, user).delete()
    with_history_user(meeting, user).delete()


class MeetingRefused(Exception):
    """A registration refused for a reason the person may be told."""


@transaction.atomic
def meeting_register(
    meeting: Meeting,
    *,
    user=None,
    person: MeetingPerson | None = None,
    name: str = "",
    email: str = "",
    organisation_name: str = "",
    ip: str = "",
    honeypot: str = "",
) -> MeetingPerson | None:
    """Register for a samråd: an invited person through their own link (`person`), a logged-in
    user who was invited or, when the meeting is open for registration, anyone logged in or with
    a name and an e-mail address. Rate-limited per address and e-mail; None (nothing stored) when
    the honeypot was filled in. The registrant gets a confirmation with a link to cancel."""
    if honeypot.strip():
        return None
    meeting = Meeting.objects.select_for_update().select_related("round").get(pk=meeting.pk)
    if not meeting.takes_registrations():
        raise MeetingRefused(_("Registration for this meeting is closed."))
    account = acting_user(user)
    if person is None and account is not None:
        person = meeting.people.filter(user=account).first() or (
            meeting.people.filter(email__iexact=account.email).first() if account.email else None
        )
        name = name or account.get_full_name() or account.get_username()
        email = email or account.email
    if person is None and not meeting.registration_open:
        raise MeetingRefused(_("Only the invited may register for this meeting."))
    # Raises visitors.RateLimited, a ValidationError shown above the form (status 429).
    visitors.rate_check_and_count(
        "samrad-rate", "register", ip=ip, email=email or (person.email if person else "")
    )
    if person is None:
        errors = {}
        if not (name or "").strip():
            errors["name"] = _("Give your name.")
        try:
            validate_email((email or "").strip())
        except ValidationError:
            errors["email"] = _("Give an e-mail address.")
        if errors:
            raise ValidationError(errors)
        person = meeting.people.filter(email__iexact=email.strip()).first() or MeetingPerson(
            meeting=meeting,
            name=name.strip()[:200],
            email=email.strip(),
            organisation_name=(organisation_name or "").strip()[:200],
            user=account,
        )
    if person.is_registered:
        raise MeetingRefused(_("You are already registered for this meeting."))
    person.meeting = meeting
    person.registration = RegistrationState.REGISTERED
    person.registered_at = timezone.now()
    if account is not None and person.user_id is None:
        person.user = account
    with_history_user(person, user).save()
    if person.email:
        _mail_person(person, "registered")
    return person


@transaction.atomic
def meeting_unregister(person: MeetingPerson, *, user=None) -> MeetingPerson:
    """Cancel one's registration (through one's own link, or logged in)."""
    if not person.is_registered:
        raise MeetingRefused(_("You are not registered for this meeting."))
    if not person.meeting.is_planned:
        raise MeetingRefused(_("The meeting is no longer planned."))
    person.registration = RegistrationState.CANCELLED
    with_history_user(person, user).save(update_fields=["registration"])
    return person
