"""`mineralstrategi manage send_report_reminders`: send the reminders of the reporting periods
that are due (one before each deadline, one after it), each once. Run it daily from cron or a
systemd timer; opening a period also queues the pass for its reminder days."""

from django.core.management.base import BaseCommand

from mineralstrategi.cycle.services import reminders_send_due


class Command(BaseCommand):
    help = "Send the due reminders to the owners asked to report (each once)."

    def handle(self, *args, **options):
        sent = reminders_send_due()
        self.stdout.write(f"{sent.before} reminder(s) before and {sent.after} after the deadline.")
