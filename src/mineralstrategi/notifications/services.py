"""Follows and notifications: the writes.

Domain services call `notify(...)` inside their own transaction; it records an `Event` and, when
the transaction commits, queues the task `fan_out`, which the worker runs: it makes one
`Notification` per person told (unique per person and event) and mails those who want a mail at
once. `send_digests(period)` mails the others their digest. Every mail goes out at most once: a
notification is claimed for mailing by one conditional UPDATE of its `emailed_at`.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mineralstrategi.links import public_url
from mineralstrategi.services import acting_user

from . import kinds
from .models import DIGEST_CHOICES, Event, Follow, MailChoice, Notification, NotificationSettings

logger = logging.getLogger(__name__)

# What can be followed ("app_label.model"): the things with pages of their own that change.
FOLLOWABLE = frozenset(
    {
        "strategy.strategy",
        "strategy.section",
        "indicators.indicator",
        "implementation.initiative",
        "consultation.consultationround",
        "organisations.organisation",
    }
)
# A digest lists this many notifications at most, and says how many more are on the site.
DIGEST_ITEMS = 100
UNSUBSCRIBE_SALT = "mineralstrategi.notifications.unsubscribe"
# A digest goes out at most once in this long (a second run of the same period sends nothing).
DIGEST_MIN_INTERVAL = {
    MailChoice.DAILY: datetime.timedelta(hours=20),
    MailChoice.WEEKLY: datetime.timedelta(days=6),
}


class NotFollowable(ValidationError):
    pass


# --- Following ----------------------------------------------------------------------------------


def _label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def follow_target(obj):
    """What following `obj` follows: the object itself, or what it names as its lasting self (a
    section of a frozen version is followed through its working draft's section)."""
    canonical = getattr(obj, "follow_target", None)
    return canonical() if callable(canonical) else obj


def subject(obj) -> tuple[int, int]:
    """`obj` as a subject of an event: its content type and id."""
    return (ContentType.objects.get_for_model(obj).pk, obj.pk)


def may_follow(user, obj) -> bool:
    """A person logged in may follow a followable thing they may read."""
    if not user.is_authenticated:
        return False
    if _label(ContentType.objects.get_for_model(obj)) not in FOLLOWABLE:
        return False
    permission = f"{obj._meta.app_label}.view_{obj._meta.model_name}"
    return not rules.perm_exists(permission) or user.has_perm(permission, obj)


def target_from(content_type_id, object_id):
    """The followable object named by a form's content type and id; NotFollowable otherwise."""
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
        if _label(content_type) not in FOLLOWABLE:
            raise NotFollowable(_("This cannot be followed."))
        return content_type.get_object_for_this_type(pk=int(object_id))
    except (ValueError, TypeError, ContentType.DoesNotExist) as error:
        raise NotFollowable(_("This cannot be followed.")) from error
    except models.ObjectDoesNotExist as error:
        raise NotFollowable(_("What you wanted to follow no longer exists.")) from error


def is_following(user, obj) -> bool:
    if not user.is_authenticated:
        return False
    target = follow_target(obj)
    return Follow.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    ).exists()


@transaction.atomic
def follow(user, obj) -> Follow:
    """Follow `obj` (once: following again changes nothing)."""
    if not may_follow(user, obj):
        raise PermissionDenied(_("You may not follow “%(object)s”.") % {"object": obj})
    target = follow_target(obj)
    found, _created = Follow.objects.get_or_create(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )
    return found


@transaction.atomic
def unfollow(user, obj) -> bool:
    """Stop following `obj`; False when the person did not follow it."""
    if not user.is_authenticated:
        raise PermissionDenied(_("You may not do this."))
    target = follow_target(obj)
    return _unfollow_where(
        user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    )


@transaction.atomic
def follow_remove(user, follow_id: int) -> bool:
    """Remove one of the person's own follows (the settings page); another's is not found."""
    return _unfollow_where(user, pk=follow_id)


def _unfollow_where(user, **where) -> bool:
    found = Follow.objects.filter(user=user, **where).first()
    if found is None:
        return False
    found.delete()
    return True


# --- Events -------------------------------------------------------------------------------------


def people_with_email(email: str) -> list[int]:
    """The ids of the active accounts with this e-mail address: who wrote a visitor's comment,
    when they have an account."""
    if not (email or "").strip():
        return []
    return list(
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .values_list("pk", flat=True)
    )


