"""The yearly follow-up cycle of a strategy: its annual wheel (årshjul) of dated entries, the
reports its owners are asked for in each reporting period, and the reminders sent about them.

- `WheelEntry`: a reporting period (opens, deadline, whom it asks: the initiatives' leads or the
  indicators' owners), a review meeting, or the yearly report's adoption. Public with its
  strategy (the pages check the strategy's rule); who is late is not.
- `PeriodReport`: one owner's task for one initiative or indicator in one period, and the
  report it gives (status, progress, what was done, risks, next steps, figures).
- `ReportReminder`: each reminder about a report, with the notification event it made: the
  automatic ones (before and after the deadline) at most once each, the editors' by hand.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.organisations.history import audited_history
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.strategy.models import Strategy

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def today_in_stockholm(now: datetime.datetime | None = None) -> datetime.date:
    """A deadline day ends at midnight in Stockholm."""
    return (now or timezone.now()).astimezone(STOCKHOLM).date()


class EntryKind(models.TextChoices):
    PERIOD = "period", _("Reporting period")
    REVIEW = "review", _("Review meeting")
    ADOPTION = "adoption", _("Adoption of the yearly report")


class Asks(models.TextChoices):
    """Whom a reporting period asks to report."""

    INITIATIVES = "initiatives", _("Lead organisations of the initiatives")
    INDICATORS = "indicators", _("Owners of the indicators")


class WheelEntry(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="wheel_entries", verbose_name=_("strategy")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=200, help_text=_("For example “Spring 2026”."))
    date = models.DateField(
        _("date"), help_text=_("The day of the meeting or decision; a period's first day.")
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("A reporting period's last day.")
    )
    asks = models.CharField(
        _("who reports"), max_length=12, choices=Asks.choices, blank=True, default=""
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history()

    class Meta:
        ordering = ["date", "kind", "title"]
        verbose_name = _("annual wheel entry")
        verbose_name_plural = _("annual wheel entries")
        indexes = [models.Index(fields=["strategy", "date"], name="wheel_entry_strategy_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True)
                | models.Q(deadline__gte=models.F("date")),
                name="wheel_entry_deadline_after_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cycle:wheel", kwargs={"slug": self.strategy.slug}) + f"#entry-{self.pk}"

    def clean(self):
        if self.kind == EntryKind.PERIOD:
            errors = {}
            if self.deadline is None:
                errors["deadline"] = _("A reporting period needs a deadline.")
            elif self.date and self.deadline < self.date:
                errors["deadline"] = _("The deadline comes before the period opens.")
            if not self.asks:
                errors["asks"] = _("Say who reports in this period.")
            if errors:
                raise ValidationError(errors)

    @property
    def is_period(self) -> bool:
        return self.kind == EntryKind.PERIOD

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def audit_organisation_ids(self):
        return self.strategy.audit_organisation_ids()


#: The fields of an entry its editors write, in the order the form asks for them: the form and
#: the service read this list.
ENTRY_FIELDS = ("kind", "title", "date", "deadline", "asks", "description")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Reported")


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class PeriodReport(models.Model):
    period = models.ForeignKey(
        WheelEntry, on_delete=models.CASCADE, related_name="reports", verbose_name=_("period")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="period_reports",
        verbose_name=_("organisation"),
    )
    initiative = models.ForeignKey(
        "implementation.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="period_reports",
        verbose_name=_("initiative"),
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="period_reports",
        verbose_name=_("indicator"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    progress_status = models.CharField(
        pgettext_lazy("report", "state"), max_length=10, choices=Progress.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    done = models.TextField(_("what was done"), blank=True, max_length=4000)
    risks = models.TextField(_("risks"), blank=True, max_length=4000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=4000)
    figures = models.TextField(
        _("figures"),
        blank=True,
        max_length=2000,
        help_text=_("Optional: key figures for the period, one a line."),
    )
    submitted_at = models.DateTimeField(_("reported"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    is_example = models.BooleanField(_("example data"), default=False)

    history = audited_history()

    class Meta:
        ordering = ["period", "organisation__name", "pk"]
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=True) ^ models.Q(indicator__isnull=True),
                name="period_report_one_subject",
            ),
            models.UniqueConstraint(
                fields=["period", "initiative"], name="period_report_initiative_once"
            ),
            models.UniqueConstraint(
                fields=["period", "indicator"], name="period_report_indicator_once"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="period_report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("cycle:report", kwargs={"slug": self.period.strategy.slug, "pk": self.pk})

    @property
    def subject(self):
        return self.initiative if self.initiative_id else self.indicator

    @property
    def subject_name(self) -> str:
        return self.initiative.title if self.initiative_id else self.indicator.name

    def state(self, today: datetime.date | None = None) -> str:
        """due, late (due after the deadline) or submitted."""
        if self.status == ReportStatus.SUBMITTED:
            return "submitted"
        return "late" if (today or today_in_stockholm()) > self.period.deadline else "due"

    def audit_organisation_ids(self):
        yield self.organisation_id
        yield from self.period.strategy.audit_organisation_ids()


#: The fields of a report its owner writes, in the order the form asks for them.
REPORT_FIELDS = ("progress_status", "progress", "done", "risks", "next_steps", "figures")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    AFTER = "after", _("After the deadline")
    BY_HAND = "by_hand", _("By an editor")


class ReportReminder(models.Model):
    report = models.ForeignKey(
        PeriodReport, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    # The notification event the reminder made: what the overview says was sent.
    event = models.ForeignKey(
        "notifications.Event", on_delete=models.PROTECT, related_name="+", verbose_name=_("event")
    )
    history = audited_history()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            # The automatic reminders go out once each; an editor's as the limit allows.
            models.UniqueConstraint(
                fields=["report", "kind"],
                condition=~models.Q(kind="by_hand"),
                name="report_reminder_automatic_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.report}"

    def audit_organisation_ids(self):
        return self.report.audit_organisation_ids()
