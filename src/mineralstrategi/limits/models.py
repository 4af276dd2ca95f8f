from django.db import models
from django.utils.translation import gettext_lazy as _


class RateWindow(models.Model):
    """The latest events under one key, for the limits that must hold across processes and
    servers (`limits.services`). The key is a one-way fingerprint (`fingerprint`), never the
    username, e-mail address, IP address or user id itself; a row is deleted once it has
    expired. Ephemeral: nothing is lost when the table is emptied but the counts of the hour."""

    key = models.CharField(max_length=100, unique=True)
    # Unix times of the latest events (at most the limit's number), oldest first.
    times = models.JSONField(default=list)
    # The login throttle (`accounts.limits`): no password for the username is tried before this.
    held_until = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    # Counters that no page shows: a write to them renews no cached public page.
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("rate limit window")
        verbose_name_plural = _("rate limit windows")

    def __str__(self) -> str:
        return self.key
