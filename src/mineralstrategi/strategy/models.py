"""Strategies, their versions and section trees, reference frameworks and the links between them.

A strategy has exactly one working draft (a version without a number) and any number of frozen,
numbered versions. A frozen version is immutable: its sections, their links and the version itself
refuse `save()` and `delete()` here, the services refuse to touch them, and the admin shows them
read-only, so that no interface can change a text that was sent out or adopted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.organisations.history import audited_history
from mineralstrategi.organisations.models import County, Organisation, Reads
from mineralstrategi.organisations.visibility import SUPERUSER, RoleIn, VisibleQuerySet, Where

FROZEN = models.Q(number__isnull=False)


class FrozenVersionError(Exception):
    """An attempt to change a frozen (numbered) version of a strategy."""

    def __init__(self, version=None):
        self.version = version
        number = getattr(version, "number", None)
        super().__init__(
            _("Version %(number)s is frozen and cannot be changed; edit the working draft instead.")
            % {"number": number if number is not None else "?"}
        )


class StrategyStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    CONSULTATION = "consultation", _("In consultation")
    ADOPTED = "adopted", _("Adopted")
    REVISION = "revision", _("Under revision")
    ARCHIVED = "archived", _("Archived")


class Strategy(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    partnership = models.ManyToManyField(
        Organisation,
        related_name="strategies",
        verbose_name=_("partnership"),
        help_text=_("The organisations that own and write the strategy."),
    )
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_strategies",
        verbose_name=_("lead organisation"),
        help_text=_("The partnership's lead organisation, which set the strategy up."),
    )
    counties = models.ManyToManyField(
        County, related_name="strategies", verbose_name=_("counties covered")
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=16, choices=StrategyStatus.choices, default=StrategyStatus.DRAFTING
    )
    adopted_version = models.ForeignKey(
        "StrategyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted version"),
    )
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:detail", kwargs={"slug": self.slug})

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def audit_organisation_ids(self):
        """The lead organisation, then the partnership's (see organisations.history.Audited)."""
        lead = [self.lead_id] if self.lead_id else []
        return [*lead, *self.partnership.values_list("pk", flat=True)] if self.pk else lead


class StrategyVersionQuerySet(VisibleQuerySet):
    def frozen(self) -> "StrategyVersionQuerySet":
        return self.filter(FROZEN)

    def drafts(self) -> "StrategyVersionQuerySet":
        return self.filter(number__isnull=True)


