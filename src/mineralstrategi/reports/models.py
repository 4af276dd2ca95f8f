"""Follow-up reports made in the background: which strategy and year, how far, and where the PDF is
(the live report, a draft: its PDF is served by an unguessable token to the partnership); the
adopted yearly reports, frozen, with their PDF."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineralstrategi.organisations.history import audited_history


class FollowupReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    strategy = models.ForeignKey(
        "strategy.Strategy",
        on_delete=models.CASCADE,
        related_name="followup_reports",
        verbose_name=_("strategy"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    stored_file = models.FileField(max_length=500, blank=True, upload_to="reports/")
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            # One report at a time per person, strategy and year (`followup_report_request`).
            models.UniqueConstraint(
                fields=["requested_by", "strategy", "year"],
                condition=models.Q(status__in=["pending", "running"]),
                name="one_pending_report_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.strategy} {self.year} ({self.get_status_display()})"

    @property
    def file_name(self) -> str:
        return f"uppfoljning-{self.strategy.slug}-{self.year}.pdf"


class AdoptedReport(models.Model):
    """The yearly follow-up report as a document of record: the decision that adopted it (who,
    when, the reference) and its content frozen at the adoption, the page's body and the document
    its PDF is printed from, so that later data change neither. The PDF is made once, by the task
    worker (`tasks.make_adopted_report_pdf`), and kept in the default storage.

    A year of a strategy has one row (a constraint), written when the partnership's review opens
    (`services.yearly_report_review_open`: state review, with the review's last day) or at the
    latest when the decision is recorded (`services.yearly_report_adopt`), and never adopted
    again. Until then the year's report is the live one (`views.report`), a draft read by the
    partnership only; adopted reports are public with their strategy. A row under review (or in
    the unused draft state) holds no content, and no public page, list or API shows it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft – not adopted")
        REVIEW = "review", _("Under review – not adopted")
        ADOPTED = "adopted", _("Adopted")

    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    strategy = models.ForeignKey(
        "strategy.Strategy",
        on_delete=models.PROTECT,
        related_name="adopted_reports",
        verbose_name=_("strategy"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    body = models.CharField(
        _("deciding body"),
        max_length=300,
        blank=True,
        help_text=_("For example “Regionstyrelsen, Region Västerbotten”."),
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("The decision's paragraph (§) or registry number (diarienummer)."),
    )
    note = models.TextField(_("note"), blank=True, max_length=5000)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    adopted_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    version_name = models.CharField(_("version followed up"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")  # the frozen content's
    content_html = models.TextField(_("content (HTML, frozen at the adoption)"), blank=True)
    print_html = models.TextField(_("printed document (HTML, frozen at the adoption)"), blank=True)
    pdf_status = models.CharField(
        _("PDF"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_file = models.FileField(max_length=500, blank=True, upload_to="reports/adopted/")
    pdf_error = models.TextField(_("error"), blank=True)
    pdf_made_at = models.DateTimeField(_("PDF made"), null=True, blank=True)  # or failed
    is_example = models.BooleanField(_("example data"), default=False)
    # The partnership's review of the draft before the decision (empty if it had none).
    review_opened_at = models.DateTimeField(_("review opened"), null=True, blank=True)
    review_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review opened by"),
    )
    review_closes_on = models.DateField(_("last day of the review"), null=True, blank=True)

    # The frozen HTML is not copied into every history record: it is written once, at the
    # adoption, and never changes; the record says who adopted which year, when.
    history = audited_history(excluded_fields=["content_html", "print_html"])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("adopted yearly report")
        verbose_name_plural = _("adopted yearly reports")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year"], name="one_yearly_report_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.strategy} {self.year} ({self.get_state_display()})"

    @property
    def is_adopted(self) -> bool:
        return self.state == self.State.ADOPTED

    @property
    def was_reviewed(self) -> bool:
        return self.review_opened_at is not None

    @property
    def review_ended_on(self):
        """The review's last day, or the adoption's if the decision came first."""
        if self.is_adopted and self.adopted_at:
            return min(self.review_closes_on, timezone.localdate(self.adopted_at))
        return self.review_closes_on

    def review_is_open(self, today) -> bool:
        """Comments are taken from the opening to the last day, until the decision."""
        return self.state == self.State.REVIEW and today <= self.review_closes_on

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_status == self.PdfStatus.DONE and bool(self.pdf_file)

    @property
    def file_name(self) -> str:
        return f"arsrapport-{self.strategy.slug}-{self.year}.pdf"

    def audit_organisation_ids(self):
        return self.strategy.audit_organisation_ids()


class ReviewComment(models.Model):
    """A partnership member's comment on a year's draft report while it is under review: read by
    the partnership only, kept with the report after its adoption."""

    report = models.ForeignKey(
        AdoptedReport,
        on_delete=models.CASCADE,
        related_name="review_comments",
        verbose_name=_("yearly report"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = audited_history()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.report}: {self.body[:60]}"

    def audit_organisation_ids(self):
        return self.report.audit_organisation_ids()
