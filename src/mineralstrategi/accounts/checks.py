"""Deployment checks of the login lockout (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_count(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """HTTPS=1 trusts a TLS proxy's X-Forwarded-Proto (`serve` speaks plain HTTP), so a proxy
    stands in front; with PROXY_COUNT 0 every visitor then has its address."""
    if not settings.SECURE_PROXY_SSL_HEADER or settings.MINERALSTRATEGI.get("PROXY_COUNT", 0):
        return []
    return [
        checks.Warning(
            "HTTPS is on behind a TLS proxy, but PROXY_COUNT is 0: every visitor has the proxy's "
            "address, so five wrong passwords from anyone lock a username for everyone, and the "
            "rate limits per address are shared by all visitors.",
            hint="Set PROXY_COUNT to the number of trusted proxies that append to "
            "X-Forwarded-For (1 for one nginx in front of `serve`).",
            id="mineralstrategi.W004",
        )
    ]
