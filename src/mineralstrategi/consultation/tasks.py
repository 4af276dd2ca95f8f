"""Background work of a consultation: invitations and reminders by mail, in the task worker."""

from django_tasks import task

from . import services


@task()
def send_invitation(consultee_id: int, requested_by_id: int | None = None) -> bool:
    return services.invitation_send(consultee_id, requested_by_id)


@task()
def send_due_reminders() -> int:
    """Idempotent: every reminder records when it went out, so a second pass sends nothing."""
    return services.reminders_send_due()