def notify(kind: str, **fields) -> Event:
    """Record that `kind` happened (`event_record`) and tell, from the worker after the caller's
    transaction commits, the followers of any of its subjects and its recipients."""
    event = event_record(kind, **fields)
    _fan_out_on_commit(event)
    return event


def event_record(
    kind: str,
    *,
    subjects: Iterable = (),
    recipients: Iterable = (),
    actor=None,
    params: dict | None = None,
    url: str = "",
    about=None,
    view_permission: str = "",
) -> Event:
    """The event, not yet told: to the followers of any of `subjects` (objects) and to the
    `recipients` (users or user ids), never to the `actor`. With `view_permission`, only to those
    who hold it on `about` (the object the event is about). `params` are names and numbers for
    the sentence of `kind` (kinds.py); `url` the path of the page to see it on."""
    return Event.objects.create(
        kind=kind,
        actor=acting_user(actor),
        subjects=sorted({subject(follow_target(item)) for item in subjects}),
        recipient_ids=sorted({getattr(person, "pk", person) for person in recipients}),
        object_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=about.pk if about is not None else None,
        view_permission=view_permission,
        params=params or {},
        url=url,
    )


def notify_coalescing(kind: str, *, within: datetime.timedelta, about, actor, **fields) -> Event:
    """As `notify`, but a second event of the same kind about the same object by the same actor
    within `within` of the last, not yet told, is that event again (rapid saves of one section by
    one editor are one notification)."""
    recent = (
        Event.objects.select_for_update()
        .filter(
            kind=kind,
            actor=acting_user(actor),
            object_type=ContentType.objects.get_for_model(about),
            object_id=about.pk,
            fanned_out_at__isnull=True,
            updated_at__gte=timezone.now() - within,
        )
        .first()
    )
    if recent is None or acting_user(actor) is None:
        return notify(kind, about=about, actor=actor, **fields)
    recent.params = fields.get("params") or recent.params
    recent.save(update_fields=["params", "updated_at"])
    return recent


def _fan_out_on_commit(event: Event) -> None:
    from . import tasks

    pk = event.pk
    transaction.on_commit(lambda: tasks.fan_out.enqueue(pk))


def _told(event: Event) -> list[int]:
    """The ids of the people to tell of `event`."""
    ids_by_type: dict[int, list[int]] = {}
    for content_type_id, object_id in event.subjects:
        ids_by_type.setdefault(content_type_id, []).append(object_id)
    followers = Q(pk__in=[])
    for content_type_id, object_ids in ids_by_type.items():
        followers |= Q(content_type_id=content_type_id, object_id__in=object_ids)
    people = set(Follow.objects.filter(followers).values_list("user_id", flat=True))
    people |= set(event.recipient_ids)
    people.discard(event.actor_id)
    users = get_user_model().objects.filter(pk__in=people, is_active=True)
    if not event.view_permission:
        return sorted(users.values_list("pk", flat=True))
    about = event.object_type.get_object_for_this_type(pk=event.object_id)
    return sorted(user.pk for user in users if user.has_perm(event.view_permission, about))


@dataclass
class FanOut:
    notifications: int = 0
    mails: int = 0


def fan_out(event_id: int, *, connection=None) -> FanOut:
    """Make the event's notifications and send the mails of those who want them at once.
    Idempotent: a second run finds the event told and does nothing."""
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.fanned_out_at is not None:
            return FanOut()
        people = _told(event)
        Notification.objects.bulk_create(
            [Notification(user_id=pk, event=event) for pk in people], ignore_conflicts=True
        )
        event.fanned_out_at = timezone.now()
        event.save(update_fields=["fanned_out_at"])
    immediate = _mail_choices(people, {MailChoice.IMMEDIATELY}, default=MailChoice.IMMEDIATELY)
    mails = 0
    for notification in Notification.objects.filter(
        event=event, user_id__in=immediate, emailed_at__isnull=True
    ).select_related("user", "event"):
        mails += _mail([notification], digest=None, connection=connection)
    return FanOut(notifications=len(people), mails=mails)


def _mail_choices(user_ids, wanted: set[str], default: str) -> list[int]:
    """Of `user_ids`, those whose mail choice is in `wanted` (no settings yet: `default`)."""
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=user_ids).values_list("user_id", "mail")
    )
    return [pk for pk in user_ids if chosen.get(pk, default) in wanted]


