"""Leases: tasks that survive the loss of the host that ran them.

A worker (`manage task_worker`, `ops.worker`) takes a lease on each task it starts: its own id,
the attempt's number and an expiry `TASK_LEASE_SECONDS` ahead, which a keeper thread renews
every third of that while the task runs. A worker killed with its host (kill -9, power loss, a
container gone) renews nothing; once its lease has expired, the keeper of any other worker, on
any host, puts the task back in the queue, or, after `TASK_MAX_ATTEMPTS` attempts, marks it
failed with the reason and sends django-tasks' `task_finished`, so that the domain records of
the task (an import, a PDF) say it failed (`services.on_task_failure`).

Renewal and expiry exclude each other on the lease's row: a renewal only extends a lease that
has not expired, and the keeper only takes leases that have, rows locked with SKIP LOCKED (on
SQLite, one writer at a time). A task is taken back at most once per attempt. A worker that
outlived its lease (stopped, not killed) records no result: the task belongs to the next one.
The tasks are written to be run again (see `indicators.tasks.import_file`). Expiry is read on
each host's own clock: the hosts keep theirs in step (NTP), well within a lease's two thirds.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import TaskLease

logger = logging.getLogger(__name__)


class TaskAbandoned(Exception):
    """Recorded as the failure of a task whose worker stopped during every attempt."""


@dataclass(frozen=True)
class Lease:
    task_id: str
    worker_id: str
    attempt: int


def lease_seconds() -> int:
    return settings.TASK_LEASE_SECONDS


def _expiry() -> datetime:
    return timezone.now() + timedelta(seconds=lease_seconds())


def lease_take(task_id, worker_id: str) -> Lease:
    """Begin an attempt at a task the worker has just claimed (RUNNING under its id)."""
    with transaction.atomic():
        lease, created = TaskLease.objects.select_for_update().get_or_create(
            task_id=task_id,
            defaults={"worker_id": worker_id, "attempt": 1, "expires_at": _expiry()},
        )
        if not created:
            lease.worker_id = worker_id
            lease.attempt += 1
            lease.expires_at = _expiry()
            lease.save()
    return Lease(str(task_id), worker_id, lease.attempt)


def _held(lease: Lease):
    return TaskLease.objects.filter(
        task_id=lease.task_id,
        worker_id=lease.worker_id,
        attempt=lease.attempt,
        expires_at__gte=timezone.now(),
    )


def lease_renew(lease: Lease) -> bool:
    """Extend a lease that has not expired; False when it had (the task is no longer ours)."""
    return bool(_held(lease).update(expires_at=_expiry()))


def lease_finish(lease: Lease, record) -> bool:
    """Record the attempt's outcome (`record()`) if the lease still holds, and end the lease."""
    with transaction.atomic():
        if not _held(lease).select_for_update().exists():
            logger.error(
                "Task %s: the lease of attempt %s expired while %s ran it; its outcome is "
                "not recorded (the task was queued again)",
                lease.task_id,
                lease.attempt,
                lease.worker_id,
            )
            return False
        record()
        TaskLease.objects.filter(task_id=lease.task_id).update(expires_at=None)
    return True


def _expired(now: datetime):
    """Running tasks whose lease has expired, or that never got one (claimed by a worker
    without leases, or killed in the instant between its claim and its lease)."""
    unleased_since = now - timedelta(seconds=lease_seconds())
    return DBTaskResult.objects.running().filter(
        Q(lease__expires_at__lt=now)
        | Q(lease__isnull=True, started_at__lt=unleased_since)
        | Q(lease__expires_at__isnull=True, started_at__lt=unleased_since)
    )


def leases_expired_reclaim() -> tuple[int, int]:
    """Put the tasks of lost workers back in the queue, or fail those out of attempts.
    Returns (requeued, failed)."""
    requeued, abandoned = 0, []
    now = timezone.now()
    with exclusive_transaction():
        tasks = _expired(now).select_for_update(skip_locked=True, of=("self",))
        for task in tasks:
            lease = TaskLease.objects.filter(task=task).first()
            attempts = lease.attempt if lease else 1
            if attempts >= settings.TASK_MAX_ATTEMPTS:
                task.set_failed(TaskAbandoned(_abandoned_text(task, attempts)))
                abandoned.append(task)
            else:
                DBTaskResult.objects.filter(pk=task.pk).update(
                    status=TaskResultStatus.READY, started_at=None
                )
                requeued += 1
                logger.warning(
                    "Task %s (%s): its worker %s stopped during attempt %s; queued again",
                    task.pk,
                    task.task_path,
                    lease.worker_id if lease else task.worker_ids[-1:],
                    attempts,
                )
            TaskLease.objects.filter(task=task).update(expires_at=None)
    for task in abandoned:
        logger.error("Task %s (%s) failed: %s", task.pk, task.task_path, task.traceback.strip())
        task_finished.send(sender=type(task.task.get_backend()), task_result=task.task_result)
    return requeued, len(abandoned)


def leases_end(task_ids) -> tuple[int, int]:
    """Expire at once the leases of running tasks whose worker is known to be dead (see
    `ops.recovery`), then take them back as `leases_expired_reclaim` does."""
    past = timezone.now() - timedelta(seconds=lease_seconds() + 1)
    for task_id in task_ids:
        DBTaskResult.objects.filter(pk=task_id, started_at__gt=past).update(started_at=past)
        TaskLease.objects.filter(task_id=task_id, expires_at__isnull=False).update(expires_at=past)
    return leases_expired_reclaim()


def _abandoned_text(task: DBTaskResult, attempts: int) -> str:
    workers = ", ".join(str(worker) for worker in task.worker_ids[-attempts:])
    return (
        f"its worker stopped during every attempt ({attempts}: no heartbeat for "
        f"{lease_seconds()} s; workers {workers}); not tried again"
    )


class LeaseKeeper(threading.Thread):
    """A worker's second thread: renews the lease of the task under way and, on every round,
    takes back the tasks whose leases expired. Its database connection is its own."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"lease keeper {worker_id}", daemon=True)
        self.worker_id = worker_id
        self.lease: Lease | None = None
        self._lost: Lease | None = None
        self._stop = threading.Event()

    @property
    def interval(self) -> float:
        return max(lease_seconds() / 3, 0.2)

    def run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.round()
        finally:
            connection.close()

    def round(self) -> None:
        close_old_connections()
        try:
            lease = self.lease
            if lease is not None and lease != self._lost and not lease_renew(lease):
                self._lost = lease
                logger.error("Task %s: %s lost its lease", lease.task_id, self.worker_id)
            leases_expired_reclaim()
        except DatabaseError:
            # A busy SQLite (a long import holds the write lock) or a database that went away
            # for a moment: try again next round.
            logger.warning("lease keeper of %s: database unavailable", self.worker_id)
            connection.close()
        except Exception:  # a task that no longer imports, say: the keeper must go on
            logger.exception("lease keeper of %s", self.worker_id)

    def stop(self) -> None:
        self._stop.set()
