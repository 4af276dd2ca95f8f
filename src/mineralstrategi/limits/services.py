"""The counter of every limit that must hold across processes and servers: a sliding window of
the latest events per key, in the database.

    take({fingerprint("signup-ip", ip): Limit(20, 3600), ...})

counts one event under every key, or raises `LimitReached` (counting nothing) when one of them
has already had its limit's number of events within its own window. The rows are locked in key
order until the transaction ends, so that two processes never both take the last one (on
SQLite a write transaction holds the whole database, IMMEDIATE, which serialises them too).
Called inside a caller's transaction, the count stands or falls with the caller's write: a
comment that is not stored is not counted.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateWindow

# Expired windows deleted after one count, at most; the rest go with the next ones.
FORGET_BATCH = 500


@dataclass(frozen=True)
class Limit:
    """At most `count` events within the last `seconds`. A count or a window of 0 (or less)
    is no limit: nothing is counted under it."""

    count: int
    seconds: int

    @property
    def active(self) -> bool:
        return self.count > 0 and self.seconds > 0


class LimitReached(Exception):
    """A key has had its limit's number of events within its window; nothing was counted.
    `retry_after`: whole seconds until the oldest of them leaves the window (at least 1)."""

    def __init__(self, retry_after: int):
        super().__init__(f"limit reached: try again in {retry_after} seconds")
        self.retry_after = retry_after


def fingerprint(kind: str, value: str) -> str:
    """The key of a `RateWindow`: `kind` and a keyed one-way hash of `value` (a username, an
    e-mail address, an IP address, a user's id), so that the table holds none of them as such."""
    digest = salted_hmac("mineralstrategi.limits", value, algorithm="sha256")
    return f"{kind}:{digest.hexdigest()[:40]}"


def recent(window: RateWindow, seconds: int, now: datetime) -> list[float]:
    """The times of the window's events within the last `seconds`, oldest first."""
    since = now.timestamp() - seconds
    return [time for time in window.times if time > since]


def locked_window(key: str, seconds: int, now: datetime) -> RateWindow:
    """The window of `key`, locked until the transaction ends (made if there is none)."""
    window, _ = RateWindow.objects.select_for_update().get_or_create(
        key=key, defaults={"expires_at": now + timedelta(seconds=seconds)}
    )
    return window


def forget_expired(now: datetime | None = None) -> None:
    """Delete windows that have expired, skipping any that another transaction holds (so that
    this waits for no lock and can never be one side of a deadlock)."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = RateWindow.objects.filter(expires_at__lt=now).select_for_update(skip_locked=True)
        keys = list(expired.values_list("pk", flat=True)[:FORGET_BATCH])
        if keys:
            RateWindow.objects.filter(pk__in=keys).delete()


def _count(limits: Mapping[str, Limit], *, refuse: bool) -> list[RateWindow]:
    now = timezone.now()
    active = sorted((key, limit) for key, limit in limits.items() if limit.active)
    with transaction.atomic():
        locked = [(locked_window(key, limit.seconds, now), limit) for key, limit in active]
        windows = [(window, recent(window, limit.seconds, now), limit) for window, limit in locked]
        full = [(times, limit) for _, times, limit in windows if len(times) >= limit.count]
        if refuse and full:
            free_at = max(times[-limit.count] + limit.seconds for times, limit in full)
            raise LimitReached(max(1, math.ceil(free_at - now.timestamp())))
        for window, times, limit in windows:
            window.times = [*times, now.timestamp()][-limit.count :]
            window.expires_at = max(
                now + timedelta(seconds=limit.seconds), window.held_until or now
            )
            window.save(update_fields=["times", "expires_at"])
    transaction.on_commit(partial(forget_expired, now))
    return [window for window, _, _ in windows]


def take(limits: Mapping[str, Limit]) -> None:
    """Count one event under every key of `limits`, or raise `LimitReached` and count nothing
    when one key has already had its limit's number within its window."""
    _count(limits, refuse=True)


def record(key: str, limit: Limit) -> RateWindow | None:
    """Count one event under `key` even when the window is full (the latest `limit.count` are
    kept), for a throttle that lasts while the events go on (the login throttle); the window,
    locked until the transaction ends, or None when the limit is off."""
    windows = _count({key: limit}, refuse=False)
    return windows[0] if windows else None