# --- Mail ---------------------------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str):
    """The person a mail's unsubscribe link was made for; ValidationError when it is not ours."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return get_user_model().objects.get(pk=pk)
    except (signing.BadSignature, get_user_model().DoesNotExist) as error:
        raise ValidationError(_("This unsubscribe link is not valid.")) from error


def unsubscribe_url(user) -> str:
    return public_url(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)})
    )


def _language(user) -> str:
    found = NotificationSettings.objects.filter(user=user).values_list("language", flat=True)
    return found.first() or settings.LANGUAGE_CODE


def _claim(notifications: list[Notification]) -> list[Notification]:
    """The notifications this process may mail: each claimed by one conditional UPDATE."""
    now = timezone.now()
    return [
        n
        for n in notifications
        if Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=now)
    ]


def _mail(notifications: list[Notification], digest: str | None, connection=None) -> int:
    """Mail one person these notifications (one, or a digest); 1 if a mail went out."""
    user = notifications[0].user
    if not user.email:
        return 0
    claimed = _claim(notifications)
    if not claimed:
        return 0
    with translation.override(_language(user)):
        items = [
            {"text": kinds.describe(n.event.kind, n.event.params), "url": public_url(n.event.url)}
            for n in claimed[:DIGEST_ITEMS]
        ]
        if digest is None:
            subject = items[0]["text"]
        else:
            subject = _("Your notifications from Mineralstrategi (%(count)s)") % {
                "count": len(claimed)
            }
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "items": items,
                "more": len(claimed) - len(items),
                "digest": digest,
                "settings_url": public_url(reverse("notifications:settings")),
                "list_url": public_url(reverse("notifications:list")),
                "unsubscribe_url": unsubscribe_url(user),
            },
        )
    unsubscribe = unsubscribe_url(user)
    message = EmailMessage(
        subject[:200],
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Notification mail to user %s failed: %s", user.pk, error)
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=None)
        return 0
    return 1


def send_digests(period: str, *, now: datetime.datetime | None = None, connection=None) -> int:
    """One digest mail to each person who chose `period` (daily or weekly) and has notifications
    not yet mailed, unless their last digest went out less than a period ago. The number of
    digests sent; a second run sends nothing again."""
    if period not in DIGEST_CHOICES:
        raise ValueError(f"not a digest period: {period!r}")
    now = now or timezone.now()
    due_before = now - DIGEST_MIN_INTERVAL[period]
    sent = 0
    choices = NotificationSettings.objects.filter(mail=period).filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=due_before)
    )
    for choice in choices.select_related("user").iterator():
        pending = list(
            Notification.objects.filter(user=choice.user, emailed_at__isnull=True)
            .select_related("user", "event")
            .order_by("created_at", "pk")
        )
        if not pending:
            continue
        claimed = NotificationSettings.objects.filter(pk=choice.pk).filter(
            Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=due_before)
        )
        if not claimed.update(last_digest_at=now):
            continue
        sent += _mail(pending, digest=period, connection=connection)
    return sent


def digests_enqueue(period: str) -> None:
    """Queue `send_digests(period)` for the worker (the command run by cron or a timer)."""
    from . import tasks

    if period not in DIGEST_CHOICES:
        raise ValueError(f"not a digest period: {period!r}")
    tasks.send_digests.enqueue(period)


# --- The person's own -----------------------------------------------------------------------------


def settings_for(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


@transaction.atomic
def settings_set(user, *, mail: str, language: str | None = None) -> NotificationSettings:
    if not user.is_authenticated:
        raise PermissionDenied(_("You may not do this."))
    if mail not in MailChoice.values:
        raise ValidationError({"mail": _("Choose how you want to be mailed.")})
    choice = settings_for(user)
    choice.mail = mail
    if language in dict(settings.LANGUAGES):
        choice.language = language
    choice.save()
    return choice


@transaction.atomic
def unsubscribe(token: str) -> NotificationSettings:
    """The one-click unsubscribe of a mail's link: no more mail, only the site's list."""
    user = user_from_unsubscribe_token(token)
    choice = settings_for(user)
    choice.mail = MailChoice.NEVER
    choice.save()
    return choice


def mark_read(user, notification_id: int) -> bool:
    """Mark one of the person's own notifications read; another's is not found (False)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("You may not do this."))
    return bool(
        Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def mark_all_read(user) -> int:
    if not user.is_authenticated:
        raise PermissionDenied(_("You may not do this."))
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
