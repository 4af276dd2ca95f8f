"""Limits on logging in and on password reset mails that hold across processes and servers:
counted in the database by `limits.services` (`RateWindow`), which every web process and server
shares, never in a process's memory (the default cache is per process without Redis).

**The lockout** is django-axes': AXES_FAILURE_LIMIT wrong passwords for one username from one
client address lock that pair for an hour (settings; the address is `visitors.client_ip`).
A stranger locks out only themselves, and only one address at a time.

**The throttle per username** (`LockoutHandler`, `login_wait`, `login_failed`) slows down
guessing at one account from many addresses, which the lockout per address cannot stop, without
letting strangers lock its owner out: once the username has had LOGIN_THROTTLE_FAILURES wrong
passwords within the last hour (from any addresses together), a password for it is tried at
most once every LOGIN_THROTTLE_SECONDS seconds. A try that comes sooner is answered "wait N
seconds" (429 with Retry-After) without its password being checked, and is counted nowhere: it
neither keeps the throttle going nor brings its sender closer to a lockout. The throttle never
locks: the right password gets in at the first try that is let through, and the throttle ends
by itself an hour after the failures. An address the account has logged in from before (a
successful login in django-axes' log within KNOWN_ADDRESS_DAYS) is not throttled at all, so
that the person at their usual place never waits for strangers elsewhere; only the lockout of
their own address applies to them.

What remains: while an attack from many addresses goes on, someone at a new address shares the
tries with the attacker, and may be asked to wait more than once. Guessing is slowed to about
3600 / LOGIN_THROTTLE_SECONDS passwords an hour for the account, on top of the lockout of each
address.

**Password reset mails** (`password_reset_allowed`): at most PASSWORD_RESET_PER_ACCOUNT
requests for one e-mail address and PASSWORD_RESET_PER_IP from one client address within the
last hour; the page that follows is the same whether a mail went, was held back or had no
account to go to. A stranger can use up an account's mails for the hour, but those mails reach
its owner, and the link in each works until the password is changed (or PASSWORD_RESET_TIMEOUT).

**Sign-ups** (`signup_take`): at most SIGNUP_PER_IP sign-ups from one client address and
SIGNUP_PER_EMAIL for one e-mail address within the last hour; a refusal is shown above the form
(429). The e-mail address is counted whether or not it has an account already, as the page that
follows a sign-up is the same either way.
"""

import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mineralstrategi.limits.models import RateWindow
from mineralstrategi.limits.services import Limit, LimitReached, fingerprint, recent, record, take

WINDOW = timedelta(hours=1)
KNOWN_ADDRESS_DAYS = 90


# --- The throttle per username --------------------------------------------------------------------


def _key(username: str) -> str:
    return fingerprint("login-username", username)


def _throttle() -> tuple[int, int]:
    platform = settings.MINERALSTRATEGI
    return platform["LOGIN_THROTTLE_FAILURES"], platform["LOGIN_THROTTLE_SECONDS"]


def _known_address(username: str, ip: str | None, now: datetime) -> bool:
    """Whether the account has logged in from `ip` within KNOWN_ADDRESS_DAYS (django-axes' log
    of successful logins)."""
    if not ip:
        return False
    since = now - timedelta(days=KNOWN_ADDRESS_DAYS)
    logins = AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since)
    return logins.exists()


def _throttled(window: RateWindow | None, now: datetime, failures: int) -> bool:
    return window is not None and len(recent(window, WINDOW.seconds, now)) >= failures


def login_wait(username: str | None, *, ip: str | None) -> int:
    """Seconds to wait before a password for `username` may be tried from `ip`; 0 when it may
    be tried now, and then the try takes the username's turn (the next one waits)."""
    failures, pause = _throttle()
    if not username or failures <= 0 or pause <= 0:
        return 0
    now = timezone.now()
    key = _key(username)
    # Most logins meet no throttle: they read, and lock nothing.
    if not _throttled(RateWindow.objects.filter(key=key).first(), now, failures):
        return 0
    if _known_address(username, ip, now):
        return 0
    with transaction.atomic():
        window = RateWindow.objects.select_for_update().filter(key=key).first()
        if not _throttled(window, now, failures):
            return 0
        if window.held_until is not None and window.held_until > now:
            return math.ceil((window.held_until - now).total_seconds())
        window.held_until = now + timedelta(seconds=pause)
        window.save(update_fields=["held_until"])
    return 0


def login_failed(username: str | None) -> None:
    """Count a wrong password for `username` (one that was tried, not one refused unchecked)."""
    failures, pause = _throttle()
    if not username or failures <= 0:
        return
    with transaction.atomic():
        window = record(_key(username), Limit(failures, WINDOW.seconds))
        if len(window.times) >= failures and pause > 0:
            held = timezone.now() + timedelta(seconds=pause)
            window.held_until = max(window.held_until or held, held)
            window.expires_at = max(window.expires_at, window.held_until)
            window.save(update_fields=["held_until", "expires_at"])


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) with the throttle per username: a login that
    the lockout lets through is refused while the username waits (`login_wait`), with
    `request.login_wait_seconds` for the page (`accounts.views.lockout_response`); a wrong
    password that was tried is counted for the username as well (`login_failed`)."""

    def is_allowed(self, request, credentials: dict | None = None) -> bool:
        if not super().is_allowed(request, credentials):
            return False
        username = get_client_username(request, credentials)
        wait = login_wait(username, ip=getattr(request, "axes_ip_address", None))
        if wait:
            request.login_wait_seconds = wait
            return False
        return True

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # Set before the signal when the lockout or the throttle refused the try unchecked
        # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off); set by the handler when this
        # failure brings on the lockout.
        refused = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not refused:
            login_failed(get_client_username(request, credentials))


# --- Password reset mails -------------------------------------------------------------------------


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """Whether a password reset mail may go to the accounts of `email` on a request from the
    client address `ip`, counting the request if so. The address is counted in any case and
    whether or not an account has it, so that what is counted tells nothing about accounts."""
    platform = settings.MINERALSTRATEGI
    try:
        take(
            {
                fingerprint("reset-email", email.strip().lower()): Limit(
                    platform["PASSWORD_RESET_PER_ACCOUNT"], WINDOW.seconds
                ),
                fingerprint("reset-ip", ip or "unknown"): Limit(
                    platform["PASSWORD_RESET_PER_IP"], WINDOW.seconds
                ),
            }
        )
    except LimitReached:
        return False
    return True


# --- Sign-ups --------------------------------------------------------------------------------------


def signup_take(*, email: str, ip: str) -> None:
    """Count a sign-up for `email` from the client address `ip`, or raise `LimitReached` (with
    the seconds to wait) when either has had its number within the last hour."""
    platform = settings.MINERALSTRATEGI
    take(
        {
            fingerprint("signup-email", email.strip().lower()): Limit(
                platform["SIGNUP_PER_EMAIL"], WINDOW.seconds
            ),
            fingerprint("signup-ip", ip or "unknown"): Limit(
                platform["SIGNUP_PER_IP"], WINDOW.seconds
            ),
        }
    )
