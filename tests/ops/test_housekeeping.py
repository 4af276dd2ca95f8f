"""Housekeeping: each job removes what is older than its setting, keeps what is recent and logs
a line saying what it removed; a due job is claimed by one scheduler only."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mineralstrategi.indicators.models import ImportJob, Indicator
from mineralstrategi.indicators.services import import_create, import_store_upload
from mineralstrategi.indicators.tasks import import_file
from mineralstrategi.ops.housekeeping import JOBS, due_jobs_run, job_claim
from mineralstrategi.ops.models import ScheduledJob
from mineralstrategi.organisations.models import Invitation, Role

LOGGER = "mineralstrategi.ops.housekeeping"


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return lambda: [r.getMessage() for r in caplog.records if r.name == LOGGER]


def run(name: str) -> None:
    call_command("housekeeping", "--now")  # every job; the one asked for among them
    assert name in JOBS


def finished_task(days: int, status=TaskResultStatus.SUCCESSFUL) -> str:
    result = import_file.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=days_ago(days))
    return str(result.id)


def test_finished_task_results_older_than_the_setting_are_removed(db, settings, lines):
    settings.TASK_RESULTS_KEEP_DAYS = 30
    finished_task(31), finished_task(40, TaskResultStatus.FAILED)
    recent = finished_task(29)
    waiting = str(import_file.enqueue(0).id)

    run("prune_task_results")

    kept = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert kept == {recent, waiting}
    assert (
        "housekeeping prune_task_results: removed 2 finished task results older than 30 days"
        in lines()
    )


def test_expired_sessions_are_cleared(db, lines):
    expired, current = SessionStore(), SessionStore()
    expired.set_expiry(1)
    for session in (expired, current):
        session["x"] = 1
        session.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=days_ago(1))

    run("clear_sessions")

    assert list(Session.objects.values_list("pk", flat=True)) == [current.session_key]
    assert "housekeeping clear_sessions: removed 1 expired sessions" in lines()


def test_old_login_attempts_and_logs_are_removed(db, settings, lines):
    settings.LOGIN_ATTEMPTS_KEEP_DAYS = 90
    fields = {"user_agent": "x", "ip_address": "10.0.0.1", "username": "a", "path_info": "/"}
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        old = model.objects.create(**fields, **extra)
        model.objects.filter(pk=old.pk).update(attempt_time=days_ago(91))
        model.objects.create(**{**fields, "username": "recent"}, **extra)

    run("prune_login_attempts")

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("username", flat=True)) == ["recent"]
    assert (
        "housekeeping prune_login_attempts: removed 1 login attempts, 1 access logs and 1 "
        "failed login logs older than 90 days"
    ) in lines()


class Upload:
    def __init__(self, name: str):
        self.name = name

    def chunks(self):
        yield b"geo,period,value\n2482,2020,10\n"


def test_uploaded_files_of_imports_finished_long_ago_are_deleted(
    region_vasterbotten, settings, tmp_path, lines
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_FILES_KEEP_DAYS = 90
    indicator = Indicator.objects.create(
        code="test-ind", name="Test", unit="st", owner=region_vasterbotten
    )
    operators_own = tmp_path / "own.csv"
    operators_own.write_bytes(b"geo,period,value\n2482,2020,10\n")
    names = {
        "old": import_store_upload(Upload("old.csv")),
        "recent": import_store_upload(Upload("recent.csv")),
    }
    jobs = {
        name: import_create(
            stored_file=stored,
            file_name=f"{name}.csv",
            kind=ImportJob.Kind.OBSERVATIONS,
            indicator=indicator,
        )
        for name, stored in names.items()
    }
    jobs["cli"] = import_create(
        path=operators_own,
        file_name="own.csv",
        kind=ImportJob.Kind.OBSERVATIONS,
        indicator=indicator,
    )
    for name, age in {"old": 91, "recent": 10, "cli": 91}.items():
        ImportJob.objects.filter(pk=jobs[name].pk).update(
            status=ImportJob.Status.DONE, finished_at=days_ago(age)
        )

    run("delete_import_files")

    assert not default_storage.exists(names["old"])
    assert default_storage.exists(names["recent"]) and operators_own.exists()
    stored = dict(ImportJob.objects.values_list("file_name", "stored_file"))
    assert stored["old.csv"] == "" and stored["recent.csv"] == names["recent"]
    assert ImportJob.objects.count() == 3  # the jobs and their logs stay
    assert (
        "housekeeping delete_import_files: removed 1 uploaded files of imports finished more "
        "than 90 days ago and ended 0 uploads not confirmed in their preview within 7 days"
    ) in lines()


def test_uploads_never_confirmed_in_their_preview_are_ended_and_their_files_deleted(
    client, make_member, region_vasterbotten, settings, lines
):
    """An upload whose preview nobody confirmed keeps no file after IMPORT_UNCONFIRMED_KEEP_DAYS;
    its starter's import page says why, and a confirmed one waiting for the worker is left."""
    settings.IMPORT_UNCONFIRMED_KEEP_DAYS = 7
    indicator = Indicator.objects.create(
        code="test-ind", name="Test", unit="st", owner=region_vasterbotten
    )
    starter = make_member(region_vasterbotten)
    names = {name: import_store_upload(Upload(f"{name}.csv")) for name in ("left", "queued", "new")}
    jobs = {
        name: import_create(
            stored_file=stored,
            file_name=f"{name}.csv",
            kind=ImportJob.Kind.OBSERVATIONS,
            indicator=indicator,
            user=starter,
        )
        for name, stored in names.items()
    }
    import_file.enqueue(jobs["queued"].pk)  # confirmed; the worker has not run it yet
    for name, age in {"left": 8, "queued": 8, "new": 2}.items():
        ImportJob.objects.filter(pk=jobs[name].pk).update(created_at=days_ago(age))

    run("delete_import_files")

    assert not default_storage.exists(names["left"])
    assert default_storage.exists(names["queued"]) and default_storage.exists(names["new"])
    status = dict(ImportJob.objects.values_list("file_name", "status"))
    assert status == {"left.csv": "failed", "queued.csv": "pending", "new.csv": "pending"}
    assert any("ended 1 uploads not confirmed in their preview within 7 days" in line
               for line in lines())  # fmt: skip
    client.force_login(starter)
    page = client.get(reverse("indicators:import_detail", args=[jobs["left"].pk]))
    assert "left.csv: the upload was not confirmed in its preview" in page.content.decode()
    preview = client.get(reverse("indicators:import_preview", args=[jobs["left"].pk]))
    assert preview.status_code == 302  # to the page that says why


