import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintedDocument(models.Model):
    """A PDF of one document (`mineralstrategi.printing`): asked for, being made, made or
    failed. Made by the task worker from HTML (WeasyPrint) or from data (Typst); its file lives
    in the default storage."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    # What is printed, e.g. "strategy-version" and the version's key: one kept document each per
    # language (an older one is deleted when a newer one is made).
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    language = models.CharField(max_length=10)
    # SHA-256 of what is printed and the release: the same for the same document.
    fingerprint = models.CharField(max_length=64)
    # What is printed: HTML with its style sheets (WeasyPrint), or a Typst template (its path in
    # the package) with the data it reads as JSON (`mineralstrategi.typst_pdf`).
    html = models.TextField(blank=True)
    stylesheets = models.JSONField(default=list)
    template = models.CharField(max_length=200, blank=True)
    data = models.TextField(blank=True)
    file_name = models.CharField(max_length=200)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    stored_file = models.CharField(max_length=300, blank=True)  # its name in the default storage
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # What pages show is the HTML; this is the PDF made of it: a write here renews no cached page.
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("printed document")
        verbose_name_plural = _("printed documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "fingerprint"], name="printing_one_document_per_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.language}, {self.get_status_display()})"
