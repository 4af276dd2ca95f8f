"""The task worker with leases: django-tasks-db's worker, each task run under a lease that a
second thread renews (see `ops.leases`)."""

from django_tasks_db.management.commands.db_worker import Worker

from .leases import LeaseKeeper, lease_finish, lease_take


class _Leased:
    """A claimed task as the worker sees it, whose outcome is recorded only under its lease."""

    def __init__(self, result, lease):
        self._result = result
        self._lease = lease

    def __getattr__(self, name):
        return getattr(self._result, name)

    def set_successful(self, return_value) -> None:
        lease_finish(self._lease, lambda: self._result.set_successful(return_value))

    def set_failed(self, exc: BaseException) -> None:
        lease_finish(self._lease, lambda: self._result.set_failed(exc))


class LeasedWorker(Worker):
    def run(self) -> None:
        self.keeper = LeaseKeeper(self.worker_id)
        self.keeper.start()
        try:
            super().run()
        finally:
            self.keeper.stop()

    def run_task(self, db_task_result) -> None:
        lease = lease_take(db_task_result.pk, self.worker_id)
        self.keeper.lease = lease
        try:
            super().run_task(_Leased(db_task_result, lease))
        finally:
            self.keeper.lease = None
