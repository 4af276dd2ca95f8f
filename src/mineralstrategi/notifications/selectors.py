"""Follows and notifications: the reads, always of the person's own."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from . import kinds
from .models import Follow, Notification


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user):
    """The person's notifications, newest first (a queryset, to be paged)."""
    return (
        Notification.objects.filter(user=user)
        .select_related("event")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Item:
    notification: Notification
    text: str
    url: str


def worded(notifications) -> list[Item]:
    """Each notification with its sentence in the active language."""
    return [
        Item(n, kinds.describe(n.event.kind, n.event.params), n.event.url) for n in notifications
    ]


@dataclass(frozen=True)
class Followed:
    follow: Follow
    kind: str
    name: str
    url: str


def follows_of(user) -> list[Followed]:
    """What the person follows, each with its name and page, in a fixed number of queries (one for
    the follows, one per kind of thing)."""
    follows = list(Follow.objects.filter(user=user).order_by("-created_at", "-pk"))
    ids = defaultdict(set)
    for found in follows:
        ids[found.content_type_id].add(found.object_id)
    objects = {}
    for content_type_id, pks in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            objects[(content_type_id, obj.pk)] = obj
    listed = []
    for found in follows:
        obj = objects.get((found.content_type_id, found.object_id))
        if obj is None:
            continue
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        kind = str(obj._meta.verbose_name).capitalize()
        listed.append(Followed(found, kind, str(obj), url))
    return listed