class StrategyVersion(models.Model):
    """The working draft (number is null) or a frozen, numbered version."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="versions", verbose_name=_("strategy")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    history = audited_history()
    objects = StrategyVersionQuerySet.as_manager()
    # Frozen versions were sent out or adopted; the working draft is the partnership's work.
    visibility = (
        Where(FROZEN, "frozen")
        | RoleIn("strategy__partnership", Reads.PARTNERSHIP_WORK)
        | SUPERUSER
    )

    class Meta:
        ordering = ["strategy", models.F("number").asc(nulls_last=True)]
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="strategy_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["strategy"],
                condition=models.Q(number__isnull=True),
                name="strategy_version_one_working_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True, frozen_at__isnull=True)
                | models.Q(number__isnull=False, frozen_at__isnull=False),
                name="strategy_version_numbered_iff_frozen",
            ),
        ]

    def __str__(self) -> str:
        if self.is_frozen:
            return _("%(strategy)s – version %(number)s") % {
                "strategy": self.strategy,
                "number": self.number,
            }
        return _("%(strategy)s – working draft") % {"strategy": self.strategy}

    def save(self, *args, **kwargs):
        if self._stored_is_frozen():
            raise FrozenVersionError(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_is_frozen():
            raise FrozenVersionError(self)
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.number is not None

    @property
    def display_name(self) -> str:
        if not self.is_frozen:
            return str(_("Working draft"))
        name = _("Version %(number)s") % {"number": self.number}
        return f"{name}: {self.label}" if self.label else str(name)

    @property
    def adoption_record(self) -> "Adoption | None":
        """The decision that adopted this version, if any (read with `select_related`)."""
        try:
            return self.adoption
        except Adoption.DoesNotExist:
            return None

    @property
    def adoption_state(self) -> str:
        """ "adopted", "superseded" (previously adopted) or "" (never adopted)."""
        adoption = self.adoption_record
        if adoption is not None:
            return adoption.state
        if self.pk is not None and self.strategy.adopted_version_id == self.pk:
            return AdoptionState.ADOPTED  # adopted before decisions were recorded
        return ""

    @property
    def name_with_state(self) -> str:
        """The name with its state, wherever versions are listed: “Version 1: Remissversion
        (previously adopted)”."""
        state = self.adoption_state
        if not state:
            return self.display_name
        return f"{self.display_name} ({AdoptionState(state).label.lower()})"

    def _stored_is_frozen(self) -> bool:
        if self.pk is None:
            return False
        return StrategyVersion.objects.filter(pk=self.pk, number__isnull=False).exists()

    def audit_organisation_ids(self):
        return self.strategy.audit_organisation_ids()


class AdoptionState(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Previously adopted")


class Adoption(models.Model):
    """The decision that adopted a frozen version: the deciding body, the date, the reference
    (§ number, diarienummer), and the consultation it rests on, or the reason it rests on none.

    Kept beside the version, which is frozen and never changes: the decision is a record of its
    own, made once. When a later version is adopted, `superseded_by` points to that decision and
    this version is from then on "previously adopted", with both dates.
    """

    version = models.OneToOneField(
        StrategyVersion,
        on_delete=models.PROTECT,
        related_name="adoption",
        verbose_name=_("version"),
    )
    body = models.CharField(
        _("deciding body"),
        max_length=300,
        help_text=_("For example “Regionfullmäktige” or “Länsstyrelsen i Norrbottens län”."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation of the deciding body"),
    )
    decided_on = models.DateField(_("decision date"))
    reference = models.CharField(
        _("reference"),
        max_length=200,
        help_text=_("The decision's paragraph (§) or registry number (diarienummer)."),
    )
    note = models.TextField(_("note"), blank=True, max_length=5000)
    consultation = models.CharField(
        _("consultation"),
        max_length=300,
        blank=True,
        help_text=_("The registry numbers of the compiled consultation rounds it rests on."),
    )
    without_consultation_reason = models.TextField(
        _("reason for adopting without a compiled consultation"), blank=True, max_length=5000
    )
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    is_example = models.BooleanField(_("example data"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = audited_history()

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self) -> str:
        return f"{self.version} – {self.deciding_body} {self.decided_on:%Y-%m-%d}"

    @property
    def deciding_body(self) -> str:
        """The body as it is named: “Regionfullmäktige, Region Västerbotten”, or the text alone
        when it already names the organisation (or none is chosen)."""
        if self.organisation_id is None or self.organisation.name in self.body:
            return self.body
        return f"{self.body}, {self.organisation.name}"

    @property
    def state(self) -> str:
        return AdoptionState.SUPERSEDED if self.superseded_by_id else AdoptionState.ADOPTED

    @property
    def superseded_on(self):
        return self.superseded_by.decided_on if self.superseded_by_id else None

    def audit_organisation_ids(self):
        return self.version.audit_organisation_ids()


class SectionKind(models.TextChoices):
    VISION = "vision", _("Vision")
    DIRECTION = "direction", _("Direction")
    GOAL = "goal", _("Goal")
    ACTION = "action", pgettext_lazy("strategy section kind", "Action")
    TEXT = "text", _("Text section")


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    ENVIRONMENTAL = "environmental", _("Environmental")
    SOCIAL = "social", _("Social")
    INNOVATION = "innovation", _("Innovation")


class Section(models.Model):
    """One node of a version's section tree. `key` follows the section across versions;
    `revision` counts saves, for optimistic locking of concurrent edits."""

    version = models.ForeignKey(
        StrategyVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent section"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SectionKind.choices)
    dimension = models.CharField(
        _("dimension"), max_length=16, choices=Dimension.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    body_markdown = models.TextField(_("text (Markdown)"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    is_example = models.BooleanField(_("example text"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = audited_history()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="section_unique_key_in_version")
        ]
        indexes = [models.Index(fields=["version", "parent", "position"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.version.is_frozen or self._stored_in_frozen_version():
            raise FrozenVersionError(self.version)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The section's public page (beside its comments)."""
        return reverse(
            "portal:section_comments",
            kwargs={"slug": self.version.strategy.slug, "key": self.key},
        )

    def delete(self, *args, **kwargs):
        if self._stored_in_frozen_version():
            raise FrozenVersionError(self.version)
        return super().delete(*args, **kwargs)

    def _stored_in_frozen_version(self) -> bool:
        if self.pk is None:
            return False
        return Section.objects.filter(pk=self.pk, version__number__isnull=False).exists()

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    def follow_target(self) -> "Section":
        """What following this section follows: the working draft's section with its key, which
        lives on from version to version (notifications)."""
        if self.version.number is None:
            return self
        draft = Section.objects.filter(
            key=self.key,
            version__strategy_id=self.version.strategy_id,
            version__number__isnull=True,
        ).first()
        return draft or self

    def audit_organisation_ids(self):
        return self.version.audit_organisation_ids()


