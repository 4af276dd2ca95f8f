"""The limit on writes to the JSON API: every POST, PUT, PATCH and DELETE of one person (with an
API key or the browser's session) is counted in the database (`limits.services.take`), at most
API_WRITES_PER_HOUR within the last hour, so that the limit holds across processes and servers.
A write over the limit is answered 429 with Retry-After and the API's error shape
(declared by each write operation with `apikit.responses.TOO_MANY_WRITES`), after the caller is
authenticated and before the input is read. Installed for every operation by the assembled API
(`api.api`): `WriteLimit()` as the NinjaAPI's throttle, `too_many_writes` as the handler of
ninja's `Throttled`."""

import threading

from django.conf import settings
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from mineralstrategi.limits.services import Limit, LimitReached, fingerprint, take
from mineralstrategi.visitors import client_ip

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HOUR = 3600


def writer_key(request) -> str:
    """Whose writes a request counts under: the person authenticated (by API key or session),
    else the client address."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return fingerprint("api-write:user", str(user.pk))
    return fingerprint("api-write:ip", client_ip(request))


class WriteLimit(BaseThrottle):
    """ninja's throttle interface over `limits.services.take`. One instance serves every
    thread of a process: the wait of the refusal being answered is the thread's own."""

    def __init__(self) -> None:
        self._refusal = threading.local()

    def allow_request(self, request) -> bool:
        self._refusal.wait = None
        if request.method not in WRITE_METHODS:
            return True
        limit = Limit(settings.MINERALSTRATEGI["API_WRITES_PER_HOUR"], HOUR)
        try:
            take({writer_key(request): limit})
        except LimitReached as reached:
            self._refusal.wait = reached.retry_after
            return False
        return True

    def wait(self) -> int | None:
        return getattr(self._refusal, "wait", None)


def too_many_writes(request, error: Throttled, *, api):
    """ninja's 429 in the API's error shape (`ErrorOut`), saying how long to wait; ninja adds
    the Retry-After header."""
    per_hour = settings.MINERALSTRATEGI["API_WRITES_PER_HOUR"]
    detail = f"too many writes: at most {per_hour} an hour"
    if error.wait is not None:
        detail += f"; try again in {error.wait} seconds"
    return api.create_response(request, {"detail": detail}, status=429)
