"""Writes of the portal: articles and events by editors, comments and registrations by visitors,
moderation by moderators. Each function checks its permission, owns its transaction and records
its change in the history (django-simple-history)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mineralstrategi import ical, visitors
from mineralstrategi.limits.services import fingerprint
from mineralstrategi.links import public_url, site_host
from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.services import acting_user, require, with_history_user
from mineralstrategi.strategy.models import Strategy

from .models import (
    ARTICLE_FIELDS,
    EVENT_FIELDS,
    Comment,
    CommentReport,
    CommentStatus,
    Event,
    EventRegistration,
    NewsArticle,
    PublicationStatus,
    RegistrationStatus,
    Tag,
)
from .rules import MODERATORS_GROUP

COMMENTER_SALT = "mineralstrategi.portal.commenter"
CANCEL_SALT = "mineralstrategi.portal.registration-cancel"
COMMENTER_LINK_MAX_AGE = 2 * 24 * 3600


class Refused(Exception):
    """A visitor's request refused for a reason the visitor may be told."""


class RateLimited(Refused):
    """Too many submissions: shown above the form with status 429. `retry_after`: seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _portal_settings() -> dict:
    return settings.MINERALSTRATEGI


# --- Articles and events ------------------------------------------------------------------------


def _unique_slug(model, title: str, current_pk=None) -> str:
    base = slugify(title)[:180] or "post"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exclude(pk=current_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _set_fields(instance, fields: dict, declared: tuple[str, ...]) -> None:
    """Set the fields an editor states (`declared`); the model validates them on save. A
    published text without a publication time keeps the one it had, else is public from now."""
    unknown = sorted(set(fields) - set(declared))
    if unknown:
        raise TypeError(f"{type(instance).__name__} states no field {', '.join(unknown)}.")
    previously_published_at = instance.published_at
    for name, value in fields.items():
        setattr(instance, name, value)
    if instance.status == PublicationStatus.PUBLISHED and instance.published_at is None:
        instance.published_at = previously_published_at or timezone.now()


def tags_from_text(text: str) -> list[Tag]:
    """Tags from a comma-separated list of names, created as needed."""
    tags = []
    for name in dict.fromkeys(part.strip() for part in (text or "").split(",")):
        if not name:
            continue
        slug = slugify(name)[:60] or "tag"
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:60]})
        tags.append(tag)
    return tags


@transaction.atomic
def article_save(
    *, user, article: NewsArticle | None = None, image=None, tags: str = "", contacts=(), **fields
) -> NewsArticle:
    """Create or change a news article: its fields (`ARTICLE_FIELDS`) by name; a field not given
    keeps its value (a new article: the model's default). An image needs its description."""
    require(user, "portal.edit_content", article)
    article = article or NewsArticle(author=acting_user(user))
    if image is not None:
        article.image = image
    _set_fields(article, fields, ARTICLE_FIELDS)
    if article.image and not article.image_alt.strip():
        raise ValidationError({"image_alt": _("Describe the image for those who cannot see it.")})
    article.slug = article.slug or _unique_slug(NewsArticle, article.title)
    article.full_clean(exclude=["image", "author"])
    with_history_user(article, user).save()
    article.tags.set(tags_from_text(tags))
    article.contacts.set(contacts)
    return article


@transaction.atomic
def event_save(*, user, event: Event | None = None, **fields) -> Event:
    """Create or change an event: its fields (`EVENT_FIELDS`) by name; a field not given keeps its
    value (a new event: the model's default)."""
    require(user, "portal.edit_content", event)
    event = event or Event()
    _set_fields(event, fields, EVENT_FIELDS)
    event.slug = event.slug or _unique_slug(Event, event.title)
    event.full_clean()
    with_history_user(event, user).save()
    if event.pk:
        _promote_waiting(event)
    return event


# --- Rate limits and spam -----------------------------------------------------------------------


def _rate_check_and_count(action: str, *, ip: str, email: str = "") -> None:
    """The shared rate limit (`mineralstrategi.visitors`), refused as the portal's RateLimited."""
    try:
        visitors.rate_check_and_count("portal-rate", action, ip=ip, email=email)
    except visitors.RateLimited as error:
        raise RateLimited(error.message, retry_after=error.retry_after) from error


# --- Comments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentTarget:
    """What a comment is about: an article, or a strategy's section by its stable key."""

    article: NewsArticle | None = None
    strategy: Strategy | None = None
    section_key: object = None


def _validate_comment_text(name: str, body: str) -> None:
    errors = visitors.comment_errors(body, name=name)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def comment_submit(
    target: CommentTarget,
    *,
    name: str,
    email: str,
    body: str,
    ip: str,
    honeypot: str = "",
) -> Comment | None:
    """A visitor's comment. Returns None (and stores nothing) when the honeypot field was filled
    in: a bot is not told that it was caught. Published at once under post-moderation, else
    waits for a moderator."""
    if honeypot.strip():
        return None
    if target.article is not None and not (
        target.article.is_public and target.article.comments_open
    ):
        raise Refused(_("Comments are closed for this article."))
    _validate_comment_text(name, body)
    _rate_check_and_count("comment", ip=ip, email=email)
    moderation = _portal_settings()["COMMENT_MODERATION"]
    comment = Comment(
        article=target.article,
        strategy=target.strategy,
        section_key=target.section_key,
        name=name.strip(),
        email=email.strip(),
        body=body.strip(),
        status=CommentStatus.PUBLISHED if moderation == "post" else CommentStatus.PENDING,
    )
    comment.full_clean(exclude=["moderated_by"])
    comment.save()
    if comment.status == CommentStatus.PENDING:
        _notify_moderators(comment)
    return comment


def _comment_params(comment: Comment) -> dict:
    return {"target": str(comment.article or comment.strategy)}


def _notify_moderators(comment: Comment) -> None:
    """Tell the portal's moderators that a comment waits for them."""
    moderators = get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=MODERATORS_GROUP
    )
    notifications.notify(
        kinds.COMMENT_AWAITS_MODERATION,
        about=comment,
        recipients=moderators.values_list("pk", flat=True),
        params=_comment_params(comment),
        url=reverse("portal:moderation"),
        view_permission="portal.moderate_comments",
    )


