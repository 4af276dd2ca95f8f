"""Background work: imports of large files run in the task worker with their progress shown."""

from django_tasks import task

from .files import local_path
from .models import ImportJob
from .progress import progress_clear, progress_report
from .services import import_file_lost, import_run


@task()
def import_file(job_id: int) -> str:
    job = ImportJob.objects.select_related("indicator").get(pk=job_id)
    if job.status not in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
        return job.status  # already run: a task delivered twice does the work once
    # RUNNING: a worker died mid-import (see ops.recovery) and its transaction was rolled back,
    # so nothing of the file was written: import it again from the start.
    try:
        with local_path(job.stored_file.name) as path:
            job = import_run(job, path, progress=lambda rows: progress_report(job_id, rows))
    except FileNotFoundError:
        job = import_file_lost(job)
    progress_clear(job_id)
    return job.status
