"""Production settings, read from the environment as `serve` reads them (HTTPS on, DEBUG off, a
real SECRET_KEY): Django's deployment checks pass, every response carries the security headers,
cookies are Secure, HttpOnly (session) and SameSite, and error pages show no traceback.

One fresh interpreter reads the settings module from that environment, answers a set of
requests and runs the deployment checks, also for variants of the environment (each variant's
settings module read again and its values put in place while the checks run); a second one loads
the WSGI application. A Django start-up is the costly part, so there are only these two.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Production settings in fresh processes, alike on either database: CI runs them once.
pytestmark = pytest.mark.sqlite_in_ci

SRC = Path(__file__).resolve().parents[2] / "src"
HOST = "mineralstrategi.example"

PRODUCTION_REQUESTS = """
import io
import json
import os
import runpy
import sys

import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.checks import WARNING, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.test.utils import override_settings
from django.urls import clear_url_caches, path


def deploy_check_output():
    # `check --deploy --fail-level WARNING` as the command line runs it.
    output = io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=output, stderr=output)
    except SystemCheckError as error:
        return {"passed": False, "output": output.getvalue() + str(error)}
    return {"passed": True, "output": output.getvalue()}


# Settings that the running process was built on; a variant keeps them.
BUILT_ON = {"INSTALLED_APPS", "DATABASES", "CACHES"}


def deploy_warnings(overrides):
    # The ids of the deployment checks' warnings with the settings read from this process's
    # environment changed by `overrides`.
    saved = dict(os.environ)
    os.environ.update(overrides)
    try:
        module = runpy.run_module("mineralstrategi.config.settings")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    values = {k: v for k, v in module.items() if k.isupper() and k not in BUILT_ON}
    with override_settings(**values):
        messages = run_checks(include_deployment_checks=True)
    return sorted({message.id for message in messages if message.level >= WARNING})


deploy = {
    "check": deploy_check_output(),
    "variants": {name: deploy_warnings(env) for name, env in json.loads(sys.argv[1]).items()},
}

call_command("migrate", "auth", verbosity=0)
call_command("migrate", "sessions", verbosity=0)
call_command("migrate", "axes", verbosity=0)
call_command("migrate", "organisations", verbosity=0)
call_command("migrate", "otp_totp", verbosity=0)
call_command("migrate", "otp_static", verbosity=0)
call_command("migrate", "notifications", verbosity=0)  # the bell of a person logged in
call_command("migrate", "accounts", verbosity=0)
call_command("migrate", "limits", verbosity=0)  # the login's throttle counts in it
get_user_model().objects.create_user("reader", password="ett-riktigt-langt-losenord-1")


def fails(request):
    raise RuntimeError("internal-detail-that-must-not-leak")


from mineralstrategi.config import urls

urls.urlpatterns.append(path("fails-on-purpose/", fails))
clear_url_caches()

HOST = "mineralstrategi.example"


def client(**kwargs):
    return Client(raise_request_exception=False, HTTP_HOST=HOST, **kwargs)


def describe(response):
    cookies = {
        name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite", "max-age")}
        for name, morsel in response.cookies.items()
    }
    return {
        "status": response.status_code,
        "headers": dict(response.headers.items()),
        "cookies": cookies,
        "body": response.content.decode(errors="replace"),
    }


