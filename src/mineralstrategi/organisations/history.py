"""The audit trail: every historical record says who changed what, for which organisation, when.

django-simple-history records the user (HistoryRequestMiddleware, or `_history_user` set by a
service that runs outside a request) and the time (`history_date`, stored in UTC). This module adds
the organisation the user acted for, so that an administrator can read the changes made on behalf
of their organisation. Apps declare their audited models with `audited_history()` instead of
`HistoricalRecords()`; each such model answers which organisations it belongs to (`Audited`), so
that this module needs to know nothing of other apps' models.

The organisation acted for: among the user's memberships, the first of the organisations the
changed object belongs to (its owner, lead or consultee organisation, then the partnership of its
strategy), else the user's only organisation; none when it cannot be told (a superuser without
membership, a background job without a user).
"""

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


@runtime_checkable
class Audited(Protocol):
    """A model whose changes are audited (`audited_history()`)."""

    def audit_organisation_ids(self) -> Iterable[int]:
        """The ids of the organisations the object belongs to, closest first: its own (owner,
        lead, consultee …), then those of the partnership of its strategy. Lazily, if it can:
        the first that the acting user is a member of is taken."""


class AuditedHistoricalModel(models.Model):
    """The base of every audited historical model: adds the organisation acted for."""

    history_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("organisation"),
    )

    class Meta:
        abstract = True


class _AuditedRecords(HistoricalRecords):
    def finalize(self, sender, **kwargs):
        if sender is self.cls and not issubclass(sender, Audited):
            raise ImproperlyConfigured(
                f"{sender.__name__} is audited: give it audit_organisation_ids() "
                "(mineralstrategi.organisations.history.Audited)."
            )
        super().finalize(sender, **kwargs)


def audited_history(**kwargs) -> HistoricalRecords:
    """HistoricalRecords whose records carry the organisation the change was made for; the model
    must implement `Audited`."""
    return _AuditedRecords(bases=[AuditedHistoricalModel], **kwargs)


def acting_organisation_id(user, instance) -> int | None:
    """The organisation the user acted for when changing the instance (see the module's doc)."""
    from .models import Membership  # models.py declares its audited models with this module

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    own = list(
        Membership.objects.filter(user=user)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    if len(own) <= 1:
        return own[0] if own else None
    for candidate in instance.audit_organisation_ids():
        if candidate in own:
            return candidate
    return None


@receiver(pre_create_historical_record)
def record_organisation(sender, instance, history_instance, history_user=None, **kwargs):
    if hasattr(history_instance, "history_organisation_id"):
        history_instance.history_organisation_id = acting_organisation_id(history_user, instance)
