"""The reads of the yearly follow-up cycle, each in a fixed number of queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mineralstrategi import ical
from mineralstrategi.implementation.models import InitiativeSection
from mineralstrategi.implementation.rollup import Node
from mineralstrategi.indicators.models import GeographyLevel, Indicator, IndicatorLink, Observation
from mineralstrategi.indicators.selectors import POINT_FIELDS, Series, status_for
from mineralstrategi.links import public_url, site_host
from mineralstrategi.organisations.visibility import roles_by_organisation
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy.models import SectionKind, Strategy

from . import lights as lights_rules
from .models import (
    EntryKind,
    PeriodReport,
    ReportReminder,
    ReportStatus,
    WheelEntry,
    today_in_stockholm,
)
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


# --- Traffic lights -----------------------------------------------------------------------------

#: The earlier periods of the same kind a lights page shows beside the period (its history).
HISTORY_PERIODS = 4


@dataclass
class SubjectLights:
    """One initiative or indicator: its light in the period, where it came from ("reported",
    "computed" or ""), and its lights in the earlier periods (None: not asked then)."""

    report: PeriodReport
    light: str
    source: str
    history: list[str | None]


@dataclass
class SectionLights:
    section: object  # strategy.Section, with .outline
    lights: lights_rules.GroupLights


@dataclass
class PeriodLights:
    period: WheelEntry
    subjects: list[SubjectLights]
    sections: list[SectionLights]
    earlier: list[WheelEntry]
    as_of: datetime.date
    overdue: int
    data_until: int

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(subject.light for subject in self.subjects)
        return {light: counted[light] for light in lights_rules.LIGHTS}

    @property
    def light(self) -> str | None:
        return lights_rules.rolled_up(subject.light for subject in self.subjects)


def _computed_lights(strategy: Strategy, indicator_ids: set[int], years: set[int]) -> dict:
    """(indicator id, year) -> the light of its computed status on values up to the year, at the
    strategy's counties (two queries: the indicators with their targets, their observations)."""
    if not indicator_ids:
        return {}
    indicators = Indicator.objects.filter(pk__in=indicator_ids).prefetch_related("targets")
    indicators = {indicator.pk: indicator for indicator in indicators}
    counties = [county.code for county in strategy.counties.all()]
    rows = (
        Observation.objects.filter(
            indicator__in=list(indicators),
            geo_level=GeographyLevel.COUNTY,
            geo_code__in=counties,
            period__lte=f"{max(years)}~",
        )
        .order_by("indicator", "geo_code", "period")
        .values_list(*POINT_FIELDS, "breakdown", named=True)
    )
    points: dict[tuple[int, str], list] = {}
    for row in rows:
        if row.breakdown == indicators[row.indicator_id].headline_breakdown:
            points.setdefault((row.indicator_id, row.geo_code), []).append(row)
    computed = {}
    for pk, indicator in indicators.items():
        for year in years:
            codes = []
            for code in counties:
                kept = [p for p in points.get((pk, code), []) if p.period[:4] <= str(year)]
                series = Series(GeographyLevel.COUNTY, code, code, kept)
                target = next((t for t in indicator.targets.all() if t.geo_code == code), None)
                verdict = status_for(series, target, indicator)
                codes.append(str(verdict.status) if verdict.ok else "unknown")
            computed[pk, year] = lights_rules.computed_light(codes)
    return computed


def _data_year(period: WheelEntry) -> int:
    """Indicators are judged on the calendar years complete before the period's deadline."""
    return period.deadline.year - 1


def period_lights(period: WheelEntry) -> PeriodLights:
    """Each initiative's or indicator's light in the period (its owner's report, else for an
    indicator its computed status, else not reported), in the earlier periods of the same kind,
    and rolled up per direction and goal of the strategy (a fixed number of queries)."""
    strategy = period.strategy
    earlier = list(
        WheelEntry.objects.filter(
            strategy=strategy, kind=EntryKind.PERIOD, asks=period.asks, date__lt=period.date
        )
        .exclude(opened_at=None)
        .order_by("-date")[:HISTORY_PERIODS]
    )[::-1]
    periods = [*earlier, period]
    reports = list(
        _reports().filter(period__in=periods).order_by("initiative__title", "indicator__name")
    )
    by_subject: dict[tuple, dict[int, PeriodReport]] = {}
    for report in reports:
        by_subject.setdefault(_subject_of(report), {})[report.period_id] = report
    indicator_ids = {report.indicator_id for report in reports if report.indicator_id}
    computed = _computed_lights(strategy, indicator_ids, {_data_year(p) for p in periods})

    def lit(report: PeriodReport | None, in_period: WheelEntry) -> tuple[str, str]:
        if report is None:
            return None, ""
        reported = report.progress_status if report.status == ReportStatus.SUBMITTED else ""
        calculated = computed.get((report.indicator_id, _data_year(in_period)))
        light = lights_rules.light_of(reported, calculated)
        return light, "reported" if reported else "computed" if calculated else ""

    subjects = []
    for found in by_subject.values():
        report = found.get(period.pk)
        if report is None:
            continue
        light, source = lit(report, period)
        history = [lit(found.get(p.pk), p)[0] for p in earlier]
        subjects.append(SubjectLights(report, light, source, history))
    return PeriodLights(
        period=period,
        subjects=subjects,
        sections=_section_lights(strategy, subjects),
        earlier=earlier,
        as_of=_as_of(period, [s.report for s in subjects]),
        overdue=sum(1 for s in subjects if s.report.state() == "late"),
        data_until=_data_year(period),
    )


