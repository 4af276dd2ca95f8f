"""Background work: the actor network's figures, which a large network takes seconds to compute
(`selectors.COMPUTE_AT_ONCE_LIMIT`), computed by the task worker into the shared cache: queued
when an initiative or its partners change (`network_changed`, connected in apps.py), and by a
page that finds them missing. A computation queued or running is not queued again."""

from django.core.cache import caches
from django_tasks import task

from . import selectors

# Set while a computation is queued or running, so that many visitors queue one.
QUEUED_KEY = "cluster-network-computation-queued"
QUEUED_SECONDS = 15 * 60
# How soon a page or client that found the figures missing is asked to come back (seconds).
RETRY_SECONDS = 10


def network_computation_queue() -> None:
    """Queue the computation unless one is queued or running (after the transaction commits)."""
    from django.db import transaction

    if caches["shared"].add(QUEUED_KEY, True, QUEUED_SECONDS):
        transaction.on_commit(compute_network.enqueue)


def network_changed(sender, **kwargs) -> None:
    """An initiative or its partners changed (a signal): compute the figures again."""
    network_computation_queue()


@task()
def compute_network() -> int:
    """Every year's figures and those of all the years together; how many years."""
    try:
        items = selectors.participations()
        selectors.network_for_year(None, items)
        return len(selectors.network_by_year(items) or [])
    finally:
        caches["shared"].delete(QUEUED_KEY)
