"""Housekeeping: what the deployment prunes once a day, whatever the number of its servers.

Each job has a `ScheduledJob` row; a scheduler (`manage scheduler`, started by `serve`) claims a
due job by moving its `next_run_at` on from the value it read, in one conditional UPDATE, and
runs it only if that UPDATE changed the row: with schedulers on every server, one of them runs
each job each day. `manage housekeeping --now` runs every job at once by hand. Each job keeps
what is recent (its setting, in days) and logs one line saying what it removed.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from .models import ScheduledJob

logger = logging.getLogger(__name__)

EVERY = timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime], str]  # given the time now, does the work and says what it did
    every: timedelta = EVERY


def _days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def prune_task_results(now: datetime) -> str:
    from django_tasks_db.models import DBTaskResult

    days = settings.TASK_RESULTS_KEEP_DAYS
    old = DBTaskResult.objects.finished().filter(finished_at__lt=_days_ago(now, days))
    deleted = old.delete()[1].get(DBTaskResult._meta.label, 0)  # not counting their leases
    return f"removed {deleted} finished task results older than {days} days"


def clear_sessions(now: datetime) -> str:
    from django.contrib.sessions.models import Session

    before = Session.objects.count()
    call_command("clearsessions", stdout=StringIO())
    return f"removed {before - Session.objects.count()} expired sessions"


def prune_login_attempts(now: datetime) -> str:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    days = settings.LOGIN_ATTEMPTS_KEEP_DAYS
    old = Q(attempt_time__lt=_days_ago(now, days))
    counts = [model.objects.filter(old).delete()[0] for model in (AccessAttempt, AccessLog)]
    failures = AccessFailureLog.objects.filter(old).delete()[0]
    return (
        f"removed {counts[0]} login attempts, {counts[1]} access logs and {failures} failed "
        f"login logs older than {days} days"
    )


def delete_import_files(now: datetime) -> str:
    from mineralstrategi.indicators.services import import_files_delete, imports_unconfirmed_end

    days = settings.IMPORT_FILES_KEEP_DAYS
    deleted = import_files_delete(older_than=_days_ago(now, days))
    unconfirmed_days = settings.IMPORT_UNCONFIRMED_KEEP_DAYS
    ended = imports_unconfirmed_end(created_before=_days_ago(now, unconfirmed_days))
    return (
        f"removed {deleted} uploaded files of imports finished more than {days} days ago and "
        f"ended {ended} uploads not confirmed in their preview within {unconfirmed_days} days"
    )


def delete_expired_invitations(now: datetime) -> str:
    from mineralstrategi.organisations.services import invitations_expired_delete

    days = settings.INVITATIONS_KEEP_DAYS
    deleted = invitations_expired_delete(older_than=_days_ago(now, days))
    return f"removed {deleted} invitations expired or revoked more than {days} days ago"


JOBS = {
    job.name: job
    for job in [
        Job("prune_task_results", prune_task_results),
        Job("clear_sessions", clear_sessions),
        Job("prune_login_attempts", prune_login_attempts),
        Job("delete_import_files", delete_import_files),
        Job("delete_expired_invitations", delete_expired_invitations),
    ]
}


def job_claim(job: Job, scheduler_id: str, now: datetime) -> bool:
    """Take the job's run that is due now, if no other scheduler took it first."""
    row, _created = ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    if row.next_run_at > now:
        return False
    return bool(
        ScheduledJob.objects.filter(name=job.name, next_run_at=row.next_run_at).update(
            next_run_at=now + job.every, last_run_by=scheduler_id, last_started_at=now
        )
    )


def job_run(job: Job, now: datetime | None = None) -> str:
    """Run one job, log what it removed and record it on the job's row."""
    now = now or timezone.now()
    try:
        outcome = job.run(now)
    except Exception as error:  # noqa: BLE001 (logged and recorded; the other jobs go on)
        logger.exception("housekeeping %s failed", job.name)
        outcome = f"failed: {error}"
    else:
        logger.info("housekeeping %s: %s", job.name, outcome)
    ScheduledJob.objects.filter(name=job.name).update(
        last_finished_at=timezone.now(), last_outcome=outcome
    )
    return outcome


def due_jobs_run(scheduler_id: str) -> dict[str, str]:
    """Run the jobs that are due and that this scheduler claimed; their outcomes by name."""
    now = timezone.now()
    return {
        name: job_run(job, now) for name, job in JOBS.items() if job_claim(job, scheduler_id, now)
    }


def all_jobs_run() -> dict[str, str]:
    """Run every job at once (`manage housekeeping --now`), whatever their schedule."""
    return {name: job_run(job) for name, job in JOBS.items()}