def _subject_of(report: PeriodReport) -> tuple[str, int]:
    if report.initiative_id:
        return ("initiative", report.initiative_id)
    return ("indicator", report.indicator_id)


def _as_of(period: WheelEntry, reports: list[PeriodReport]) -> datetime.date:
    """The day of the latest report, else the day the period opened."""
    moments = [r.submitted_at for r in reports if r.submitted_at] or [period.opened_at]
    return today_in_stockholm(max(moments))


def _section_lights(strategy: Strategy, subjects: list[SubjectLights]) -> list[SectionLights]:
    """The directions and goals of the public version (else the draft), each with the lights of
    the initiatives that serve it and the indicators linked to it, its subtree's counted once."""
    if not hasattr(strategy, "all_versions"):
        strategy = strategy_selectors.strategy_get(pk=strategy.pk)
    version = strategy_selectors.strategy_public_version(
        strategy
    ) or strategy_selectors.strategy_working_draft(strategy)
    tree = strategy_selectors.section_tree(version, with_links=False)
    keys: dict[tuple, set[str]] = {}
    initiatives = [s.report.initiative_id for s in subjects if s.report.initiative_id]
    for pk, key in InitiativeSection.objects.filter(initiative__in=initiatives).values_list(
        "initiative_id", "section_key"
    ):
        keys.setdefault(("initiative", pk), set()).add(str(key))
    indicators = [s.report.indicator_id for s in subjects if s.report.indicator_id]
    for pk, key in IndicatorLink.objects.filter(
        strategy=strategy, indicator__in=indicators
    ).values_list("indicator_id", "section_key"):
        keys.setdefault(("indicator", pk), set()).add(str(key))
    lit = [
        lights_rules.Lit(
            _subject_of(s.report), s.light, frozenset(keys.get(_subject_of(s.report), ()))
        )
        for s in subjects
    ]
    flat = lights_rules.flatten(lights_rules.roll_up(_nodes(tree), lit))
    return [
        SectionLights(section, flat[str(section.key)])
        for section in strategy_selectors.flatten(tree)
        if section.kind in (SectionKind.DIRECTION, SectionKind.GOAL)
    ]


def _nodes(sections) -> list[Node]:
    return [Node(str(s.key), _nodes(s.subsections)) for s in sections]


def latest_lights(strategy: Strategy) -> list[PeriodLights]:
    """The lights of the latest opened period of each kind (initiatives, indicators)."""
    periods = (
        WheelEntry.objects.filter(strategy=strategy, kind=EntryKind.PERIOD)
        .exclude(opened_at=None)
        .select_related("strategy")
        .order_by("-date")
    )
    latest: dict[str, WheelEntry] = {}
    for period in periods:
        period.strategy = strategy
        latest.setdefault(period.asks, period)
    return [period_lights(period) for period in sorted(latest.values(), key=lambda p: p.date)]


@dataclass(frozen=True)
class PeriodLight:
    """A subject's light in one reporting period, as its own page shows the history."""

    period: WheelEntry
    light: str
    reported_on: datetime.date | None


def initiative_lights(initiative, user) -> dict | None:
    """The initiative's light in each reporting period it was asked in, oldest first: the part of
    its page registered in `organisations.profiles`. None when it was never asked, or when the
    strategy's wheel is not yet public and the user is not of its partnership."""
    reports = (
        PeriodReport.objects.filter(initiative=initiative)
        .exclude(period__opened_at=None)
        .select_related("period")
        .order_by("period__date")
    )
    history = []
    for report in reports:
        submitted = report.status == ReportStatus.SUBMITTED
        reported = report.progress_status if submitted else ""
        history.append(
            PeriodLight(
                period=report.period,
                light=lights_rules.light_of(reported),
                reported_on=today_in_stockholm(report.submitted_at) if submitted else None,
            )
        )
    if not history:
        return None
    strategy = strategy_selectors.strategy_get(pk=initiative.strategy_id)
    if not is_public(strategy) and not user.has_perm("strategy.view_draft", strategy):
        return None
    return {"history": history, "strategy": strategy}
