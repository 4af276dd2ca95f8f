"""Reads of the portal: published articles and events, visible comments, the moderation queue."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from mineralstrategi.organisations.models import ContactPerson
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy.models import Section, Strategy

from .models import (
    Comment,
    CommentStatus,
    Event,
    NewsArticle,
    RegistrationStatus,
    published_q,
)


def article_list(*, tag: str | None = None) -> QuerySet[NewsArticle]:
    articles = (
        NewsArticle.objects.public()
        .select_related("organisation", "author")
        .prefetch_related("tags")
    )
    if tag:
        articles = articles.filter(tags__slug=tag)
    return articles


def article_drafts(user) -> QuerySet[NewsArticle]:
    """Every article not yet public (drafts and scheduled) the user may read: the editors'."""
    return NewsArticle.objects.visible_to(user).exclude(published_q()).order_by("-updated_at")


def article_get(slug: str, *, user) -> NewsArticle:
    """A public article, or any article for an editor (to preview drafts)."""
    articles = NewsArticle.objects.select_related(
        "organisation", "author", "strategy", "press_contact__organisation"
    ).prefetch_related(
        "tags",
        Prefetch(
            "contacts",
            queryset=ContactPerson.objects.select_related("organisation"),
        ),
    )
    return get_object_or_404(articles.visible_to(user), slug=slug)


def public_contacts(article: NewsArticle) -> tuple[list[ContactPerson], ContactPerson | None]:
    """The article's 'for more information' contacts and its press contact, public ones only."""
    contacts = [contact for contact in article.contacts.all() if contact.is_public]
    press = (
        article.press_contact if article.press_contact and article.press_contact.is_public else None
    )
    return contacts, press


def event_list(*, upcoming: bool = True) -> QuerySet[Event]:
    now = timezone.now()
    events = Event.objects.public().select_related("organisation")
    if upcoming:
        return events.filter(ends_at__gte=now).order_by("starts_at")
    return events.filter(ends_at__lt=now).order_by("-starts_at")


def event_get(slug: str, *, user) -> Event:
    events = Event.objects.select_related("organisation", "strategy").annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )
    return get_object_or_404(events.visible_to(user), slug=slug)


def event_registrations(event: Event, user):
    return event.registrations.visible_to(user).exclude(status=RegistrationStatus.CANCELLED)


def event_drafts(user) -> QuerySet[Event]:
    return Event.objects.visible_to(user).exclude(published_q()).order_by("starts_at")


# --- Comments -----------------------------------------------------------------------------------


def article_comments(article: NewsArticle) -> QuerySet[Comment]:
    return Comment.objects.for_article(article).visible()


def section_comments(strategy: Strategy, key) -> QuerySet[Comment]:
    return Comment.objects.for_section(strategy, key).visible()


def public_section(strategy_slug: str, key):
    """(strategy, section) for a section of the strategy's public (adopted or latest frozen)
    version; 404 when the strategy has no public version or the section is not in it."""
    strategy = strategy_selectors.strategy_get(slug=strategy_slug)
    version = strategy_selectors.strategy_public_version(strategy)
    if version is None:
        raise Http404(_("This strategy has no published version yet."))
    section = get_object_or_404(Section.objects.select_related("version"), version=version, key=key)
    section.version = version
    return strategy, section


def moderation_queue(user) -> QuerySet[Comment]:
    """Comments waiting for a moderator: new ones under pre-moderation, and reported ones."""
    return (
        Comment.objects.visible_to(user)
        .filter(Q(status=CommentStatus.PENDING) | Q(open_reports__gt=0))
        .select_related("article", "strategy")
        .order_by("-open_reports", "created_at", "pk")
    )


def recent_comments(user, limit: int = 50) -> QuerySet[Comment]:
    return (
        Comment.objects.visible_to(user)
        .select_related("article", "strategy")
        .order_by("-created_at")[:limit]
    )


def commenter_comments(email: str) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(email__iexact=email)
        .select_related("article", "strategy")
        .order_by("created_at")
    )
