"""Follow-up reports made in the background: which strategy and year, how far, and where the PDF is.

The PDF is served by an unguessable token: reports of a strategy's follow-up are public documents,
and the link can be shared without an account.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
