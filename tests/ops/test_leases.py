"""Leases in one process: expiry takes a task back once per attempt, the limit fails it with the
reason, and the records of imports, PDFs and follow-up reports end up saying what happened."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mineralstrategi.indicators.models import ImportJob, Indicator, Observation
from mineralstrategi.indicators.services import import_stalled_fail
from mineralstrategi.indicators.tasks import import_file
from mineralstrategi.ops.leases import (
    lease_finish,
    lease_renew,
    lease_take,
    leases_expired_reclaim,
)
from mineralstrategi.ops.models import TaskLease
from mineralstrategi.printing.models import PrintedDocument
from mineralstrategi.printing.services import printed
from mineralstrategi.printing.tasks import print_document

from .test_recovery import an_import


@pytest.fixture
def indicator(region_vasterbotten):
    return Indicator.objects.create(
        code="test-ind", name="Test", unit="st", owner=region_vasterbotten
    )


def claimed(task_result, worker: str) -> DBTaskResult:
    task = DBTaskResult.objects.get(pk=task_result.id)
    task.claim(worker)
    return task


def expire(task: DBTaskResult) -> None:
    TaskLease.objects.filter(task=task).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_a_lease_renewed_holds_and_an_expired_one_is_taken_back_once(indicator, tmp_path):
    task = claimed(import_file.enqueue(an_import(indicator, tmp_path, "a").pk), "host-a-1")
    lease = lease_take(task.pk, "host-a-1")
    assert lease_renew(lease)
    assert leases_expired_reclaim() == (0, 0)

    expire(task)

    assert leases_expired_reclaim() == (1, 0)
    assert leases_expired_reclaim() == (0, 0)  # once per attempt
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert not lease_renew(lease)  # the first worker, back, holds it no more
    assert lease_finish(lease, lambda: task.set_successful("done")) is False
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY  # its outcome was not recorded


def test_a_task_claimed_without_a_lease_is_taken_back_once_a_lease_has_passed(
    indicator, tmp_path, settings
):
    task = claimed(import_file.enqueue(an_import(indicator, tmp_path, "a").pk), "old-worker")
    assert leases_expired_reclaim() == (0, 0)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS + 1)
    )
    assert leases_expired_reclaim() == (1, 0)


def test_an_import_whose_workers_all_stopped_fails_with_the_reason_after_the_limit(
    indicator, tmp_path, settings, client, django_user_model
):
    settings.TASK_MAX_ATTEMPTS = 2
    job = an_import(indicator, tmp_path, "doomed")
    result = import_file.enqueue(job.pk)
    for attempt, worker in enumerate(["host-a-1", "host-b-1"], start=1):
        task = claimed(result, worker)
        assert lease_take(task.pk, worker).attempt == attempt
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
        expire(task)
        leases_expired_reclaim()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert "stopped during every attempt (2:" in task.traceback
    assert "host-a-1, host-b-1" in task.traceback
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "stopped during every attempt (2:" in job.errors_english[0]


def test_an_import_failed_as_stalled_is_done_when_its_requeued_task_runs(
    indicator, tmp_path, run_tasks
):
    job = an_import(indicator, tmp_path, "late")
    task = claimed(import_file.enqueue(job.pk), "lost-host-1")
    lease_take(task.pk, "lost-host-1")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, running_since=timezone.now() - timedelta(hours=1)
    )
    job.refresh_from_db()
    assert import_stalled_fail(job, after_seconds=900)  # the page said so, meanwhile
    expire(task)
    leases_expired_reclaim()

    run_tasks()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.errors_english == []
    assert Observation.objects.filter(import_job=job).count() == 2
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert TaskLease.objects.get(task=task).attempt == 2


def test_the_worker_records_each_attempt_on_the_lease(indicator, tmp_path, run_tasks):
    job = an_import(indicator, tmp_path, "once")
    result = import_file.enqueue(job.pk)

    run_tasks()

    lease = TaskLease.objects.get(task_id=result.id)
    assert (lease.attempt, lease.expires_at) == (1, None)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_a_pdf_whose_task_was_given_up_says_it_failed(db, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    document = printed(
        kind="test", key=1, html="<p>x</p>", stylesheets=[], language="sv", file_name="x.pdf"
    )
    task = claimed(print_document.enqueue(document.pk), "host-a-1")
    lease_take(task.pk, "host-a-1")
    PrintedDocument.objects.filter(pk=document.pk).update(status=PrintedDocument.Status.RUNNING)
    expire(task)

    assert leases_expired_reclaim() == (0, 1)

    document.refresh_from_db()
    assert document.status == PrintedDocument.Status.FAILED
    assert "stopped during every attempt (1:" in document.error


def test_a_followup_report_whose_task_was_given_up_may_be_asked_for_again(
    region_vasterbotten, settings, superuser
):
    from mineralstrategi.reports.models import FollowupReport
    from mineralstrategi.reports.services import followup_report_request
    from mineralstrategi.reports.tasks import make_followup_report
    from tests.strategy.conftest import make_strategy

    settings.TASK_MAX_ATTEMPTS = 1
    strategy = make_strategy(region_vasterbotten)
    report = followup_report_request(strategy=strategy, year=2025, user=superuser)
    task = claimed(make_followup_report.enqueue(report.pk, "sv"), "host-a-1")
    lease_take(task.pk, "host-a-1")
    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.RUNNING)
    expire(task)

    assert leases_expired_reclaim() == (0, 1)

    report.refresh_from_db()
    assert report.status == FollowupReport.Status.FAILED
    assert "stopped during every attempt (1:" in report.error
    again = followup_report_request(strategy=strategy, year=2025, user=superuser)
    assert again.pk != report.pk  # no longer "being made": a new one is queued
