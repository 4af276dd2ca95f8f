"""Rate limits for the public's writes (comments, registrations), shared by the portal and the
consultation's samråd: a visitor's address as the proxies give it, and counters per address and
per e-mail in the shared cache (Redis in production), so that every process counts together."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The visitor's address, for rate limits. Behind PROXY_COUNT trusted proxies it is the entry
    that many places from the right of X-Forwarded-For (entries further left can be forged)."""
    proxies = settings.MINERALSTRATEGI.get("PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _keys(scope: str, action: str, *, ip: str, email: str = "") -> list[str]:
    keys = [f"{scope}-rate:{action}:ip:{fingerprint(ip or 'unknown')}"]
    if email:
        keys.append(f"{scope}-rate:{action}:email:{fingerprint(email)}")
    return keys


def allow_and_count(scope: str, action: str, *, ip: str, email: str = "") -> bool:
    """False when the address or the e-mail has used up its allowance in the window
    (COMMENT_RATE_LIMIT in COMMENT_RATE_WINDOW seconds); else count this request against both
    and return True."""
    limit = settings.MINERALSTRATEGI["COMMENT_RATE_LIMIT"]
    window = settings.MINERALSTRATEGI["COMMENT_RATE_WINDOW"]
    keys = _keys(scope, action, ip=ip, email=email)
    if any((cache.get(key) or 0) >= limit for key in keys):
        return False
    for key in keys:
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)
    return True
