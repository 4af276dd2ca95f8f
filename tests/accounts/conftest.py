"""Sign-up and onboarding: people, the links from their mails, an empty cache, and a clock for
the limits that count time (counted in the database: undone with each test's transaction)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

PASSWORD = "gruvlave-i-malmberget-1974"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (django-axes and the pages keep things in it)."""
    cache.clear()
    yield
    cache.clear()


def link_path(mail, fragment: str) -> str:
    """The path of the site link in the mail's body whose path contains `fragment`."""
    for link in re.findall(r"https?://\S+", mail.body):
        if fragment in link:
            return urlsplit(link).path
    raise AssertionError(f"no link with {fragment!r} in:\n{mail.body}")


def sign_up(client, email: str = "anna.berg@example.se", *, ip: str = "127.0.0.1", **overrides):
    data = {
        "name": "Anna Berg",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
        "next": "",
        **overrides,
    }
    return client.post("/en/konto/registrera/", data, REMOTE_ADDR=ip)


@pytest.fixture
def person(db):
    """A verified account made by the sign-up page (named by its address)."""
    return get_user_model().objects.create_user(
        "per.holm@example.se",
        email="per.holm@example.se",
        password=PASSWORD,
        first_name="Per",
        last_name="Holm",
    )


class Clock:
    """The time Django, django-axes and our limits see, moved by hand (`advance`)."""

    def __init__(self):
        self.now = timezone.now().replace(second=0, microsecond=0)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    for target in ("django.utils.timezone.now", "axes.handlers.proxy.now", "axes.attempts.now"):
        monkeypatch.setattr(target, clock)
    return clock
