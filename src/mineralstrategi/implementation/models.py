"""Initiatives that carry out a strategy, their funding, milestones and progress, and the yearly
action plans that group them.

An initiative serves sections of a strategy by the sections' stable `key`, not by a foreign key to
one version's rows: the key is resolved against the strategy's adopted version (or its working
draft while none is adopted), so that the links survive every new version.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.organisations.history import audited_history
from mineralstrategi.organisations.models import Municipality, Organisation, Reads
from mineralstrategi.organisations.visibility import SUPERUSER, RoleIn, VisibleQuerySet, Where
from mineralstrategi.strategy.models import Strategy


class Weighting(models.TextChoices):
    BUDGET = "budget", _("By budget")
    EQUAL = "equal", _("Equally")


class ImplementationSettings(models.Model):
    """How a strategy's implementation is followed up (one row per strategy, made on demand)."""

    strategy = models.OneToOneField(
        Strategy,
        on_delete=models.CASCADE,
        related_name="implementation_settings",
        verbose_name=_("strategy"),
    )
    weighting = models.CharField(
        _("roll-up weighting"),
        max_length=8,
        choices=Weighting.choices,
        default=Weighting.BUDGET,
        help_text=_("How the initiatives' progress is combined into the progress of a section."),
    )

    history = audited_history()

    class Meta:
        verbose_name = _("implementation settings")
        verbose_name_plural = _("implementation settings")

    def __str__(self) -> str:
        return str(self.strategy)

    def audit_organisation_ids(self):
        return self.strategy.audit_organisation_ids()


class ActionPlan(models.Model):
    """A plan that groups a strategy's initiatives for a period, usually one year."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("strategy")
    )
    title = models.CharField(_("title"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    description = models.TextField(_("description"), blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history()

    class Meta:
        ordering = ["strategy", "first_year", "title"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="action_plan_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def audit_organisation_ids(self):
        return self.strategy.audit_organisation_ids()


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("initiative status", "Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Moderation(models.TextChoices):
    """Where an initiative stands with the strategy editors. `approved_at` stays the mark of an
    approved initiative (the visibility rule `APPROVED` reads it); this field says what an
    initiative not approved is waiting for."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")


APPROVED = models.Q(approved_at__isnull=False)


class InitiativeQuerySet(VisibleQuerySet):
    def approved(self) -> "InitiativeQuerySet":
        return self.filter(APPROVED)

    def active_in(self, year: int) -> "InitiativeQuerySet":
        """Initiatives whose period overlaps the calendar year."""
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)


