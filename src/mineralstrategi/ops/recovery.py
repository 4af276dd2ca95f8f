"""Recovery of background work interrupted by a crash (kill -9, power loss).

The database task backend marks a task RUNNING when a worker claims it and never looks at it again:
a worker killed mid-task leaves it RUNNING for ever, and the work (an import, a PDF) never
finishes. `serve` names its worker after the host and its own process id; when it starts, it
hands every task still RUNNING under a worker of this host whose `serve` process is gone back to
the queue. The tasks are written to be re-run: an import's rows are written in one transaction,
so an interrupted one left nothing behind and runs again from the start.
"""

import os
import socket

from django.conf import settings

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def _host() -> str:
    return socket.gethostname()[:40]


def worker_id(serve_pid: int | None = None) -> str:
    """The id `serve` gives its task worker: host and the pid of the `serve` process."""
    return f"{_host()}-{serve_pid or os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _crashed_here(worker_ids: list) -> bool:
    """True when the task's last worker ran on this host under a `serve` that no longer runs."""
    if not worker_ids:
        return False
    host, _, pid = str(worker_ids[-1]).rpartition("-")
    return host == _host() and pid.isdigit() and not _alive(int(pid))


def reclaim_interrupted_tasks() -> int:
    """Put the tasks of crashed workers of this host back in the queue; return how many."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_BACKEND:
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    reclaimed = 0
    for task in DBTaskResult.objects.running():
        if _crashed_here(task.worker_ids):
            updated = DBTaskResult.objects.filter(
                pk=task.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
            reclaimed += updated
    return reclaimed
