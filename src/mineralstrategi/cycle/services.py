"""The writes of the yearly follow-up cycle. Each checks its permission with `require`, owns its
transaction and names the author of the history it leaves.

Reminders are notifications (`notifications.services.notify`): the worker makes them and mails
whoever wants a mail. Each reminder is recorded with the event it made (`ReportReminder`), so the
automatic ones go out once and the overview says only what was really sent.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mineralstrategi.implementation.models import Initiative, InitiativeStatus
from mineralstrategi.indicators.models import Indicator
from mineralstrategi.notifications import kinds
from mineralstrategi.notifications.services import notify
from mineralstrategi.services import require, schedule_reminder_passes, with_history_user

from .models import (
    ENTRY_FIELDS,
    REPORT_FIELDS,
    Asks,
    EntryKind,
    PeriodReport,
    ReminderKind,
    ReportReminder,
    ReportStatus,
    WheelEntry,
    today_in_stockholm,
)
from .rules import REPORTING_ROLES

#: The automatic reminder goes out this many days before the deadline (and one the day after).
REMINDER_DAYS_BEFORE = 7
#: An editor reminds one owner of one report at most once in this long.
BY_HAND_INTERVAL = datetime.timedelta(hours=20)


class NobodyToRemind(ValidationError):
    pass


# --- The wheel ----------------------------------------------------------------------------------


@transaction.atomic
def entry_save(strategy, *, user, data: dict, entry: WheelEntry | None = None) -> WheelEntry:
    """Add an entry to the strategy's wheel, or change one. An opened period keeps its kind and
    whom it asks (its tasks were made from them)."""
    require(user, "cycle.change_wheel", strategy)
    entry = entry or WheelEntry(strategy=strategy)
    if entry.is_open and (data["kind"] != entry.kind or data["asks"] != entry.asks):
        raise ValidationError(
            _("The period is open: its kind and who reports can no longer change.")
        )
    for name in ENTRY_FIELDS:
        setattr(entry, name, data[name])
    if entry.kind != EntryKind.PERIOD:
        entry.deadline, entry.asks = None, ""
    entry.full_clean()
    with_history_user(entry, user).save()
    return entry


def period_subjects(period: WheelEntry) -> list:
    """What the period asks reports on: the strategy's approved initiatives under way in it
    (not cancelled), or the indicators that follow up the strategy."""
    if period.asks == Asks.INITIATIVES:
        return list(
            Initiative.objects.filter(
                strategy=period.strategy,
                approved_at__isnull=False,
                start_date__lte=period.deadline,
                end_date__gte=period.date,
            )
            .exclude(status=InitiativeStatus.CANCELLED)
            .order_by("pk")
        )
    return list(Indicator.objects.filter(links__strategy=period.strategy).distinct().order_by("pk"))


def _report_for(period: WheelEntry, subject) -> PeriodReport:
    if isinstance(subject, Initiative):
        return PeriodReport(
            period=period, initiative=subject, organisation=subject.lead_organisation
        )
    return PeriodReport(period=period, indicator=subject, organisation=subject.owner)


@transaction.atomic
def period_open(period: WheelEntry, *, user, is_example: bool = False) -> list[PeriodReport]:
    """Open a reporting period: each initiative's lead organisation or each indicator's owner
    gets a task for it, its reporting members are told, and the reminders are scheduled."""
    require(user, "cycle.change_wheel", period.strategy)
    period = WheelEntry.objects.select_for_update().get(pk=period.pk)
    if not period.is_period:
        raise ValidationError(_("Only a reporting period is opened."))
    if period.is_open:
        raise ValidationError(_("The period “%(period)s” is open already.") % {"period": period})
    reports = []
    for subject in period_subjects(period):
        report = _report_for(period, subject)
        report.is_example = is_example
        reports.append(with_history_user(report, user))
        report.save()
    period.opened_at = timezone.now()
    with_history_user(period, user).save(update_fields=["opened_at"])
    for organisation in {report.organisation for report in reports}:
        notify(
            kinds.REPORT_REQUESTED,
            recipients=reporters_of(organisation),
            actor=user,
            params={
                "organisation": organisation.name,
                "period": period.title,
                "strategy": period.strategy.title,
                "deadline": period.deadline.isoformat(),
            },
            url=_wheel_path(period),
        )
    _schedule_reminders(period.deadline)
    return reports


def _wheel_path(period: WheelEntry) -> str:
    return reverse("cycle:wheel", kwargs={"slug": period.strategy.slug})


def reporters_of(organisation) -> list[int]:
    """The ids of the active people who report for the organisation (and are reminded)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=REPORTING_ROLES,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