browser = client()
result = {
    "http": describe(client().get("/konto/login/")),
    "login_page": describe(browser.get("/konto/login/", secure=True)),
    "login": describe(
        browser.post(
            "/konto/login/",
            {"username": "reader", "password": "ett-riktigt-langt-losenord-1"},
            secure=True,
        )
    ),
    "403": describe(browser.get("/en/konto/tvastegsverifiering/", secure=True)),
    "403_csrf": describe(
        client(enforce_csrf_checks=True).post("/en/konto/login/", {"username": "x"}, secure=True)
    ),
    "404": describe(client().get("/en/no-such-page/", secure=True)),
    "400": describe(Client(raise_request_exception=False).get("/", secure=True, HTTP_HOST="evil.example")),
    "500": describe(client().get("/fails-on-purpose/", secure=True)),
    "deploy": deploy,
}
print(json.dumps(result))
"""


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "DJANGO_", "SECURE_"))
        and key not in {"DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mineralstrategi.config.settings",
        SECRET_KEY="production-like-key-" + "k7Qx2vR9mZ4pL8wN3sT6yB1cF5hJ0dG" * 2,
        DEBUG="0",
        HTTPS="1",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        DATA_CONTROLLER="Region Västerbotten",
        PROXY_COUNT="1",  # the TLS proxy in front of `serve`
        MINERALSTRATEGI_DATA_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
    )
    env.update(overrides)
    return env


def run(command: list[str], env: dict, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


# Variants of the production environment whose deployment checks the script runs.
DEPLOY_VARIANTS = {
    "production": {},
    "no_site_url_no_controller": {"SITE_URL": "", "DATA_CONTROLLER": ""},
    "site_url_on_localhost": {"SITE_URL": "http://localhost:8000"},
    "https_proxy_not_counted": {"PROXY_COUNT": "0"},
    "no_https": {"HTTPS": "0"},
    "several_nodes": {"WEB_NODES": "3"},
}


def test_deploy_check_reports_nothing_with_production_settings(production):
    check = production["deploy"]["check"]

    assert check["passed"], check["output"]
    assert "System check identified no issues (0 silenced)." in check["output"]
    assert production["deploy"]["variants"]["production"] == []


def test_deploy_check_catches_mail_links_to_this_machine_and_an_unnamed_controller(production):
    """Without SITE_URL, or with one on localhost, every link in a mail would lead nowhere;
    without DATA_CONTROLLER the privacy notice cannot say who is responsible."""
    variants = production["deploy"]["variants"]

    unset = variants["no_site_url_no_controller"]
    assert "mineralstrategi.W001" in unset and "mineralstrategi.W003" in unset
    assert variants["site_url_on_localhost"] == ["mineralstrategi.W002"]


def test_deploy_check_catches_https_behind_a_proxy_that_is_not_counted(production):
    """HTTPS=1 means a TLS proxy in front; with PROXY_COUNT=0 everyone would share its address
    in the login lockout and the rate limits."""
    assert production["deploy"]["variants"]["https_proxy_not_counted"] == ["mineralstrategi.W004"]


def test_deploy_check_catches_several_servers_that_would_each_keep_their_own(production):
    """WEB_NODES=3 on this process's SQLite, file caches and local media: each server would
    keep its own cache generation and counts (W005), its own uploads (W006), its own database
    (W007). Each case alone: tests/config/test_fleet.py."""
    assert production["deploy"]["variants"]["several_nodes"] == [
        "mineralstrategi.W005",
        "mineralstrategi.W006",
        "mineralstrategi.W007",
    ]


def test_deploy_check_catches_a_deployment_without_https(production):
    """The check above can fail: without HTTPS it names the missing HSTS and secure cookies."""
    warnings = production["deploy"]["variants"]["no_https"]

    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in warnings


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """The responses of a production-configured site to a set of requests (see the script)."""
    folder = tmp_path_factory.mktemp("production")
    command = [sys.executable, "-c", PRODUCTION_REQUESTS, json.dumps(DEPLOY_VARIANTS)]
    completed = run(command, production_env(folder), folder)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(production):
    response = production["http"]

    assert response["status"] == 301
    assert response["headers"]["Location"] == f"https://{HOST}/konto/login/"


def test_security_headers_in_production(production):
    headers = production["login_page"]["headers"]

    assert production["login_page"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"


def test_cookies_are_secure_httponly_and_samesite_in_production(production):
    csrf = production["login_page"]["cookies"]["csrftoken"]
    session = production["login"]["cookies"]["sessionid"]

    assert production["login"]["status"] == 302
    assert csrf["secure"] == "True" and csrf["samesite"] == "Lax"
    assert session["secure"] == "True" and session["httponly"] == "True"
    assert session["samesite"] == "Lax"
    assert session["max-age"] == ""  # ends with the browser; the server ends it after 8 h


@pytest.mark.parametrize(
    ("name", "status", "text"),
    [
        ("400", 400, "Felaktig begäran"),  # 400 and 500: static pages, Swedish then English
        ("403", 403, "Not allowed"),  # asked for in English (/en/)
        ("403_csrf", 403, "The form has expired"),
        ("404", 404, "Page not found"),
        ("500", 500, "Tekniskt fel"),
    ],
)
def test_error_pages_show_no_traceback_in_production(production, name, status, text):
    response = production[name]
    body = response["body"]

    assert response["status"] == status
    assert "Content-Security-Policy" in response["headers"]
    for leak in [
        "Traceback",
        "internal-detail-that-must-not-leak",
        "RuntimeError",
        "DisallowedHost",
    ]:
        assert leak not in body
    assert "settings.py" not in body and "DEBUG = True" not in body
    assert f"<h1>{text}</h1>" in body


def test_the_loaded_application_is_frozen_out_of_the_garbage_collector(tmp_path):
    """A full collection must not walk the objects that live as long as the worker: loaded, then
    frozen, the application leaves few objects for a collection to walk."""
    probe = (
        "import gc, time, mineralstrategi.config.wsgi\n"
        "start = time.perf_counter(); gc.collect()\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()), time.perf_counter() - start)\n"
    )
    completed = run([sys.executable, "-c", probe], production_env(tmp_path), tmp_path)

    assert completed.returncode == 0, completed.stderr
    frozen, tracked, _seconds = completed.stdout.split()
    assert int(frozen) > 50_000
    assert int(tracked) < int(frozen) / 10
