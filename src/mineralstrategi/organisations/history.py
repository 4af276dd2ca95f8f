"""The audit trail: every historical record says who changed what, for which organisation, when.

django-simple-history records the user (HistoryRequestMiddleware, or `_history_user` set by a
service that runs outside a request) and the time (`history_date`, stored in UTC). This module adds
the organisation the user acted for, so that an administrator can read the changes made on behalf
of their organisation. Apps declare their audited models with `audited_history()` instead of
`HistoricalRecords()`.

The organisation is found without importing other apps: among the user's memberships, the one
that the changed object belongs to (its `organisation`, `lead_organisation` or `owner`, reached
directly or through `consultee`, `answer`, `comment`, `initiative`, `indicator`), else one of the
partnership of the object's strategy, else the user's only organisation; none when it cannot be
told (a superuser without membership, a background job without a user).
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .models import Membership

OWNER_ATTRIBUTES = ("organisation", "lead_organisation", "owner")
PARENT_ATTRIBUTES = ("consultee", "answer", "comment", "initiative", "indicator", "round")
STRATEGY_PATHS = (
    ("strategy",),
    ("version", "strategy"),
    ("round", "version", "strategy"),
    ("consultee", "round", "version", "strategy"),
    ("answer", "consultee", "round", "version", "strategy"),
    ("comment", "answer", "consultee", "round", "version", "strategy"),
    ("section", "version", "strategy"),
    ("initiative", "strategy"),
)


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


def audited_history(**kwargs) -> HistoricalRecords:
    """HistoricalRecords whose records carry the organisation the change was made for."""
    return HistoricalRecords(bases=[AuditedHistoricalModel], **kwargs)


def _follow(obj, path):
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def _owner_ids(instance, depth: int = 0) -> list[int]:
    found = [
        owner_id
        for name in OWNER_ATTRIBUTES
        if (owner_id := getattr(instance, f"{name}_id", None)) is not None
    ]
    if depth < 3:
        for name in PARENT_ATTRIBUTES:
            parent = getattr(instance, name, None) if hasattr(instance, f"{name}_id") else None
            if parent is not None:
                found += _owner_ids(parent, depth + 1)
    return found


def _partnership_ids(instance) -> list[int]:
    for path in STRATEGY_PATHS:
        strategy = _follow(instance, path)
        if strategy is not None and hasattr(strategy, "partnership"):
            return list(strategy.partnership.values_list("pk", flat=True))
    if hasattr(instance, "partnership") and instance.pk:
        return list(instance.partnership.values_list("pk", flat=True))
    return []


def acting_organisation_id(user, instance) -> int | None:
    """The organisation the user acted for when changing the instance (see the module's doc)."""
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
    for candidate in (*_owner_ids(instance), *_partnership_ids(instance)):
        if candidate in own:
            return candidate
    return None


@receiver(pre_create_historical_record)
def record_organisation(sender, instance, history_instance, history_user=None, **kwargs):
    if hasattr(history_instance, "history_organisation_id"):
        history_instance.history_organisation_id = acting_organisation_id(history_user, instance)
