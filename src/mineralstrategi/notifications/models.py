"""Follows and notifications: who follows what, what happened (events), who was told (notifications)
and how each person wants to be mailed.

This app knows no domain app: a follow points at its target through the content types, and an
event names its subjects (the followed things it concerns) as content type and id pairs. Texts
are not stored: a notification is worded when it is read, from its event's kind and parameters,
in the reader's language (`kinds.py`).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Follow(models.Model):
    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("person"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of thing")
    )
    object_id = models.PositiveBigIntegerField(_("thing"))
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once_per_target"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type.model} {self.object_id}"


class Event(models.Model):
    """Something that happened that people may hear of: the followers of any of its `subjects`
    and its explicit `recipient_ids` (the author of an approved comment, the moderators), never
    its actor. `view_permission` on the object (`object_type`, `object_id`), when set, is what a
    recipient must hold to be told (a change in a working draft reaches only its readers)."""

    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    kind = models.CharField(_("kind"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    recipient_ids = models.JSONField(_("recipients"), default=list, blank=True)
    object_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of thing"),
    )
    object_id = models.PositiveBigIntegerField(_("thing"), null=True, blank=True)
    view_permission = models.CharField(_("permission to be told"), max_length=100, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    fanned_out_at = models.DateTimeField(_("notifications made"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Notification(models.Model):
    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("event")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_event")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user}"


class MailChoice(models.TextChoices):
    IMMEDIATELY = "immediately", _("At once, one mail for each notification")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    NEVER = "never", _("No mail, only on the site")


DIGEST_CHOICES = (MailChoice.DAILY, MailChoice.WEEKLY)


class NotificationSettings(models.Model):
    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("person"),
    )
    mail = models.CharField(
        _("mail"), max_length=16, choices=MailChoice.choices, default=MailChoice.IMMEDIATELY
    )
    language = models.CharField(
        _("language of the mails"), max_length=8, default=settings.LANGUAGE_CODE
    )
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)
