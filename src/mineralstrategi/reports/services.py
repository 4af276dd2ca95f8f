"""Writes: requesting a follow-up report and making its PDF (in the task worker or the CLI)."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mineralstrategi.pdf import render_pdf
from mineralstrategi.services import acting_user, failure_text

from .followup import followup_for
from .models import FollowupReport

PROGRESS_TIMEOUT = 60 * 60
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
    pdf = render_pdf(html, ["mineralstrategi/css/followup-pdf.css"])
    report(100)
    return pdf


def followup_report_request(
    *, strategy, year: int, user=None, language: str = "sv"
) -> FollowupReport:
    """Create the report's record and queue its making (after the transaction commits)."""
    from .tasks import make_followup_report

    with transaction.atomic():
        report = FollowupReport.objects.create(
            strategy=strategy,
            year=year,
            requested_by=acting_user(user),
        )
        transaction.on_commit(lambda: make_followup_report.enqueue(report.pk, language))
    return report


def followup_report_make(report: FollowupReport, *, language: str = "sv") -> FollowupReport:
    """Make the PDF of a requested report, reporting progress; a failure is recorded, not raised."""
    cache = caches["progress"]

    def progress(percent: int) -> None:
        cache.set(progress_key(report.pk), percent, PROGRESS_TIMEOUT)

    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.RUNNING)
    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.token.hex}.pdf"
    try:
        with translation.override(language):
            pdf = followup_pdf(report.strategy, report.year, progress=progress)
        path.write_bytes(pdf)
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
            stored_file=str(path),
            finished_at=timezone.now(),
        )
    cache.delete(progress_key(report.pk))
    report.refresh_from_db()
    return report


def report_progress(report: FollowupReport) -> int:
    if report.status == FollowupReport.Status.DONE:
        return 100
    return caches["progress"].get(progress_key(report.pk)) or report.progress
