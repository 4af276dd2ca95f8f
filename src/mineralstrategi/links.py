"""Absolute links to the site, for what leaves it (mail, calendar files): every one starts with
the site's public address, the setting SITE_URL, never with the address of the request or the
worker that happened to make it.

`check --deploy` warns (`mineralstrategi.W001`, `W002`) when SITE_URL is unset or names this
machine (localhost, 127.0.0.1, ::1): the links in every mail would then lead nowhere.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (a name compared, not bound)


def site_address() -> str:
    """The site's public address (scheme and host, no trailing slash); while SITE_URL is unset,
    the address the server listens on (LOCAL_URL), which only this machine can open."""
    return (settings.SITE_URL or settings.LOCAL_URL).rstrip("/")


def public_url(path: str = "/") -> str:
    """`path` (as `reverse` or `get_absolute_url` give it) on the site's public address."""
    return site_address() + (path if path.startswith("/") else "/" + path)


def site_host() -> str:
    """The public address's host name (for calendar UIDs and the like)."""
    return urlsplit(site_address()).hostname or "localhost"


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    address = (settings.SITE_URL or "").strip()
    if not address:
        return [
            checks.Warning(
                "SITE_URL is not set: the links in mails (invitations, reminders, event "
                "confirmations, password resets) would point at this machine.",
                hint="Set SITE_URL to the site's public address, e.g. https://mineralstrategi.example.se.",
                id="mineralstrategi.W001",
            )
        ]
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            checks.Warning(
                f"SITE_URL ({address!r}) is not an address with scheme and host.",
                hint="Give it as https://host (no path).",
                id="mineralstrategi.W002",
            )
        ]
    if parts.hostname in LOOPBACK or parts.hostname.startswith("127."):
        return [
            checks.Warning(
                f"SITE_URL ({address}) names this machine: links in mails lead nowhere for "
                "their readers.",
                hint="Set SITE_URL to the site's public address.",
                id="mineralstrategi.W002",
            )
        ]
    return []
