"""CPU time per render of the pages people who do the work use, logged in (issue #19): the strategy
editor's pages and a consultee's answer form, through Django's whole middleware stack in one
process (no network, no gunicorn), beside the CPU of a page from the public cache and of a static
file.

    python benchmarks/logged_in_cpu.py --data-dir DIR [--renders 10] [--profile NAME]
    python benchmarks/logged_in_cpu.py --database-url URL [--redis-url URL] …

The data folder holds the demo (`mineralstrategi demo --data-dir DIR`, stopped again) or a
generated data set. CPU time (time.process_time), so that the figures hold on a shared machine.
Logged-in pages are never cached whole: this is what every one of their requests costs.
`--profile NAME` prints a cProfile of that page's renders (the 25 costliest functions).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import time

from loadkit import database_arguments, use_database


def cpu_ms(client, path: str, runs: int) -> tuple[float, int]:
    """The median CPU milliseconds of `runs` GETs of `path`, and the page's size in bytes."""
    samples, size = [], 0
    for _ in range(runs):
        start = time.process_time()
        response = client.get(path)
        size = len(response.content)
        samples.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples), size


def logged_in(user):
    """A client whose session is logged in, with the second step done (as after a right code)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second_factor(user).persistent_id
    session.save()
    return client


def pages() -> list[tuple[str, object, str]]:
    """(name, user, path) of each measured page, found in the data: the first strategy, its
    latest frozen version, its round with the most answers and a consultee who may answer in
    the latest open round."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse

    from mineralstrategi.consultation.models import ConsultationRound, Consultee, RoundStatus
    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.organisations.models import Membership, Role
    from mineralstrategi.strategy.models import Strategy

    strategy = Strategy.objects.order_by("pk").first()
    editor = (
        Membership.objects.filter(role=Role.STRATEGY_EDITOR)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    version = strategy.versions.order_by("-number").first()
    indicator = Indicator.objects.order_by("pk").first()
    answered = (
        ConsultationRound.objects.filter(strategy=strategy)
        .annotate(answers=Count("consultees__answers__comments"))
        .order_by("-answers")
        .first()
    )
    found = [
        ("home", editor, reverse("portal:home")),
        ("strategy page", editor, reverse("strategy:detail", args=[strategy.slug])),
        ("working draft", editor, reverse("strategy:draft", args=[strategy.slug])),
        ("indicator page", editor, reverse("indicators:detail", args=[indicator.code])),
        ("follow-up dashboard", editor, reverse("reports:dashboard", args=[strategy.slug])),
    ]
    if version is not None:
        path = reverse("strategy:version", args=[strategy.slug, version.number])
        found.append(("frozen version", editor, path))
    if answered is not None:
        for name, view in [
            ("remiss round", "consultation:detail"),
            ("compilation", "consultation:compilation"),
            ("public answers", "consultation:answers"),
        ]:
            found.append((name, editor, reverse(view, args=[answered.pk])))
    open_round = ConsultationRound.objects.filter(status=RoundStatus.OPEN).order_by("-pk").first()
    consultee = Consultee.objects.filter(round=open_round).order_by("pk").first()
    member = Membership.objects.filter(organisation_id=getattr(consultee, "organisation_id", None))
    member = member.exclude(role=Role.VIEWER).order_by("pk").first()
    if member is not None:
        user = get_user_model().objects.get(pk=member.user_id)
        found.append(("answer form (consultee)", user, consultee.get_answer_url()))
    return found


def session_cookie(user) -> str:
    """A `Cookie` header value of a new session logged in as `user`, the second step done, as
    after the login form and a right code (for `load.py --logged-in`: run with the server's
    environment, so that the session is signed with its SECRET_KEY)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = second_factor(user).persistent_id
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def second_factor(user):
    """The user's confirmed device (made for the benchmark if there is none, e.g. after
    `manage two_step_reset`)."""
    from django_otp import devices_for_user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    return device


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    database_arguments(parser)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--profile", help="the name of a page to profile")
    parser.add_argument(
        "--sessions",
        action="store_true",
        help="print the pages as JSON, each with a new logged-in session's cookie (for load.py)",
    )
    args = parser.parse_args()
    use_database(args)
    if not args.sessions:
        os.environ.update(DEBUG="0", ALLOWED_HOSTS="testserver", SECRET_KEY="benchmark-only")
    import django

    django.setup()
    from django.conf import settings

    if args.sessions:
        found = [
            {"name": name, "who": user.username, "path": path, "cookie": session_cookie(user)}
            for name, user, path in pages()
        ]
        print(json.dumps(found))
        return

    print(f"database: {settings.DATABASES['default']['ENGINE']}")
    print("\n| page | who | CPU per render (ms, median) | size (kB) | gzipped (kB) |")
    print("|---|---|---|---|---|")
    for name, user, path in pages():
        client = logged_in(user)
        client.get(path)  # the first render fills what is kept between requests
        if name == args.profile:
            profile = cProfile.Profile()
            profile.enable()
        milliseconds, size = cpu_ms(client, path, args.renders)
        if name == args.profile:
            profile.disable()
            pstats.Stats(profile).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(80)
        gzipped = len(client.get(path, headers={"accept-encoding": "gzip"}).content)
        print(
            f"| {name} `{path}` | {user.username} | {milliseconds:.1f} | {size / 1000:.0f} "
            f"| {gzipped / 1000:.0f} |"
        )


if __name__ == "__main__":
    main()
