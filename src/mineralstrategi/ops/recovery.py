"""The fast path of recovery after a crash (kill -9, power loss) on this host.

Every running task holds a lease (`ops.leases`) that any worker takes back once it has expired,
a minute or so after its worker was lost. `serve` need not wait that long for the tasks of its
own host: it names its worker after the host and its own process id, and when it starts, it ends
the leases of every task still running under a worker of this host whose `serve` process is gone,
which puts them back in the queue at once (within the attempt limit). The tasks are written to be
re-run: an import's rows are written in one transaction, so an interrupted one left nothing
behind and runs again from the start.
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
    from django_tasks_db.models import DBTaskResult

    from .leases import leases_end

    crashed = [task.pk for task in DBTaskResult.objects.running() if _crashed_here(task.worker_ids)]
    requeued, _failed = leases_end(crashed) if crashed else (0, 0)
    return requeued
