"""`manage task_worker`: django-tasks-db's `db_worker` with leases (see `ops.leases`): the same
options; `serve` runs it with `--worker-id` host-pid."""

from django_tasks_db.management.commands import db_worker

from mineralstrategi.ops.worker import LeasedWorker


class Command(db_worker.Command):
    help = "Run the background task worker, each task under a lease that other workers honour"

    def handle(self, **options) -> None:
        db_worker.Worker, original = LeasedWorker, db_worker.Worker
        try:
            super().handle(**options)
        finally:
            db_worker.Worker = original
