"""`mineralstrategi manage send_digests --period daily|weekly`: queue the digest mails for the task
worker. Run it from cron or a systemd timer (see docs/architecture.md, "Background tasks"), e.g.
daily at 07:00 and weekly on Monday at 07:00; a second run in the same period sends nothing."""

from django.core.management.base import BaseCommand

from mineralstrategi.notifications.models import DIGEST_CHOICES
from mineralstrategi.notifications.services import digests_enqueue, send_digests


class Command(BaseCommand):
    help = "Queue (or with --now, send) the daily or weekly notification digests."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=[str(c) for c in DIGEST_CHOICES], required=True)
        parser.add_argument("--now", action="store_true", help="send here, not in the worker")

    def handle(self, *args, period: str, now: bool, **options):
        if now:
            sent = send_digests(period)
            self.stdout.write(f"{sent} digest(s) sent.")
        else:
            digests_enqueue(period)
            self.stdout.write(f"The {period} digests are queued for the task worker.")
