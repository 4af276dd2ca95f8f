"""What every form open to anonymous visitors shares: the visitor's address behind trusted
proxies (`client_ip`, also the address of django-axes' login lockout), a honeypot field that
bots fill in (`HoneypotMixin`), and rate limits per address and per e-mail counted in the
database (`limits.services.take`), so that they hold across processes and servers:
`rate_check_and_count`.

Used by the portal's comments and registrations and by the consultation's public comments.
"""

import functools
import ipaddress
import math
import time

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mineralstrategi.limits.services import Limit, LimitReached, fingerprint, take


class RateLimited(ValidationError):
    """Too many submissions from one address or e-mail in the window: a refusal the visitor is
    shown (with status 429) above the form they filled in. `retry_after`: seconds to wait."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after


def try_again_text(seconds: int) -> str:
    """ "Please try again in N minutes.", the wait rounded up to whole minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Please try again in %(minutes)d minute.",
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def client_ip(request) -> str:
    """The visitor's address, for the login lockout and the rate limits.

    Without a proxy (PROXY_COUNT 0, the default) it is the peer's address, REMOTE_ADDR, and
    X-Forwarded-For is ignored: the client wrote it. Behind PROXY_COUNT trusted proxies, each of
    which appends the address it received the request from, it is the entry that many places
    from the right: the outermost proxy's, the entries further left came from the client and can
    be forged. With fewer entries than proxies every entry is a proxy's, and the left-most is the
    outermost one there was. An entry that is no IP address (a proxy set up otherwise, or
    PROXY_COUNT one too many) gives REMOTE_ADDR rather than words the client chose."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.MINERALSTRATEGI.get("PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    address = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote


def rate_keys(namespace: str, action: str, *, ip: str, email: str = "") -> list[str]:
    """The keys counted for a submission: the address, and the e-mail address when there is one
    (in any case), each a one-way fingerprint."""
    keys = [fingerprint(f"{namespace}:{action}:ip", ip or "unknown")]
    if email.strip():
        keys.append(fingerprint(f"{namespace}:{action}:email", email.strip().lower()))
    return keys


def rate_check_and_count(namespace: str, action: str, *, ip: str, email: str = "") -> None:
    """Refuse (RateLimited) when the IP address or the email has used up its allowance in the
    window (settings COMMENT_RATE_LIMIT per COMMENT_RATE_WINDOW seconds); else count this request
    against both. Inside the caller's transaction: a submission that is not stored is not
    counted either."""
    platform = settings.MINERALSTRATEGI
    limit = Limit(platform["COMMENT_RATE_LIMIT"], platform["COMMENT_RATE_WINDOW"])
    try:
        take(dict.fromkeys(rate_keys(namespace, action, ip=ip, email=email), limit))
    except LimitReached as reached:
        message = _("Too many submissions in a short time.")
        raise RateLimited(
            f"{message} {try_again_text(reached.retry_after)}", retry_after=reached.retry_after
        ) from reached


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS and from assistive technology); bots fill it in."""

    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


COMMENT_MAX_LENGTH = 4000


def comment_errors(body: str, *, name: str | None = None) -> dict[str, str]:
    """What is wrong with a visitor's comment, by field: its text (required, at most
    COMMENT_MAX_LENGTH characters) and, unless `name` is None (a signed-in writer), the name."""
    errors = {}
    if name is not None and not name.strip():
        errors["name"] = _("Write your name.")
    if not body.strip():
        errors["body"] = _("Write a comment.")
    elif len(body) > COMMENT_MAX_LENGTH:
        errors["body"] = _("The comment is longer than %(max)d characters.") % {
            "max": COMMENT_MAX_LENGTH
        }
    return errors


def renders_per_minute(kind: str, setting: str):
    """Decorate a view whose renders an anonymous visitor can vary without end (a search for any
    words): at most `settings.MINERALSTRATEGI[setting]` renders a minute per client address,
    then a page that says when to try again (429 with Retry-After). Only renders are counted:
    what the public page cache answers never reaches the view. Signed-in people are not counted
    here (they are known, and limited where they write)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (wait := render_wait(request, kind, setting)) is not None:
                return too_many_renders(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def render_wait(request, kind: str, setting: str) -> int | None:
    """Count one render of `kind` for an anonymous visitor's address (see `renders_per_minute`,
    which the API's search also keeps to); None when it may go ahead, else the seconds to wait."""
    if request.user.is_authenticated or getattr(request, "auth", None) is not None:
        return None
    limit = Limit(settings.MINERALSTRATEGI[setting], 60)
    try:
        take({fingerprint(f"{kind}-ip", client_ip(request) or "unknown"): limit})
    except LimitReached as reached:
        return reached.retry_after
    return None


RENDER_BUDGET_CACHE = "shared"
RENDER_BUDGET_WINDOW = 60  # seconds


def render_budget_wait(request) -> int | None:
    """Count one render for the visitor's address against ANONYMOUS_RENDERS_PER_MINUTE; None when
    it may go ahead, else the seconds until the minute is over.

    The caller decides what is a render worth counting (accounts.middleware.RenderBudgetMiddleware:
    anonymous requests the page cache did not answer). Unlike the limits of writes, this runs on
    every such request, so it is a counter per address and minute in the shared cache rather
    than a locked row: Redis counts exactly across processes and servers; the file cache of a
    single machine can miss a count when two renders for one address end at the same instant,
    which bounds the error by the number of web workers."""
    allowed = settings.MINERALSTRATEGI["ANONYMOUS_RENDERS_PER_MINUTE"]
    if allowed <= 0:
        return None
    now = time.time()
    minute = int(now // RENDER_BUDGET_WINDOW)
    key = fingerprint(f"renders-{minute}", client_ip(request) or "unknown")
    cache = caches[RENDER_BUDGET_CACHE]
    cache.add(key, 0, timeout=2 * RENDER_BUDGET_WINDOW)
    try:
        spent = cache.incr(key)
    except ValueError:  # the entry went between add and incr (culled): start again
        cache.set(key, spent := 1, timeout=2 * RENDER_BUDGET_WINDOW)
    if spent <= allowed:
        return None
    return max(1, math.ceil((minute + 1) * RENDER_BUDGET_WINDOW - now))


def too_many_renders(request, retry_after: int):
    asked = _("You have asked for many new pages in a short time.")
    message = f"{asked} {try_again_text(retry_after)}"
    response = render(request, "too_many_requests.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
