"""The demo's annual wheel for the load day's year: a reporting period of the initiatives whose
deadline has just passed, every lead organisation reported but Skellefteå kommun (late); the
indicators' yearly period under way, a few owners reported; the partnership's review meeting and
the adoption of the yearly report. The reports' texts and figures are invented (example data).
Idempotent: a strategy with a wheel is left as it is."""

import datetime

from django.contrib.auth import get_user_model

from mineralstrategi.cycle.models import PeriodReport, WheelEntry
from mineralstrategi.cycle.services import entry_save, period_open, report_submit
from mineralstrategi.reports.followup import latest_year
from mineralstrategi.reports.models import AdoptedReport, ReviewComment
from mineralstrategi.reports.services import (
    YearlyReportDecision,
    adopted_report_print,
    yearly_report_adopt,
    yearly_report_review_comment,
    yearly_report_review_open,
)
from mineralstrategi.strategy.models import Strategy

from .strategy import SLUG
from .timeline import day, moment, today

ADOPTING_BODY = "Regionstyrelsen, Region Västerbotten"  # adopts the yearly report (the wheel's)
REVIEW_COMMENTER = "strateg"  # Region Västerbotten, a partner, comments on the draft under review
LATE_OWNER = "2482"  # Skellefteå kommun: its report on its initiative is late
INDICATOR_REPORTS = 3  # of the indicators' owners, so many have reported so far


def _in_year(value: datetime.date) -> datetime.date:
    """A day after the load day, kept in its year (the wheel shown is this year's)."""
    return min(value, datetime.date(today().year, 12, 31))


def _season(value: datetime.date) -> str:
    return f"{'vår' if value.month <= 6 else 'höst'} {value.year}"


def _entries(strategy) -> list[dict]:
    def after(days: int) -> datetime.date:
        return today() + datetime.timedelta(days=days)

    initiatives_deadline = day(5)
    return [
        {"kind": "period", "title": f"Insatser, {_season(initiatives_deadline)}", "date": day(45),
         "deadline": initiatives_deadline, "asks": "initiatives",
         "description": "Exempeldata: insatsernas huvudmän rapporterar läget."},
        {"kind": "period", "title": f"Helår {today().year}", "date": day(10),
         "deadline": _in_year(after(days=21)), "asks": "indicators",
         "description": "Exempeldata: indikatorägarna rapporterar årets värden."},
        {"kind": "review", "title": "Partnerskapets genomgång av läget",
         "date": _in_year(after(days=10)), "deadline": None, "asks": "",
         "description": "Exempeldata: styrgruppen går igenom rapporterna."},
        {"kind": "adoption", "title": f"Uppföljningsrapporten {today().year} antas",
         "date": _in_year(after(days=20)), "deadline": None, "asks": "",
         "description": "Exempeldata: regionstyrelsen antar årets uppföljningsrapport."},
    ]  # fmt: skip


def _example_report(index: int, report: PeriodReport) -> dict:
    progress = report.initiative.progress if report.initiative_id else 50 + (index * 7) % 40
    state = "at_risk" if index % 4 == 1 else "off_track" if index % 7 == 3 else "on_track"
    return {
        "progress_status": state,
        "progress": progress,
        "done": "Exempel: arbetet under perioden följde planen; delresultat redovisade.",
        "risks": "Exempel: rekryteringen tar längre tid än väntat." if state != "on_track" else "",
        "next_steps": "Exempel: nästa etapp startar efter årsskiftet.",
        "figures": f"Exempel: deltagare {20 + index * 3}; budget förbrukad {30 + index % 50} %",
    }


def _report(reports, user, late_owner: str | None = None, limit: int | None = None) -> int:
    made = 0
    for index, report in enumerate(reports):
        late = (
            late_owner
            and report.organisation.municipality_id
            and (report.organisation.municipality.code == late_owner)
        )
        if late or (limit is not None and made >= limit):
            continue
        report_submit(report, user=user, data=_example_report(index, report))
        PeriodReport.objects.filter(pk=report.pk).update(
            is_example=True, submitted_at=moment(10 + index % 30 if late_owner else 3)
        )
        made += 1
    return made


def cycle_demo_load(result) -> None:
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is None or WheelEntry.objects.filter(strategy=strategy).exists():
        return
    users = get_user_model().objects
    editor, admin = users.get(username="redaktor"), users.get(username="admin")
    entries = []
    for data in _entries(strategy):
        entry = entry_save(strategy, user=editor, data=data)
        WheelEntry.objects.filter(pk=entry.pk).update(is_example=True)
        entries.append(entry)
        result.count("annual wheel entries")
    initiatives, indicators = entries[0], entries[1]
    reports = period_open(initiatives, user=editor, is_example=True)
    _report(reports, admin, late_owner=LATE_OWNER)
    reports = period_open(indicators, user=editor, is_example=True)
    _report(reports, admin, limit=INDICATOR_REPORTS)
    WheelEntry.objects.filter(pk=initiatives.pk).update(opened_at=moment(45, hour=8))
    WheelEntry.objects.filter(pk=indicators.pk).update(opened_at=moment(10, hour=8))
    result.created["period reports"] = PeriodReport.objects.filter(
        period__strategy=strategy
    ).count()


def yearly_report_demo_load(result) -> None:
    """The yearly report of the year before the latest with data, adopted by Regionstyrelsen in
    the spring after (an invented decision, example data), frozen, with its PDF made here as the
    worker would; the latest year's report stays a draft, out for the partnership's review until
    the wheel's review meeting, with one partner's comment. Idempotent."""
    strategy = Strategy.objects.filter(slug=SLUG).first()
    latest = latest_year(strategy) if strategy is not None else None
    if latest is None or AdoptedReport.objects.filter(strategy=strategy).exists():
        return
    year = latest - 1
    editor = get_user_model().objects.get(username="redaktor")
    decided_on = min(datetime.date(year + 1, 4, 24), today())
    report = yearly_report_adopt(
        strategy,
        year,
        user=editor,
        decision=YearlyReportDecision(
            body=ADOPTING_BODY,
            decided_on=decided_on,
            reference=f"RS § 64, RUN {year + 1}/0187",
            note="Exempeltext: uppföljningen redovisades för Regionala utvecklingsnämnden.",
        ),
        is_example=True,
    )
    adopted_report_print(report)
    result.count("adopted yearly reports")
    _draft_under_review(strategy, latest, editor)


def _draft_under_review(strategy, year: int, editor) -> None:
    review = yearly_report_review_open(
        strategy, year, user=editor, closes_on=_in_year(today() + datetime.timedelta(days=10))
    )
    AdoptedReport.objects.filter(pk=review.pk).update(review_opened_at=moment(6, hour=9))
    commenter = get_user_model().objects.get(username=REVIEW_COMMENTER)
    comment = yearly_report_review_comment(
        strategy,
        year,
        user=commenter,
        body="Exempeltext: avsnittet om sysselsättningen bör nämna att siffrorna för det senaste "
        "året är preliminära. I övrigt inga invändningar från Region Västerbotten.",
    )
    ReviewComment.objects.filter(pk=comment.pk).update(created_at=moment(2, hour=14))
