"""The public portal: news articles, events with registration, and moderated public comments.

Articles and events are written by staff editors in the site; they are public once their status
is "published" and their publication time has come (`published()`), so an editor can schedule.
Comments target a news article or a section of a strategy (by the section's stable key, so a
comment follows the section across versions).
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mineralstrategi.organisations.models import ContactPerson, Organisation
from mineralstrategi.organisations.visibility import (
    SUPERUSER,
    UserIs,
    VisibleQuerySet,
    Where,
    matches,
)
from mineralstrategi.strategy.models import Strategy

from .rules import is_portal_editor, is_portal_moderator

REPORTS_TO_HIDE = 3


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def published_q(now=None) -> models.Q:
    """Public now: marked published and its publication time has come."""
    return models.Q(status=PublicationStatus.PUBLISHED, published_at__lte=now or timezone.now())


class PublishableQuerySet(VisibleQuerySet):
    def published(self, now=None):
        return self.filter(published_q(now))


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Publishable(models.Model):
    """Fields shared by articles and events: the editorial state and the links."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    lead = models.TextField(_("lead"), max_length=600, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("The article is public from this time on, once its status is published."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("strategy"),
    )
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()
    # Editors read (and preview) what is not yet public.
    visibility = (
        Where(published_q, "published") | UserIs(is_portal_editor, "portal editor") | SUPERUSER
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return matches(self, published_q())


class NewsArticle(Publishable):
    body_markdown = models.TextField(_("text (Markdown)"), blank=True)
    image = models.ImageField(_("image"), upload_to="news/%Y/", blank=True)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for those who cannot see it. Required with an image."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author's name as shown"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    contacts = models.ManyToManyField(
        ContactPerson,
        blank=True,
        related_name="+",
        verbose_name=_("for more information"),
    )
    press_contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("press contact"),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags])

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        indexes = [models.Index(fields=["status", "published_at"])]

    def get_absolute_url(self) -> str:
        return reverse("portal:article", kwargs={"slug": self.slug})


class Event(Publishable):
    programme_markdown = models.TextField(_("programme (Markdown)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), default=0, help_text=_("0 means no registration.")
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # Published events not yet over, in order of start (the lists, the API, the home page).
        indexes = [models.Index(fields=["status", "ends_at", "starts_at"], name="event_listing")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("portal:event", kwargs={"slug": self.slug})

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return self.capacity > 0 and now < closes


#: What an editor states about an article or an event: its own fields, then its links and its
#: publication. The editors' forms (ModelForms) and the services read these lists, and the model
#: validates them; a new field is the model field, its migration, its entry here and its place in
#: the templates. (Tags, contacts and the image are written by the services themselves.)
PUBLICATION_FIELDS = ("organisation", "strategy", "status", "published_at", "is_example")
ARTICLE_FIELDS = (
    "title", "lead", "body_markdown", "image_alt", "author_name", "press_contact",
    "comments_open", *PUBLICATION_FIELDS,
)  # fmt: skip
EVENT_FIELDS = (
    "title", "lead", "programme_markdown", "starts_at", "ends_at", "place", "address", "capacity",
    "registration_closes_at", *PUBLICATION_FIELDS,
)  # fmt: skip


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class EventRegistration(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(
        pgettext_lazy("time of a registration", "registered"), auto_now_add=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    # Names and addresses of the people who registered: the editors' alone.
    visibility = UserIs(is_portal_editor, "portal editor") | SUPERUSER

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_active_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


# Shown to the public: published, and not held back by reports awaiting review.
VISIBLE_COMMENT = models.Q(status=CommentStatus.PUBLISHED, open_reports__lt=REPORTS_TO_HIDE)


class CommentQuerySet(VisibleQuerySet):
    def visible(self):
        return self.filter(VISIBLE_COMMENT)

    def needing_moderation(self):
        return self.filter(
            models.Q(status=CommentStatus.PENDING) | models.Q(open_reports__gt=0)
        ).exclude(status=CommentStatus.HIDDEN, open_reports=0)

    def for_article(self, article):
        return self.filter(article=article)

    def for_section(self, strategy, section_key):
        return self.filter(strategy=strategy, section_key=section_key)


class Comment(models.Model):
    """A visitor's public comment on a news article or on a section of a strategy.

    The email is kept for the commenter's own access to their data and is never shown."""

    article = models.ForeignKey(
        NewsArticle,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("news article"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="public_comments",
        verbose_name=_("strategy"),
    )
    section_key = models.UUIDField(_("section key"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    body = models.TextField(_("comment"), max_length=4000)
    status = models.CharField(_("status"), max_length=16, choices=CommentStatus.choices)
    open_reports = models.PositiveIntegerField(_("reports since last review"), default=0)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )

    history = HistoricalRecords()
    objects = CommentQuerySet.as_manager()
    # Moderators read the comments waiting for them and the hidden ones.
    visibility = (
        Where(VISIBLE_COMMENT, "visible")
        | UserIs(is_portal_moderator, "portal moderator")
        | SUPERUSER
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status"]),
            models.Index(fields=["strategy", "section_key", "status"]),
            models.Index(fields=["email"]),
            # A commenter's own comments: email__iexact compares upper(email) on PostgreSQL.
            models.Index(Upper("email"), name="comment_email_upper"),
            # The moderation queue (pending ones, reported ones) and the recent comments.
            models.Index(fields=["status", "created_at"], name="comment_status_created"),
            models.Index(fields=["-open_reports", "created_at"], name="comment_reported"),
            models.Index(fields=["-created_at"], name="comment_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, strategy__isnull=True, section_key__isnull=True)
                    | models.Q(
                        article__isnull=True, strategy__isnull=False, section_key__isnull=False
                    )
                ),
                name="comment_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:40]}"

    @property
    def is_visible(self) -> bool:
        return matches(self, VISIBLE_COMMENT)

    def target_url(self) -> str:
        if self.article_id:
            return self.article.get_absolute_url() + f"#comment-{self.pk}"
        return (
            reverse(
                "portal:section_comments",
                kwargs={"slug": self.strategy.slug, "key": self.section_key},
            )
            + f"#comment-{self.pk}"
        )


class CommentReport(models.Model):
    """One reporter's report of a comment since its last moderation: `Comment.open_reports` is
    their number, so that REPORTS_TO_HIDE reports are that many reporters, not that many clicks.
    The reporter is a one-way fingerprint (`limits.services.fingerprint`) of the signed-in
    person's id, else of the client address; a moderator's decision deletes the reports."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reporter = models.CharField(_("reporter"), max_length=100)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    # No page shows a report: the count on the comment is what moderators and visitors see.
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reporter")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.reporter}"


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL. SQLite has no GIN (and its search reads the texts, never the
    stored vectors), so there it is a plain index over the empty column."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class SearchDocument(models.Model):
    """The stored full-text vector of one searchable object, for the site search on PostgreSQL
    (`portal/search.py`, where `SOURCES` names each kind's fields and weights): `kind` is the
    source's code, `object_id` the object's primary key. Kept current by `portal/search_index.py`
    on every save, on the rows services write past save() (`services.rows_written`), and by the
    data generator; never written on SQLite, whose search reads the texts themselves."""

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("object"))
    vector = SearchVectorField(_("search vector"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_per_object")
        ]
        indexes = [SearchVectorIndex(fields=["vector"], name="search_document_vector")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
