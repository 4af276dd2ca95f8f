"""The reads of the yearly follow-up cycle, each in a fixed number of queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mineralstrategi import ical
from mineralstrategi.links import public_url, site_host
from mineralstrategi.organisations.visibility import roles_by_organisation
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy.models import Strategy

from .models import EntryKind, PeriodReport, ReportReminder, WheelEntry, today_in_stockholm
from .rules import REPORTING_ROLES


def strategy_for_cycle(slug: str) -> Strategy:
    return strategy_selectors.strategy_get(slug=slug)


def is_public(strategy: Strategy) -> bool:
    """The wheel is public once a version of the strategy is frozen (sent out or adopted)."""
    return strategy_selectors.strategy_public_version(strategy) is not None


@dataclass(frozen=True)
class WheelDay:
    """One dated thing on the wheel: a period opening or its deadline, a meeting, an adoption."""

    day: datetime.date
    entry: WheelEntry
    what: str  # "opens", "deadline", "review", "adoption"


@dataclass
class WheelMonth:
    first: datetime.date
    days: list[WheelDay] = field(default_factory=list)


def wheel_entries(strategy: Strategy) -> QuerySet[WheelEntry]:
    return WheelEntry.objects.filter(strategy=strategy).order_by("date", "kind", "title")


def wheel_of(strategy: Strategy, year: int) -> list[WheelMonth]:
    """The twelve months of the year, each with what falls on its days (one query)."""
    months = [WheelMonth(datetime.date(year, month, 1)) for month in range(1, 13)]
    in_year = Q(date__year=year) | Q(deadline__year=year)
    for entry in wheel_entries(strategy).filter(in_year).select_related("strategy"):
        for day in _days_of(entry):
            if day.day.year == year:
                months[day.day.month - 1].days.append(day)
    for month in months:
        month.days.sort(key=lambda d: (d.day, d.entry.title))
    return months


def _days_of(entry: WheelEntry) -> list[WheelDay]:
    if entry.kind == EntryKind.PERIOD:
        return [WheelDay(entry.date, entry, "opens"), WheelDay(entry.deadline, entry, "deadline")]
    return [WheelDay(entry.date, entry, entry.kind)]


def wheel_years(strategy: Strategy, year: int) -> tuple[int | None, int | None]:
    """The years before and after `year` the wheel may be turned to (the strategy's years)."""
    earlier = year - 1 if year > strategy.start_year else None
    later = year + 1 if year < strategy.end_year else None
    return earlier, later


def _reports() -> QuerySet[PeriodReport]:
    return PeriodReport.objects.select_related(
        "period__strategy", "organisation", "initiative", "indicator"
    )


def report_get(strategy: Strategy, pk: int) -> PeriodReport:
    return _reports().get(pk=pk, period__strategy=strategy)


def my_reports(strategy: Strategy, user) -> list[PeriodReport]:
    """The tasks of the organisations the user reports for, in the strategy's open periods."""
    if not user.is_authenticated:
        return []
    organisations = [
        pk for pk, roles in roles_by_organisation(user).items() if roles & set(REPORTING_ROLES)
    ]
    return list(
        _reports()
        .filter(period__strategy=strategy, organisation_id__in=organisations)
        .order_by("period__deadline", "status", "organisation__name", "pk")
    )


@dataclass
class Overview:
    period: WheelEntry
    reports: list[PeriodReport]
    today: datetime.date

    @property
    def counts(self) -> Counter:
        return Counter(report.state(self.today) for report in self.reports)


def period_get(strategy: Strategy, pk: int) -> WheelEntry:
    return WheelEntry.objects.select_related("strategy").get(
        pk=pk, strategy=strategy, kind=EntryKind.PERIOD
    )


def period_overview(period: WheelEntry) -> Overview:
    """Who has reported for the period, who is late, and the reminders each was sent with the
    number of people their notification reached (three queries)."""
    reminders = ReportReminder.objects.select_related("event").annotate(
        told=Count("event__notifications")
    )
    reports = list(
        _reports()
        .filter(period=period)
        .prefetch_related(Prefetch("reminders", queryset=reminders))
        .order_by("organisation__name", "pk")
    )
    return Overview(period=period, reports=reports, today=today_in_stockholm())


def _summary(entry: WheelEntry) -> str:
    if entry.kind == EntryKind.PERIOD:
        return _("Reporting period: %(title)s (last day %(deadline)s)") % {
            "title": entry.title,
            "deadline": formats.date_format(entry.deadline, "j F Y"),
        }
    return f"{entry.get_kind_display()}: {entry.title}"


def wheel_calendar(strategy: Strategy) -> str:
    """Every entry of the strategy's wheel as a calendar file, each on whole days: a period from
    its first day to its deadline, a meeting or an adoption on its day."""
    events = [
        ical.CalendarEvent(
            uid=f"wheel-entry-{entry.pk}@{site_host()}",
            starts_at=entry.date,
            ends_at=(entry.deadline or entry.date) + datetime.timedelta(days=1),
            summary=_summary(entry),
            description=entry.description,
            url=public_url(reverse("cycle:wheel", kwargs={"slug": strategy.slug})),
        )
        for entry in wheel_entries(strategy)
    ]
    name = _("Annual wheel: %(strategy)s") % {"strategy": strategy.title}
    return ical.calendar_of(events, now=timezone.now(), name=name)
