"""Background work: imports of large files run in the task worker with their progress shown."""

from django_tasks import task

from mineralstrategi.services import on_task_failure

from .files import local_path
from .models import ImportJob
from .progress import progress_clear, progress_report
from .services import import_abandon, import_file_lost, import_run, import_stalled


@task()
def import_file(job_id: int) -> str:
    job = ImportJob.objects.select_related("indicator").get(pk=job_id)
    runnable = job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)
    if not runnable and not import_stalled(job):
        return job.status  # already run: a task delivered twice does the work once
    # RUNNING, or failed as stalled: a worker died mid-import and its transaction was rolled
    # back, so nothing of the file was written; its task was queued again (ops.leases): import
    # it again from the start.
    try:
        with local_path(job.stored_file.name) as path:
            job = import_run(job, path, progress=lambda rows: progress_report(job_id, rows))
    except FileNotFoundError:
        job = import_file_lost(job)
    progress_clear(job_id)
    return job.status


@on_task_failure(import_file)
def _import_file_failed(job_id: int, *, reason: str) -> None:
    import_abandon(job_id, reason=reason)