def comment_reporter(*, user=None, ip: str) -> str:
    """Who reports, as a one-way fingerprint: the signed-in person's id, else the client
    address (so that one person at many addresses, or many at one address, counts once)."""
    if user is not None and user.is_authenticated:
        return fingerprint("comment-reporter:user", str(user.pk))
    return fingerprint("comment-reporter:ip", ip or "unknown")


@transaction.atomic
def comment_report(comment: Comment, *, ip: str, user=None) -> Comment:
    """A visitor reports a comment; once REPORTS_TO_HIDE different reporters have (since its
    last moderation) it is held back until a moderator has looked at it. A reporter's second
    report changes nothing (and counts against no limit); the answer is the same."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)  # one report at a time
    reporter = comment_reporter(user=user, ip=ip)
    if comment.reports.filter(reporter=reporter).exists():
        return comment
    _rate_check_and_count("report", ip=ip)
    CommentReport.objects.create(comment=comment, reporter=reporter)
    Comment.objects.filter(pk=comment.pk).update(open_reports=comment.reports.count())
    comment.refresh_from_db()
    return comment


class ModerationAction:
    APPROVE = "approve"
    HIDE = "hide"
    DELETE = "delete"
    ALL = (APPROVE, HIDE, DELETE)


@transaction.atomic
def comment_moderate(comment: Comment, *, user, action: str) -> Comment | None:
    """Approve (publish and clear reports), hide, or delete a comment."""
    require(user, "portal.moderate_comments", comment)
    if action not in ModerationAction.ALL:
        raise ValidationError(_("Unknown moderation action."))
    if action == ModerationAction.DELETE:
        with_history_user(comment, user).delete()
        return None
    comment.status = (
        CommentStatus.PUBLISHED if action == ModerationAction.APPROVE else CommentStatus.HIDDEN
    )
    comment.open_reports = 0
    comment.reports.all().delete()
    was_published = Comment.objects.filter(pk=comment.pk, status=CommentStatus.PUBLISHED).exists()
    comment.moderated_at = timezone.now()
    comment.moderated_by = user
    with_history_user(comment, user).save()
    if comment.status == CommentStatus.PUBLISHED and not was_published:
        notifications.notify(
            kinds.COMMENT_APPROVED,
            about=comment,
            actor=user,
            recipients=notifications.people_with_email(comment.email),
            params=_comment_params(comment),
            url=comment.target_url(),
        )
    return comment


def commenter_token(email: str) -> str:
    return signing.dumps({"email": email.strip().lower()}, salt=COMMENTER_SALT)


def commenter_email_from_token(token: str) -> str:
    """The email a data link was made for; raises signing.BadSignature when forged or old."""
    data = signing.loads(token, salt=COMMENTER_SALT, max_age=COMMENTER_LINK_MAX_AGE)
    return data["email"]


def commenter_link_send(email: str, *, ip: str) -> bool:
    """Mail a signed link (on the site's public address) to the commenter's own comments, if
    there are any. The answer on screen is the same either way, so that the form does not tell
    who has commented."""
    _rate_check_and_count("data-link", ip=ip, email=email)
    if not Comment.objects.filter(email__iexact=email.strip()).exists():
        return False
    send_mail(
        _("Your comments on %(site)s") % {"site": _portal_settings()["SITE_NAME"]},
        _(
            "Someone (we hope you) asked to see the comments written with this email address.\n\n"
            "Open this link within two days to see them and, if you wish, delete them:\n%(link)s\n"
        )
        % {
            "link": public_url(
                reverse("portal:my_comments", kwargs={"token": commenter_token(email)})
            )
        },
        None,
        [email.strip()],
    )
    return True


@transaction.atomic
def commenter_data_delete(email: str) -> int:
    """Delete every comment written with this email (the commenter's right to erasure)."""
    comments = list(Comment.objects.filter(email__iexact=email))
    for comment in comments:
        comment.delete()
    return len(comments)


# --- Event registration -------------------------------------------------------------------------


def cancel_token(registration: EventRegistration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> EventRegistration:
    pk = signing.loads(token, salt=CANCEL_SALT)
    return EventRegistration.objects.select_related("event").get(pk=pk)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _lock_event(event: Event) -> Event:
    """Serialise registrations of one event (SQLite's IMMEDIATE transactions already do)."""
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_register(
    event: Event,
    *,
    name: str,
    email: str,
    organisation_name: str = "",
    ip: str,
    honeypot: str = "",
) -> EventRegistration | None:
    """Register a visitor: a confirmed place while there is one, else the waiting list.
    None (nothing stored) when the honeypot was filled in."""
    if honeypot.strip():
        return None
    event = _lock_event(event)
    if not (event.is_public and event.registration_open):
        raise Refused(_("Registration for this event is closed."))
    _rate_check_and_count("register", ip=ip, email=email)
    if (
        event.registrations.filter(email__iexact=email.strip())
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise Refused(_("This email address is already registered for the event."))
    status = (
        RegistrationStatus.CONFIRMED
        if _confirmed_count(event) < event.capacity
        else RegistrationStatus.WAITING
    )
    registration = EventRegistration(
        event=event,
        name=name.strip(),
        email=email.strip(),
        organisation_name=organisation_name.strip(),
        status=status,
    )
    registration.full_clean()
    registration.save()
    _mail_registration(registration)
    return registration


def event_calendar(event: Event) -> str:
    """The event as an iCalendar file: the same UID and link in the download and in the mail, so
    that a calendar that has both keeps one entry."""
    return ical.calendar(
        ical.CalendarEvent(
            uid=f"event-{event.pk}@{site_host()}",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=event.title,
            location=event_location(event),
            description=event.lead,
            url=public_url(event.get_absolute_url()),
        ),
        now=timezone.now(),
    )


def event_location(event: Event) -> str:
    return ", ".join(part for part in (event.place, event.address) if part)


def event_when(event: Event) -> str:
    """When the event is, e.g. "12 maj 2026 10:00–12:00", in the active language and Swedish time."""
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    start_text = formats.date_format(starts, "DATETIME_FORMAT")
    if starts.date() == ends.date():
        end_text = formats.time_format(ends, "TIME_FORMAT")
    else:
        end_text = formats.date_format(ends, "DATETIME_FORMAT")
    return f"{start_text}–{end_text}"


def _mail_registration(registration: EventRegistration) -> None:
    """The registration's confirmation (or its place on the waiting list): what, when, where, the
    link to cancel, and for a confirmed place the event as a calendar file (.ics)."""
    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    if confirmed:
        subject = _("Registration confirmed: %(event)s")
        state = _("You have a place at %(event)s.")
    else:
        subject = _("Waiting list: %(event)s")
        state = _("The event %(event)s is full; you are on the waiting list.")
    lines = [
        state % {"event": event.title},
        "\n".join(
            [
                _("When: %(when)s") % {"when": event_when(event)},
                _("Where: %(where)s") % {"where": event_location(event)},
                _("About the event: %(link)s") % {"link": public_url(event.get_absolute_url())},
            ]
        ),
    ]
    if confirmed:
        lines.append(_("The event is attached as a calendar file (.ics)."))
    cancel = public_url(
        reverse("portal:registration_cancel", kwargs={"token": cancel_token(registration)})
    )
    lines.append(_("To cancel, open this link: %(link)s") % {"link": cancel})
    message = EmailMessage(
        subject % {"event": event.title},
        "\n\n".join(lines) + "\n",
        None,
        [registration.email],
    )
    if confirmed:
        message.attach(f"{event.slug}.ics", event_calendar(event), "text/calendar")
    message.send()


def _promote_waiting(event: Event) -> list[EventRegistration]:
    """Fill free places from the waiting list, first come first served."""
    free = event.capacity - _confirmed_count(event)
    promoted = []
    if free <= 0:
        return promoted
    for registration in event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "created_at", "pk"
    )[:free]:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        promoted.append(registration)
        _mail_registration(registration)
    return promoted


@transaction.atomic
def registration_cancel(registration: EventRegistration) -> list[EventRegistration]:
    """Cancel a registration and give its place to the first on the waiting list. Returns the
    registrations promoted."""
    event = _lock_event(registration.event)
    registration.refresh_from_db()
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote_waiting(event)