# --- Reports ------------------------------------------------------------------------------------


@transaction.atomic
def report_submit(report: PeriodReport, *, user, data: dict) -> PeriodReport:
    """Give (or correct) the owner's report for the period."""
    require(user, "cycle.submit_report", report)
    for name in REPORT_FIELDS:
        setattr(report, name, data[name])
    if not report.progress_status:
        raise ValidationError({"progress_status": _("Say how the work is going.")})
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.is_example = False
    report.full_clean()
    with_history_user(report, user).save()
    return report


# --- Reminders ----------------------------------------------------------------------------------


def _reminder_kind_text(kind: str) -> str:
    return kinds.REPORT_DUE if kind == ReminderKind.BEFORE else kinds.REPORT_LATE


def _remind(report: PeriodReport, kind: str, *, user=None) -> ReportReminder | None:
    """Tell the report's owner; None, recording nothing, when it has nobody to tell."""
    people = reporters_of(report.organisation)
    if not people:
        return None
    event = notify(
        _reminder_kind_text(kind),
        recipients=people,
        actor=user,
        params={
            "subject": report.subject_name,
            "period": report.period.title,
            "deadline": report.period.deadline.isoformat(),
        },
        url=report.get_absolute_url(),
    )
    reminder = ReportReminder(report=report, kind=kind, sent_by=user, event=event)
    with_history_user(reminder, user).save()
    return reminder


@transaction.atomic
def owner_remind(report: PeriodReport, *, user) -> ReportReminder:
    """An editor reminds the owner of a late report: at most once in `BY_HAND_INTERVAL`, and only
    when the owner has someone to tell."""
    require(user, "cycle.remind_owner", report.period.strategy)
    report = (
        PeriodReport.objects.select_for_update(of=("self",))
        .select_related("period__strategy", "organisation", "initiative", "indicator")
        .get(pk=report.pk)
    )
    if report.state() != "late":
        raise ValidationError(_("Only a late report is reminded of by hand."))
    last = report.reminders.filter(kind=ReminderKind.BY_HAND).order_by("-sent_at").first()
    if last is not None and timezone.now() - last.sent_at < BY_HAND_INTERVAL:
        again = timezone.localtime(last.sent_at + BY_HAND_INTERVAL)
        raise ValidationError(
            _("%(organisation)s was reminded lately: remind them again after %(again)s.")
            % {
                "organisation": report.organisation,
                "again": formats.date_format(again, "j F H:i"),
            }
        )
    reminder = _remind(report, ReminderKind.BY_HAND, user=user)
    if reminder is None:
        raise NobodyToRemind(
            _("%(organisation)s has no member who reports: there is nobody to remind.")
            % {"organisation": report.organisation}
        )
    return reminder


def _due_kind(report: PeriodReport, today: datetime.date) -> str | None:
    deadline = report.period.deadline
    if today > deadline:
        return ReminderKind.AFTER
    if today >= deadline - datetime.timedelta(days=REMINDER_DAYS_BEFORE):
        return ReminderKind.BEFORE
    return None


@dataclass
class RemindersSent:
    before: int = 0
    after: int = 0


def reminders_send_due(today: datetime.date | None = None) -> RemindersSent:
    """Send every automatic reminder that is due and not yet sent: one some days before the
    deadline, one after it. Idempotent: each is recorded once (a constraint), so a second pass
    sends nothing. An owner with nobody to tell is tried again at the next pass."""
    today = today or today_in_stockholm()
    sent = RemindersSent()
    due = PeriodReport.objects.filter(
        status=ReportStatus.DUE, period__opened_at__isnull=False
    ).select_related("period__strategy", "organisation", "initiative", "indicator")
    for report in due:
        kind = _due_kind(report, today)
        if kind is None or report.reminders.filter(kind=kind).exists():
            continue
        try:
            with transaction.atomic():
                reminder = _remind(report, kind)
        except IntegrityError:  # another pass recorded it first
            continue
        if reminder is not None:
            setattr(sent, kind, getattr(sent, kind) + 1)
    return sent


def _schedule_reminders(deadline: datetime.date) -> None:
    from . import tasks

    schedule_reminder_passes(tasks.send_due_reminders, deadline, REMINDER_DAYS_BEFORE)
