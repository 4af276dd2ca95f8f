"""Writes: requesting a follow-up report and making its PDF (in the task worker or the CLI)."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mineralstrategi.limits.services import Limit, LimitReached, fingerprint, take
from mineralstrategi.pdf import render_pdf
from mineralstrategi.services import acting_user, failure_text

from .followup import followup_for
from .models import FollowupReport

PROGRESS_TIMEOUT = 60 * 60
HOUR = 60 * 60
ProgressCallback = Callable[[int], None]  # called with a percentage


def progress_key(report_id: int) -> str:
    return f"followup-report-progress-{report_id}"


def report_context(strategy, year: int, *, progress: ProgressCallback | None = None) -> dict:
    followup = followup_for(strategy, year, progress=progress)
    return {
        "followup": followup,
        "strategy": strategy,
        "year": year,
        "printed_at": timezone.localdate(),
    }


def followup_pdf(strategy, year: int, *, progress: ProgressCallback | None = None) -> bytes:
    """The yearly follow-up report as PDF: charts as SVG, tables, verdicts per direction."""
    report = progress or (lambda percent: None)
    report(5)
    context = report_context(strategy, year, progress=report)
    context["pdf"] = True  # the annex of figures stays in the HTML version (PDF time, see RESULTS)
    html = render_to_string("reports/followup_pdf.html", context)
    report(85)
    pdf = render_pdf(
        html,
        ["mineralstrategi/css/followup-pdf.css"],
        progress=lambda percent: report(85 + percent * 14 // 100),  # the layout: 85–99 %
    )
    report(100)
    return pdf


class TooManyReports(Exception):
    """The person has asked for FOLLOWUP_REPORTS_PER_HOUR reports within the last hour.
    `retry_after`: seconds until the next may be asked for."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many reports: try again in {retry_after} seconds")
        self.retry_after = retry_after


def _being_made(*, strategy, year: int, user):
    return FollowupReport.objects.filter(
        requested_by=user,
        strategy=strategy,
        year=year,
        status__in=[FollowupReport.Status.PENDING, FollowupReport.Status.RUNNING],
    ).first()


def followup_report_request(
    *, strategy, year: int, user=None, language: str = "sv"
) -> FollowupReport:
    """Create the report's record and queue its making (after the transaction commits). A
    person has one report of a strategy and year made at a time: while one is waiting or being
    made, asking again gives that one. Each new report counts against the person's
    FOLLOWUP_REPORTS_PER_HOUR; over it, TooManyReports and nothing is queued."""
    from .tasks import make_followup_report

    requester = acting_user(user)
    with transaction.atomic():
        if requester is not None:
            pending = _being_made(strategy=strategy, year=year, user=requester)
            if pending is not None:
                return pending
        try:
            with transaction.atomic():
                report = FollowupReport.objects.create(
                    strategy=strategy, year=year, requested_by=requester
                )
        except IntegrityError:  # asked for twice at once: the other request's is the one
            pending = _being_made(strategy=strategy, year=year, user=requester)
            if pending is None:
                raise
            return pending
        if requester is not None:
            per_hour = settings.MINERALSTRATEGI["FOLLOWUP_REPORTS_PER_HOUR"]
            try:
                take(
                    {fingerprint("followup-report:user", str(requester.pk)): Limit(per_hour, HOUR)}
                )
            except LimitReached as reached:
                raise TooManyReports(reached.retry_after) from reached
        transaction.on_commit(lambda: make_followup_report.enqueue(report.pk, language))
    return report


def followup_report_make(report: FollowupReport, *, language: str = "sv") -> FollowupReport:
    """Make the PDF of a requested report, reporting progress; a failure is recorded, not raised."""
    cache = caches["progress"]

    def progress(percent: int) -> None:
        cache.set(progress_key(report.pk), percent, PROGRESS_TIMEOUT)

    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.RUNNING)
    try:
        with translation.override(language):
            pdf = followup_pdf(report.strategy, report.year, progress=progress)
        name = default_storage.save(f"reports/{report.token.hex}.pdf", ContentFile(pdf))
    except Exception as error:  # noqa: BLE001 (recorded for the user; the worker goes on)
        FollowupReport.objects.filter(pk=report.pk).update(
            status=FollowupReport.Status.FAILED,
            error=failure_text(error, 2000),
            finished_at=timezone.now(),
        )
    else:
        FollowupReport.objects.filter(pk=report.pk).update(
            status=FollowupReport.Status.DONE,
            progress=100,
            stored_file=name,
            finished_at=timezone.now(),
        )
    cache.delete(progress_key(report.pk))
    report.refresh_from_db()
    return report


def followup_report_abandon(report_id: int, *, reason: str) -> None:
    """A report whose task failed without making it (`services.on_task_failure`) is failed,
    with the reason, so that its person may ask again."""
    FollowupReport.objects.filter(
        pk=report_id, status__in=[FollowupReport.Status.PENDING, FollowupReport.Status.RUNNING]
    ).update(status=FollowupReport.Status.FAILED, error=reason, finished_at=timezone.now())


def report_progress(report: FollowupReport) -> int:
    if report.status == FollowupReport.Status.DONE:
        return 100
    return caches["progress"].get(progress_key(report.pk)) or report.progress
