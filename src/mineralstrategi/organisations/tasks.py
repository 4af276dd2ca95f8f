"""Background work of the organisations: invitation mails, in the task worker."""

from django_tasks import task

from . import services


@task()
def send_member_invitation(invitation_id: int) -> str:
    return services.invitation_send(invitation_id)
