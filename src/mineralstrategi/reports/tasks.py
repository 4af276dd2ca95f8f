"""Background work: the follow-up report's PDF is made in the task worker, with its progress."""

from django_tasks import task

from mineralstrategi.services import on_task_failure

from .models import AdoptedReport, FollowupReport
from .services import (
    adopted_report_print,
    adopted_report_print_abandon,
    followup_report_abandon,
    followup_report_make,
)


@task()
def make_followup_report(report_id: int, language: str = "sv") -> str:
    report = FollowupReport.objects.select_related("strategy").get(pk=report_id)
    if report.status not in (FollowupReport.Status.PENDING, FollowupReport.Status.RUNNING):
        return report.status  # already made: a task delivered twice does the work once
    # RUNNING: the worker making it died (see ops.leases); make it again.
    return followup_report_make(report, language=language).status


@on_task_failure(make_followup_report)
def _make_followup_report_failed(report_id: int, language: str = "sv", *, reason: str) -> None:
    followup_report_abandon(report_id, reason=reason)


@task()
def make_adopted_report_pdf(report_id: int) -> str:
    """The adopted yearly report's PDF, made once from its frozen document."""
    report = AdoptedReport.objects.select_related("strategy").get(pk=report_id)
    return adopted_report_print(report).pdf_status


@on_task_failure(make_adopted_report_pdf)
def _make_adopted_report_pdf_failed(report_id: int, *, reason: str) -> None:
    adopted_report_print_abandon(report_id, reason=reason)
