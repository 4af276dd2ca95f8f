"""Consultation (remiss och samråd) of a frozen strategy version.

A round (ConsultationRound) sends one frozen version to consultees (organisations). Each consultee
answers once, as an Answer with an overall position and comments per section (AnswerComment);
a submitted answer is a public document with a registry reference and never changes again: a
correction is a new revision that supersedes it, and both stay visible. The strategy team records
a Disposition for every section comment, and an accepted proposed wording can be carried into the
working draft. Dialogue meetings (samråd) are logged as Meetings. A round open to the public also
takes anyone's comments per section (PublicComment): moderated, shown beside the text once
published, compiled apart from the answers and decided on by Dispositions like theirs.

Writes go through `services`; permissions are in `rules`.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.organisations.history import audited_history
from mineralstrategi.organisations.models import Organisation, Reads
from mineralstrategi.organisations.visibility import SUPERUSER, RoleIn, VisibleQuerySet, Where
from mineralstrategi.strategy.models import Section, Strategy, StrategyVersion

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class SubmittedAnswerError(Exception):
    """An attempt to change a submitted answer: it is a public document; correct it instead."""

    def __init__(self):
        super().__init__(
            _("A submitted answer cannot be changed; start a correction (a new revision) instead.")
        )


def _refuse_if_submitted(answer_id) -> None:
    if answer_id and Answer.objects.filter(pk=answer_id, status=AnswerStatus.SUBMITTED).exists():
        raise SubmittedAnswerError()


def today_in_stockholm(now: datetime.datetime | None = None) -> datetime.date:
    """Deadlines are dates in Swedish time: a deadline day ends at midnight in Stockholm."""
    return (now or timezone.now()).astimezone(STOCKHOLM).date()


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", pgettext_lazy("consultation round", "Open")
    CLOSED = "closed", _("Closed")
    COMPILED = "compiled", _("Compiled")


SENT_OUT = ~models.Q(status=RoundStatus.PLANNED)


class ConsultationRoundQuerySet(VisibleQuerySet):
    def published(self) -> "ConsultationRoundQuerySet":
        """Rounds that have been sent out (the public sees these)."""
        return self.filter(SENT_OUT)

    def open(self) -> "ConsultationRoundQuerySet":
        return self.filter(status=RoundStatus.OPEN)


class ConsultationRound(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("strategy")
    )
    version = models.ForeignKey(
        StrategyVersion,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("version consulted"),
    )
    title = models.CharField(_("title"), max_length=300)
    registry_number = models.CharField(
        _("registry number"),
        max_length=60,
        unique=True,
        help_text=_("The case's diarienummer, e.g. RV 2014/123; answers are numbered under it."),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    opens_on = models.DateField(_("opening date"))
    deadline = models.DateField(
        _("deadline"), help_text=_("Answers are accepted until the end of this day (Swedish time).")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    is_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_(
            "While the round is open, anyone may read the consulted version on a public page and "
            "comment on it section by section; the comments are published after moderation."
        ),
    )
    last_answer_number = models.PositiveIntegerField(
        _("last answer number"), default=0, editable=False
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # A round is compiled when every comment has a decision, or with a recorded reason that
    # lists the comments that had none.
    compiled_reason = models.TextField(
        _("reason for compiling with comments undecided"), blank=True, max_length=5000
    )
    compiled_undecided = models.TextField(
        _("comments without a decision when compiled"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history()
    objects = ConsultationRoundQuerySet.as_manager()
    # Sent-out rounds are public; a planned one is the partnership's work.
    visibility = (
        Where(SENT_OUT, "sent out")
        | RoleIn("strategy__partnership", Reads.PARTNERSHIP_WORK)
        | SUPERUSER
    )

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")),
                name="consultation_deadline_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.registry_number})"

    def get_absolute_url(self) -> str:
        return reverse("consultation:detail", kwargs={"pk": self.pk})

    def audit_organisation_ids(self):
        return self.strategy.audit_organisation_ids()


class ConsulteeQuerySet(models.QuerySet):
    def answered(self) -> "ConsulteeQuerySet":
        return self.filter(answer_number__isnull=False)

    def declined(self) -> "ConsulteeQuerySet":
        return self.filter(declined_at__isnull=False, answer_number__isnull=True)

    def silent(self) -> "ConsulteeQuerySet":
        return self.filter(declined_at__isnull=True, answer_number__isnull=True)

    def overdue(self, today: datetime.date | None = None) -> "ConsulteeQuerySet":
        """Silent consultees whose (possibly extended) deadline has passed."""
        today = today or today_in_stockholm()
        return self.silent().filter(
            models.Q(extended_deadline__lt=today)
            | models.Q(extended_deadline__isnull=True, round__deadline__lt=today)
        )


class ConsulteeState(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    SILENT = "silent", _("Not answered")


class Consultee(models.Model):
    """An organisation invited to a round, with its invitation, reminders, extension and decline."""

    round = models.ForeignKey(
        ConsultationRound,
        on_delete=models.CASCADE,
        related_name="consultees",
        verbose_name=_("consultation round"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("organisation"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    email = models.EmailField(
        _("consultation address"),
        blank=True,
        help_text=_(
            "Where the invitation and reminders go besides the organisation's consultation "
            "officers, e.g. its registry mailbox."
        ),
    )
    # When each mail went out (a Delivery with state "sent"); empty while it has not, or when it
    # failed, found no address or bounced. Every attempt is a Delivery.
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    reminded_before_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    reminded_after_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)
    extended_deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    answer_number = models.PositiveIntegerField(
        _("answer number"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Allocated at the first submission; the registry reference is built on it."),
    )

    history = audited_history()
    objects = ConsulteeQuerySet.as_manager()

    class Meta:
        ordering = ["round", "organisation__name"]
        verbose_name = _("consultee")
        verbose_name_plural = _("consultees")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="consultee_once_per_round"
            ),
            models.UniqueConstraint(
                fields=["round", "answer_number"], name="consultee_answer_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round.registry_number}"

    @property
    def deadline(self) -> datetime.date:
        return self.extended_deadline or self.round.deadline

    def is_late(self, today: datetime.date | None = None) -> bool:
        return (today or today_in_stockholm()) > self.deadline

    @property
    def state(self) -> str:
        if self.answer_number is not None:
            return ConsulteeState.ANSWERED
        if self.declined_at is not None:
            return ConsulteeState.DECLINED
        return ConsulteeState.SILENT

    def get_state_display(self) -> str:
        return ConsulteeState(self.state).label

    @property
    def registry_reference(self) -> str:
        if self.answer_number is None:
            return ""
        return f"{self.round.registry_number}-{self.answer_number:02d}"

    def get_answer_url(self) -> str:
        return reverse("consultation:answer", kwargs={"pk": self.round_id, "consultee": self.pk})

    def audit_organisation_ids(self):
        yield self.organisation_id
        yield from self.round.audit_organisation_ids()

    def latest_delivery(self, kind: str) -> "Delivery | None":
        """The last attempt at the mail of this kind (from `deliveries`, prefetch it for lists)."""
        attempts = [d for d in self.deliveries.all() if d.kind == kind]
        return max(attempts, key=lambda d: (d.attempted_at, d.pk)) if attempts else None

    def mail_state(self, kind: str) -> str:
        """What became of the mail of this kind: a DeliveryState, or "" when none was tried."""
        delivery = self.latest_delivery(kind)
        if delivery is not None:
            return delivery.state
        return DeliveryState.SENT if getattr(self, KIND_FIELD[kind]) else ""

    @property
    def invitation_state(self) -> str:
        return self.mail_state(MailKind.INVITATION)

    @property
    def invitation(self) -> "Delivery | None":
        return self.latest_delivery(MailKind.INVITATION)

    @property
    def reminder(self) -> "Delivery | None":
        return self.latest_delivery(MailKind.REMINDER)

    @property
    def overdue_reminder(self) -> "Delivery | None":
        return self.latest_delivery(MailKind.OVERDUE)

    @property
    def unreached_reminder(self) -> "Delivery | None":
        """The latest reminder (before or after the deadline) when it did not reach the
        organisation (no address, failed, bounced) while the round is open, the invitation did
        reach it and it has neither answered nor declined; else None."""
        if self.round.status != RoundStatus.OPEN or self.state != ConsulteeState.SILENT:
            return None
        if self.invitation_state in NOT_DELIVERED:
            return None  # on the to-do as not invited
        reminders = [r for r in (self.reminder, self.overdue_reminder) if r is not None]
        latest = max(reminders, key=lambda r: (r.attempted_at, r.pk), default=None)
        return latest if latest is not None and latest.state in NOT_DELIVERED else None

    @property
    def needs_invitation(self) -> bool:
        """The invitation did not reach the organisation (no address, failed, bounced) while the
        round is open and the organisation has neither answered nor declined."""
        return (
            self.round.status == RoundStatus.OPEN
            and self.state == ConsulteeState.SILENT
            and self.invitation_state in NOT_DELIVERED
        )


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    OVERDUE = "overdue", _("Overdue reminder")


# The Consultee field that says when the mail of each kind went out.
KIND_FIELD = {
    MailKind.INVITATION: "invited_at",
    MailKind.REMINDER: "reminded_before_at",
    MailKind.OVERDUE: "reminded_after_at",
}


class DeliveryState(models.TextChoices):
    NO_ADDRESS = "no_address", _("Not sent: no e-mail address")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
    BOUNCED = "bounced", _("Bounced")


NOT_DELIVERED = {DeliveryState.NO_ADDRESS, DeliveryState.FAILED, DeliveryState.BOUNCED}


class Delivery(models.Model):
    """One attempt at mailing a consultee its invitation or a reminder, and what became of it:
    sent (to which addresses), not sent for want of an address, failed (the mail server's error
    kept) or bounced (recorded by the registrar when the mail came back)."""

    consultee = models.ForeignKey(
        Consultee, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("consultee")
    )
    kind = models.CharField(_("mail"), max_length=16, choices=MailKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices)
    recipients = models.TextField(_("recipients"), blank=True)
    subject = models.CharField(_("subject"), max_length=400, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempted_at = models.DateTimeField(_("attempted"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent again by"),
    )
    bounced_at = models.DateTimeField(_("bounce recorded"), null=True, blank=True)
    bounce_note = models.TextField(_("about the bounce"), blank=True, max_length=2000)

    history = audited_history()

    class Meta:
        ordering = ["consultee", "attempted_at", "pk"]
        verbose_name = _("mail delivery")
        verbose_name_plural = _("mail deliveries")

    def __str__(self) -> str:
        return (
            f"{self.consultee.organisation} – {self.get_kind_display()}: {self.get_state_display()}"
        )

    def audit_organisation_ids(self):
        return self.consultee.audit_organisation_ids()


class Position(models.TextChoices):
    SUPPORT = "support", _("Supports the proposal")
    SUPPORT_WITH_CHANGES = "support_with_changes", _("Supports it with changes")
    OBJECT = "object", _("Objects to the proposal")
    NO_OPINION = "no_opinion", _("No opinion")


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


SUBMITTED = models.Q(status=AnswerStatus.SUBMITTED)
# On a Consultee: the members who read its draft answers (and open its answer page).
DRAFT_READERS = RoleIn("organisation", Reads.DRAFT_ANSWERS)


class AnswerQuerySet(VisibleQuerySet):
    def submitted(self) -> "AnswerQuerySet":
        return self.filter(SUBMITTED)

    def drafts(self) -> "AnswerQuerySet":
        return self.filter(status=AnswerStatus.DRAFT)


class Answer(models.Model):
    """One revision of a consultee's answer. Revision 1 is the answer; a correction is revision 2,
    3, … which supersedes the one before it. Submitted revisions are immutable."""

    consultee = models.ForeignKey(
        Consultee, on_delete=models.PROTECT, related_name="answers", verbose_name=_("consultee")
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    position = models.CharField(
        _("overall position"), max_length=32, choices=Position.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True, max_length=20000)
    registry_reference = models.CharField(_("registry reference"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    history = audited_history()
    objects = AnswerQuerySet.as_manager()
    # A submitted answer is a public document; a draft is its organisation's.
    visibility = (
        Where(SUBMITTED, "submitted")
        | RoleIn("consultee__organisation", Reads.DRAFT_ANSWERS)
        | SUPERUSER
    )

    class Meta:
        ordering = ["consultee", "revision"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["consultee", "revision"], name="answer_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["consultee"],
                condition=models.Q(status="draft"),
                name="answer_one_draft_per_consultee",
            ),
        ]

    def __str__(self) -> str:
        return (
            self.registry_reference
            or f"{self.consultee.organisation} ({self.get_status_display()})"
        )

    def save(self, *args, **kwargs):
        _refuse_if_submitted(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == AnswerStatus.SUBMITTED

    @property
    def organisation(self) -> Organisation:
        """The organisation the answer speaks for (what the permission predicates check)."""
        return self.consultee.organisation

    def audit_organisation_ids(self):
        return self.consultee.audit_organisation_ids()


class Stance(models.TextChoices):
    SUPPORT = "support", pgettext_lazy("consultation stance", "Support")
    OBJECT = "object", pgettext_lazy("consultation stance", "Object")
    PROPOSE = "propose", pgettext_lazy("consultation stance", "Propose new wording")


class AnswerComment(models.Model):
    """A consultee's comment on one section of the consulted version."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="comments", verbose_name=_("answer")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("section")
    )
    section_key = models.UUIDField(_("section key"), editable=False)
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=10000)
    proposed_text = models.TextField(_("proposed wording"), blank=True, max_length=20000)

    history = audited_history()

    class Meta:
        ordering = ["answer", "section__position", "pk"]
        verbose_name = _("section comment")
        verbose_name_plural = _("section comments")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "section"], name="answer_comment_once_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer} – {self.section}"

    def save(self, *args, **kwargs):
        _refuse_if_submitted(self.answer_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.answer_id)
        return super().delete(*args, **kwargs)

    @property
    def organisation(self) -> Organisation:
        return self.answer.consultee.organisation

    def audit_organisation_ids(self):
        return self.answer.audit_organisation_ids()


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"consultation/{instance.answer.consultee.round_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A PDF sent with an answer; stored under MEDIA_ROOT and served only after a permission check."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("answer")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = audited_history()

    class Meta:
        ordering = ["answer", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        _refuse_if_submitted(self.answer_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.answer_id)
        return super().delete(*args, **kwargs)

    @property
    def organisation(self) -> Organisation:
        return self.answer.consultee.organisation

    def audit_organisation_ids(self):
        return self.answer.audit_organisation_ids()


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOTED = "noted", _("Noted")


class PublicCommentStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the writer's confirmation")
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", pgettext_lazy("public comment", "Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class PublicCommentQuerySet(models.QuerySet):
    def published(self) -> "PublicCommentQuerySet":
        return self.filter(status=PublicCommentStatus.PUBLISHED)

    def pending(self) -> "PublicCommentQuerySet":
        return self.filter(status=PublicCommentStatus.PENDING)


class PublicComment(models.Model):
    """Anyone's comment on one section of the version a round open to the public consults. A
    visitor confirms it by a signed link mailed to the given address; a signed-in user's needs no
    confirmation. Either way it waits for a moderator (who may handle the round) to publish or
    hide it. The e-mail address is never shown."""

    round = models.ForeignKey(
        ConsultationRound,
        on_delete=models.CASCADE,
        related_name="public_comments",
        verbose_name=_("consultation round"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("section")
    )
    section_key = models.UUIDField(_("section key"), editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed-in writer"),
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    body = models.TextField(_("comment"), max_length=4000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicCommentStatus.choices,
        default=PublicCommentStatus.UNCONFIRMED,
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history()
    objects = PublicCommentQuerySet.as_manager()
    # What templates listing both kinds of comment tell them apart by.
    kind = "public"

    class Meta:
        ordering = ["round", "section__position", "created_at", "pk"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.name} – {self.section}"

    @property
    def is_published(self) -> bool:
        return self.status == PublicCommentStatus.PUBLISHED

    def audit_organisation_ids(self):
        return self.round.audit_organisation_ids()


class Disposition(models.Model):
    """How the strategy team handled one comment — a consultee's section comment, a published
    public comment or an outcome of a held samråd (exactly one of the three) — and the draft
    change it led to."""

    comment = models.OneToOneField(
        AnswerComment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disposition",
        verbose_name=_("section comment"),
    )
    public_comment = models.OneToOneField(
        PublicComment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disposition",
        verbose_name=_("public comment"),
    )
    outcome = models.OneToOneField(
        "MeetingOutcome",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disposition",
        verbose_name=_("outcome of a dialogue meeting"),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=10000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now=True)
    applied_section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applied_dispositions",
        verbose_name=_("changed draft section"),
    )
    applied_revision = models.PositiveIntegerField(_("draft revision"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = audited_history()

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        comment__isnull=False, public_comment__isnull=True, outcome__isnull=True
                    )
                    | models.Q(
                        comment__isnull=True, public_comment__isnull=False, outcome__isnull=True
                    )
                    | models.Q(
                        comment__isnull=True, public_comment__isnull=True, outcome__isnull=False
                    )
                ),
                name="disposition_on_exactly_one_comment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.get_decision_display()}"

    @property
    def target(self) -> "AnswerComment | PublicComment | MeetingOutcome":
        """The comment decided on, whichever kind it is."""
        if self.comment_id:
            return self.comment
        return self.public_comment if self.public_comment_id else self.outcome

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None

    def audit_organisation_ids(self):
        return self.target.audit_organisation_ids()


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("samråd", "Planned")
    HELD = "held", pgettext_lazy("samråd", "Held")
    CANCELLED = "cancelled", pgettext_lazy("samråd", "Cancelled")


class MeetingQuerySet(models.QuerySet):
    def upcoming(self) -> "MeetingQuerySet":
        return self.filter(status=MeetingStatus.PLANNED)

    def held(self) -> "MeetingQuerySet":
        return self.filter(status=MeetingStatus.HELD)


class Meeting(models.Model):
    """A dialogue meeting (samråd) of a consultation round: planned ahead (time, place, agenda,
    the invited organisations and people, registration), then recorded (minutes, participants,
    outcomes), or cancelled. Read with its round."""

    round = models.ForeignKey(
        ConsultationRound,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("consultation round"),
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("meeting link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, max_length=10000)
    invited_organisations = models.ManyToManyField(
        Organisation,
        related_name="consultation_meeting_invitations",
        blank=True,
        verbose_name=_("invited organisations"),
    )
    registration_open = models.BooleanField(
        _("open for registration"),
        default=False,
        help_text=_("Anyone may register, not only the invited."),
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    participants = models.ManyToManyField(
        Organisation,
        related_name="consultation_meetings",
        blank=True,
        verbose_name=_("participating organisations"),
    )
    sections = models.ManyToManyField(
        Section, related_name="+", blank=True, verbose_name=_("sections discussed")
    )
    notes = models.TextField(_("minutes"), blank=True, max_length=50000)
    recorded_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["round", "held_at", "pk"]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("held_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultation:meeting", kwargs={"pk": self.round_id, "meeting": self.pk})

    def audit_organisation_ids(self):
        return self.round.audit_organisation_ids()

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def has_begun(self) -> bool:
        """Its start time has come: before that there is nothing to record of it."""
        return timezone.now() >= self.held_at

    @property
    def awaits_minutes(self) -> bool:
        """Planned, and its time has come: held (or not) but nothing recorded yet."""
        return self.is_planned and timezone.now() >= self.held_at

    def takes_registrations(self, now: datetime.datetime | None = None) -> bool:
        """Planned, not begun, and before the registration's closing time if one is set."""
        now = now or timezone.now()
        if not self.is_planned or now >= self.held_at:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at


class RegistrationState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Registration cancelled")


class MeetingPerson(models.Model):
    """A person of a samråd: invited by the registrar, registered (invited or, when the meeting
    is open, on their own), and after the meeting a participant. Each mail to the person (the
    invitation, the notice that the meeting is cancelled) records what became of it: sent, not
    sent for want of an address, or failed. The address is shown to the registrar only."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="people", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation_name = models.CharField(
        pgettext_lazy("represents", "organisation"), max_length=200, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    invited = models.BooleanField(_("invited"), default=False)
    invitation_state = models.CharField(
        _("invitation"), max_length=16, choices=DeliveryState.choices, blank=True
    )
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    invitation_error = models.TextField(_("error"), blank=True)
    registration = models.CharField(
        _("registration"), max_length=16, choices=RegistrationState.choices, blank=True
    )
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    participated = models.BooleanField(_("took part"), default=False)
    notice_state = models.CharField(
        _("cancellation notice"), max_length=16, choices=DeliveryState.choices, blank=True
    )
    notice_error = models.TextField(_("error of the cancellation notice"), blank=True)
    # The latest notice that the planned meeting's time or place changed (services.meeting_update).
    change_notice_state = models.CharField(
        _("change notice"), max_length=16, choices=DeliveryState.choices, blank=True
    )
    change_notice_at = models.DateTimeField(_("change notice sent"), null=True, blank=True)
    change_notice_error = models.TextField(_("error of the change notice"), blank=True)

    history = audited_history()

    class Meta:
        ordering = ["meeting", "name", "pk"]
        verbose_name = _("person of a dialogue meeting")
        verbose_name_plural = _("people of dialogue meetings")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})" if self.organisation_name else self.name

    def audit_organisation_ids(self):
        return self.meeting.audit_organisation_ids()

    @property
    def is_registered(self) -> bool:
        return self.registration == RegistrationState.REGISTERED


class MeetingOutcome(models.Model):
    """One outcome of a samråd, optionally about one section of the consulted version; once the
    meeting is held, the team decides on it (a Disposition) like on an answer's comment."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("section"),
    )
    text = models.TextField(_("outcome"), max_length=10000)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = audited_history()

    # What templates listing every kind of comment tell them apart by.
    kind = "outcome"

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("outcome of a dialogue meeting")
        verbose_name_plural = _("outcomes of dialogue meetings")

    def __str__(self) -> str:
        return self.text[:80]

    def audit_organisation_ids(self):
        return self.meeting.audit_organisation_ids()