class Initiative(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("strategy")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=10_000)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_initiatives",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_initiatives",
        verbose_name=_("partner organisations"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="initiatives", verbose_name=_("municipalities")
    )
    action_plans = models.ManyToManyField(
        ActionPlan, blank=True, related_name="initiatives", verbose_name=_("action plans")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    budget = models.DecimalField(
        _("budget (SEK)"),
        max_digits=14,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    results = models.TextField(_("results"), blank=True, max_length=10_000)
    partners_wanted = models.CharField(
        _("partners wanted"),
        max_length=500,
        blank=True,
        help_text=_(
            "If you look for partners: what kind, and for what. Shown on the public pages."
        ),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PENDING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history(excluded_fields=["updated_at"])
    objects = InitiativeQuerySet.as_manager()
    # Approved initiatives are public; before approval, their lead organisation's members and
    # the strategy editors of the partnership, who approve them, read them.
    visibility = (
        Where(APPROVED, "approved")
        | RoleIn("lead_organisation", Reads.UNAPPROVED_INITIATIVES)
        | RoleIn("strategy__partnership", Reads.INITIATIVES_TO_APPROVE)
        | SUPERUSER
    )

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [
            models.Index(fields=["strategy", "approved_at"]),
            # A strategy's list in its order, and filtered by status (pages and API).
            models.Index(fields=["strategy", "-start_date", "title"], name="initiative_list_order"),
            models.Index(fields=["strategy", "status"], name="initiative_strategy_status"),
            models.Index(fields=["strategy", "moderation"], name="initiative_moderation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="initiative_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="initiative_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="initiative_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "implementation:initiative", kwargs={"slug": self.strategy.slug, "pk": self.pk}
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end comes before the start.")})

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def moderation_state(self) -> str:
        """The moderation state as the pages read it: approved whenever `approved_at` is set,
        else what the initiative waits for (pending, returned or rejected)."""
        if self.approved_at is not None:
            return Moderation.APPROVED
        if self.moderation == Moderation.APPROVED:
            return Moderation.PENDING
        return self.moderation

    @property
    def is_returned(self) -> bool:
        return self.moderation_state == Moderation.RETURNED

    @property
    def is_rejected(self) -> bool:
        return self.moderation_state == Moderation.REJECTED

    @property
    def is_pending(self) -> bool:
        return self.moderation_state == Moderation.PENDING

    def get_moderation_state_display(self) -> str:
        return Moderation(self.moderation_state).label

    @property
    def organisation(self) -> Organisation:
        """The organisation that owns the initiative (for the permission predicates)."""
        return self.lead_organisation

    @property
    def period(self) -> str:
        return f"{self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"

    def years(self) -> range:
        return range(self.start_date.year, self.end_date.year + 1)

    def audit_organisation_ids(self):
        yield self.lead_organisation_id
        yield from self.strategy.audit_organisation_ids()


#: What a lead organisation states about its initiative: the initiative's own fields, in the
#: order the form asks for them. The form (a ModelForm), the service that writes them, the edit
#: page, the JSON API and the downloads all read this list, and the model validates them; a new
#: field is the model field, its migration, its entry here and its place in the templates.
INITIATIVE_FIELDS = (
    "title",
    "description",
    "start_date",
    "end_date",
    "budget",
    "status",
    "progress",
    "results",
    "partners_wanted",
)


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    RESUBMITTED = "resubmitted", _("Submitted again")
    UNLISTED = "unlisted", _("Unlisted")


class ModerationDecision(models.Model):
    """One step of an initiative's moderation: a strategy editor's decision (approve, return for
    changes, reject, unlist) with its reason, or the lead organisation submitting it again. Only
    added to, never changed: the initiative's moderation history."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="moderation_decisions",
        verbose_name=_("initiative"),
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    history = audited_history()

    class Meta:
        ordering = ["initiative", "-decided_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [models.Index(fields=["initiative", "-decided_at"], name="moderation_latest")]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_decision_display()}"

    def audit_organisation_ids(self):
        return self.initiative.audit_organisation_ids()


class InitiativeSection(models.Model):
    """The initiative serves the strategy section with this stable key."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="section_links"
    )
    section_key = models.UUIDField(_("section key"), db_index=True)

    history = audited_history()

    class Meta:
        verbose_name = _("section served")
        verbose_name_plural = _("sections served")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "section_key"], name="initiative_section_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.section_key}"

    def audit_organisation_ids(self):
        return self.initiative.audit_organisation_ids()


class FundingKind(models.TextChoices):
    EU_REGIONAL_FUND = "eu_regional_fund", _("EU regional development fund")
    EU_OTHER = "eu_other", _("Other EU programme")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    OWN_FUNDS = "own_funds", _("Own funds")
    PRIVATE = "private", _("Private")
    OTHER = "other", _("Other")


class FundingSource(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="funding", verbose_name=_("initiative")
    )
    kind = models.CharField(_("source"), max_length=20, choices=FundingKind.choices)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (SEK)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(Decimal(0))],
    )

    history = audited_history()

    class Meta:
        ordering = ["initiative", "-amount", "pk"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="funding_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} SEK"

    def audit_organisation_ids(self):
        return self.initiative.audit_organisation_ids()


class Milestone(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("initiative"),
    )
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due"))
    reached = models.BooleanField(_("reached"), default=False)

    history = audited_history()

    class Meta:
        ordering = ["initiative", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def audit_organisation_ids(self):
        return self.initiative.audit_organisation_ids()


class ProgressUpdate(models.Model):
    """A dated note of how far the initiative has come; the latest sets its progress."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="updates", verbose_name=_("initiative")
    )
    date = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("what happened"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = audited_history()

    class Meta:
        ordering = ["initiative", "-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.initiative} {self.date}: {self.progress} %"

    def audit_organisation_ids(self):
        return self.initiative.audit_organisation_ids()
