"""Background work of the yearly cycle: the reminders to owners, in the task worker."""

from django_tasks import task

from . import services


@task()
def send_due_reminders() -> int:
    """Idempotent: every reminder records that it went out, so a second pass sends nothing."""
    sent = services.reminders_send_due()
    return sent.before + sent.after
