"""`manage housekeeping --now`: run every housekeeping job once, by hand (see `ops.housekeeping`)."""

from django.core.management.base import BaseCommand, CommandError

from mineralstrategi.ops.housekeeping import JOBS, all_jobs_run

from .scheduler import log_removals


class Command(BaseCommand):
    help = "Run every housekeeping job now: " + ", ".join(JOBS)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="run every job now")

    def handle(self, *, now: bool, **options) -> None:
        if not now:
            raise CommandError(
                "Give --now to run every job now (`manage scheduler` runs them daily)."
            )
        log_removals(options["verbosity"])
        all_jobs_run()
