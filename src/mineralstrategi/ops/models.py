"""What operations keep in the database: the leases of running tasks and the scheduled jobs."""

from django.db import models
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    """A task's hold on its worker: the worker renews `expires_at` while it runs the task; once
    it has passed, any worker on any host puts the task back in the queue (`ops.leases`).
    `attempt` counts the runs begun; `expires_at` is empty while no worker holds the task."""

    task = models.OneToOneField(
        DBTaskResult, on_delete=models.CASCADE, primary_key=True, related_name="lease"
    )
    worker_id = models.CharField(max_length=64)
    attempt = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, db_index=True)

    # A worker's bookkeeping, read by no public page (see caching.invalidation).
    shown_on_public_pages = False

    def __str__(self) -> str:
        return f"{self.task_id} attempt {self.attempt} by {self.worker_id}"


class ScheduledJob(models.Model):
    """A periodic job of the whole deployment (`ops.housekeeping`): whichever scheduler first
    moves `next_run_at` on from the value it read runs it, so it runs once however many
    schedulers there are."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_by = models.CharField(max_length=64, blank=True)
    last_started_at = models.DateTimeField(null=True)
    last_finished_at = models.DateTimeField(null=True)
    last_outcome = models.TextField(blank=True)

    shown_on_public_pages = False

    def __str__(self) -> str:
        return self.name
