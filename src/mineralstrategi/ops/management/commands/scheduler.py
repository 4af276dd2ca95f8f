"""`manage scheduler`: runs the deployment's housekeeping when it is due (see `ops.housekeeping`).
One can run on every server: each due job is claimed in the database and runs once."""

import logging
import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from mineralstrategi.ops.housekeeping import due_jobs_run


class Command(BaseCommand):
    help = "Run the housekeeping jobs when due, once for the whole deployment"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=60, help="seconds between looks (default 60)"
        )
        parser.add_argument(
            "--id",
            dest="scheduler_id",
            default=f"{socket.gethostname()[:40]}-scheduler",
            help="this scheduler's name, recorded on the jobs it runs",
        )
        parser.add_argument("--once", action="store_true", help="look once, then stop")

    def handle(self, *, interval: float, scheduler_id: str, once: bool, **options) -> None:
        log_removals(options["verbosity"])
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        while not stopping.is_set():
            close_old_connections()
            due_jobs_run(scheduler_id)
            close_old_connections()
            if once:
                return
            stopping.wait(interval)


def log_removals(verbosity: int) -> None:
    """Each job's line in the log (the settings' console handler: the log of `serve`, systemd
    or compose), whatever LOG_LEVEL says of the rest."""
    level = logging.INFO if verbosity else logging.WARNING
    logging.getLogger("mineralstrategi.ops.housekeeping").setLevel(level)