def test_invitations_expired_or_revoked_long_ago_are_deleted(
    region_vasterbotten, settings, lines, superuser
):
    settings.INVITATIONS_KEEP_DAYS = 30

    def invitation(email: str, **dates) -> Invitation:
        return Invitation.objects.create(
            organisation=region_vasterbotten,
            email=email,
            role=Role.VIEWER,
            expires_at=dates.pop("expires_at", timezone.now() + timedelta(days=7)),
            **dates,
        )

    invitation("expired@example.se", expires_at=days_ago(31))
    invitation("revoked@example.se", revoked_at=days_ago(40))
    invitation("accepted@example.se", expires_at=days_ago(100), accepted_at=days_ago(101))
    invitation("lately@example.se", expires_at=days_ago(5))
    invitation("open@example.se")

    run("delete_expired_invitations")

    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "accepted@example.se",
        "lately@example.se",
        "open@example.se",
    ]
    assert (
        "housekeeping delete_expired_invitations: removed 2 invitations expired or revoked "
        "more than 30 days ago"
    ) in lines()


def test_a_due_job_is_run_by_one_scheduler_only(db, lines):
    job = JOBS["clear_sessions"]
    now = timezone.now()
    ScheduledJob.objects.create(name=job.name, next_run_at=now - timedelta(minutes=1))
    stale = ScheduledJob.objects.get(name=job.name)  # what the second scheduler had read

    assert job_claim(job, "host-a-scheduler", now)
    assert not job_claim(job, "host-b-scheduler", now)
    assert not ScheduledJob.objects.filter(
        name=job.name, next_run_at=stale.next_run_at
    ).exists()  # its conditional UPDATE finds nothing

    row = ScheduledJob.objects.get(name=job.name)
    assert row.last_run_by == "host-a-scheduler"
    assert row.next_run_at == now + job.every


def test_the_scheduler_runs_each_job_when_due_and_not_again_until_the_next_day(db, lines):
    assert set(due_jobs_run("host-a-scheduler")) == set(JOBS)  # the first time: all are due
    assert due_jobs_run("host-b-scheduler") == {}
    assert len(lines()) == len(JOBS)
    ScheduledJob.objects.filter(name="clear_sessions").update(next_run_at=days_ago(0))

    assert list(due_jobs_run("host-b-scheduler")) == ["clear_sessions"]
    row = ScheduledJob.objects.get(name="clear_sessions")
    assert (row.last_run_by, row.last_outcome) == ("host-b-scheduler", "removed 0 expired sessions")


def test_housekeeping_by_hand_needs_now(db):
    with pytest.raises(CommandError, match="--now"):
        call_command("housekeeping")
