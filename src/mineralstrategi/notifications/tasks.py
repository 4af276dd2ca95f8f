"""Background work of notifications, in the task worker: telling people of an event, and the
digests. Both are safe to run twice."""

from django_tasks import task

from . import services


@task()
def fan_out(event_id: int) -> int:
    """The number of notifications made."""
    return services.fan_out(event_id).notifications


@task()
def send_digests(period: str) -> int:
    """The number of digests mailed."""
    return services.send_digests(period)
