"""Background work: imports of large files run in the task worker with their progress shown."""

from pathlib import Path

from django.core.cache import caches
from django_tasks import task

from .models import ImportJob
from .services import import_run

PROGRESS_TIMEOUT = 60 * 60


def progress_key(job_id: int) -> str:
    return f"import-progress-{job_id}"


def import_progress(job_id: int) -> int | None:
    """Records read so far by a running import, as the worker last reported."""
    return caches["progress"].get(progress_key(job_id))


@task()
def import_file(job_id: int) -> str:
    job = ImportJob.objects.select_related("indicator").get(pk=job_id)
    if job.status not in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
        return job.status  # already run: a task delivered twice does the work once
    # RUNNING: a worker died mid-import (see ops.recovery) and its transaction was rolled back,
    # so nothing of the file was written: import it again from the start.

    def report(rows_read: int) -> None:
        caches["progress"].set(progress_key(job_id), rows_read, PROGRESS_TIMEOUT)

    job = import_run(job, Path(job.stored_file), progress=report)
    caches["progress"].delete(progress_key(job_id))
    return job.status
