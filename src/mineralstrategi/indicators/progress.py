"""The progress of a running import, carried from the task worker to the web servers through the
"progress" cache: outside the import's database transaction, so it is seen while the import runs."""

from datetime import UTC, datetime

from django.core.cache import caches
from django.utils import timezone

PROGRESS_TIMEOUT = 60 * 60


def _key(job_id: int) -> str:
    return f"import-progress-{job_id}"


def progress_report(job_id: int, rows_read: int) -> None:
    caches["progress"].set(
        _key(job_id), {"rows": rows_read, "at": timezone.now().timestamp()}, PROGRESS_TIMEOUT
    )


def progress_clear(job_id: int) -> None:
    caches["progress"].delete(_key(job_id))


def import_progress(job_id: int) -> int | None:
    """Records read so far by a running import, as the worker last reported."""
    reported = caches["progress"].get(_key(job_id))
    return reported["rows"] if reported else None


def import_progress_at(job_id: int) -> datetime | None:
    """When the worker last reported progress on the import."""
    reported = caches["progress"].get(_key(job_id))
    return datetime.fromtimestamp(reported["at"], tz=UTC) if reported else None