class SectionComment(models.Model):
    """An editor's internal remark on a draft section, seen by the partnership only."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="comments", verbose_name=_("section")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = audited_history()
    objects = VisibleQuerySet.as_manager()
    visibility = (
        RoleIn("section__version__strategy__partnership", Reads.PARTNERSHIP_WORK) | SUPERUSER
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("section comment")
        verbose_name_plural = _("section comments")

    def __str__(self) -> str:
        return f"{self.author} – {self.section}"

    def audit_organisation_ids(self):
        return self.section.audit_organisation_ids()


class FrameworkKind(models.TextChoices):
    NATIONAL = "national", _("National strategy")
    REGIONAL = "regional", _("Regional development strategy")
    GROWTH = "growth", _("Regional growth focus areas")
    GLOBAL = "global", _("Global goals")


class Framework(models.Model):
    """A reference framework a strategy answers to, e.g. the UN Sustainable Development Goals.

    Shared by every strategy of the deployment. One loaded from the platform's data files
    (`services.frameworks_load`) has no owner and is kept by the platform's administrators; one
    added in the pages belongs to the organisation whose strategy editors keep it (rules.py).
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=FrameworkKind.choices)
    url = models.URLField(_("web address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Items written for the demonstration, not the official wording."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frameworks",
        verbose_name=_("kept by"),
        help_text=_(
            "The organisation whose strategy editors keep the framework; none for the frameworks "
            "loaded from the platform's data files, which its administrators keep."
        ),
    )

    history = audited_history()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:framework", kwargs={"code": self.code})

    def audit_organisation_ids(self):
        return [self.owner_id] if self.owner_id else []


class FrameworkItem(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=20)
    title_sv = models.CharField(_("title (Swedish)"), max_length=500)
    title_en = models.TextField(_("title (English)"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent item"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = audited_history()

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_sv}"

    def title_for(self, language_code: str) -> str:
        if language_code.startswith("en") and self.title_en:
            return self.title_en
        return self.title_sv

    def audit_organisation_ids(self):
        return self.framework.audit_organisation_ids()


class SectionLink(models.Model):
    """A section serves a framework item. Part of the version's content: frozen with it."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="links", verbose_name=_("section")
    )
    item = models.ForeignKey(
        FrameworkItem,
        on_delete=models.PROTECT,
        related_name="section_links",
        verbose_name=_("framework item"),
    )

    history = audited_history()

    class Meta:
        ordering = ["item__framework__position", "item__position"]
        verbose_name = _("section link")
        verbose_name_plural = _("section links")
        constraints = [
            models.UniqueConstraint(fields=["section", "item"], name="section_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section} → {self.item}"

    def save(self, *args, **kwargs):
        if self._in_frozen_version():
            raise FrozenVersionError(self.section.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._in_frozen_version():
            raise FrozenVersionError(self.section.version)
        return super().delete(*args, **kwargs)

    def _in_frozen_version(self) -> bool:
        return Section.objects.filter(pk=self.section_id, version__number__isnull=False).exists()

    def audit_organisation_ids(self):
        return self.section.audit_organisation_ids()
