"""Real-browser fixtures: Debian's Chromium at /usr/bin/chromium driven by Playwright.

Playwright never downloads a browser here. Without /usr/bin/chromium the browser tests are
skipped with a reason, unless MINERALSTRATEGI_REQUIRE_BROWSER=1 (set by `.ci/run`), which turns
the skip into a failure so that CI cannot pass with the browser tests silently left out.

One browser is shared by the whole session; every test gets a fresh context (cookies, storage)
and page, and a live server with the demo data loaded into a transactional test database.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import TEST_PASSWORD
from tests.demo_snapshot import snapshot_restore

# Playwright's sync API runs an asyncio event loop in the main thread, and leaves it registered as
# the running loop from the first browser test until the session ends. Django's guard against
# synchronous database access from async code would then fire in the fixture that loads the demo,
# and in every database test that runs after a browser test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Records every Content-Security-Policy violation the page reports, before any page script runs.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def browser_required() -> bool:
    return os.environ.get("MINERALSTRATEGI_REQUIRE_BROWSER", "").strip().lower() in {
        "1",
        "true",
        "yes",
    }


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (install Debian's chromium package)"
        if browser_required():
            pytest.fail(f"MINERALSTRATEGI_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def contexts_closed_after_the_test(request):
    """Every browser context a test opened is closed after it, so that no page keeps a connection
    to the live server open into the next test (its socket, collected later, would fail another
    test with a ResourceWarning)."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()


@pytest.fixture
def demo_site(live_server, demo_data) -> str:
    """The live server's base URL, with the demo data in its database.

    `live_server` brings a transactional database, emptied after each test; `demo_data` copies
    the demo's rows, loaded once for the session, into it (tests/demo_snapshot.py).
    """
    return live_server.url


@pytest.fixture(scope="module")
def shared_demo_server(demo_snapshot, django_db_blocker) -> Iterator[str]:
    """A live server of the module's own with the demo's rows committed once for the module.

    `demo_site` restores the demo before each test and empties the tables after it (about 1.3 s a
    test); tests that only read can share one copy instead (`read_only_demo_site`). The module's
    end empties the tables as a transactional test's end does."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        snapshot_restore(demo_snapshot)
    try:
        yield server.url
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.fixture
def read_only_demo_site(shared_demo_server, demo_snapshot, django_db_blocker) -> Iterator[str]:
    """The demo site's base URL for a browser test that only reads (see `shared_demo_server`).

    A test that writes uses `demo_site`; so does every test in a module that writes, since its
    rows would reach the module's later tests."""
    from mineralstrategi.organisations.models import Organisation

    with django_db_blocker.unblock():
        if not Organisation.objects.exists():  # another kind of test in the module emptied it
            snapshot_restore(demo_snapshot)
        yield shared_demo_server


@dataclass
class PageLog:
    """What a page said on its console and the uncaught errors it threw."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def _new_page(browser, *, bypass_csp: bool = False, init_scripts: tuple[str, ...] = ()):
    context = browser.new_context(bypass_csp=bypass_csp, service_workers="block")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log = PageLog()
    page.on("console", lambda message: _record_console(log, message))
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.add_init_script(CSP_RECORDER)
    for script in init_scripts:
        page.add_init_script(script)
    page.log = log
    return context, page


def _record_console(log: PageLog, message) -> None:
    if message.type == "error":
        log.console_errors.append(f"{message.text} ({message.location.get('url', '')})")


@pytest.fixture
def open_page(browser) -> Iterator:
    """open_page(bypass_csp=False, init_scripts=()) -> a fresh Playwright page in its own context.

    The page has `page.log` (console errors, page errors) and records CSP violations in
    `window.__cspViolations`. bypass_csp is for injecting test-only scripts (axe-core), which the
    site's policy rightly refuses.
    """
    contexts = []

    def make(*, bypass_csp: bool = False, init_scripts: tuple[str, ...] = ()):
        context, page = _new_page(browser, bypass_csp=bypass_csp, init_scripts=init_scripts)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A fresh page under the site's own Content-Security-Policy."""
    return open_page()


def logged_in_page(
    browser, live_server, username: str, next_path: str, *, language: str = "", bypass_csp=True
):
    """A new page logged in as `username` (made by `make_member`) through the login form, at
    `next_path`; `language` "/en" logs in on the English page. The CSP is bypassed by default so
    that axe-core may be injected."""
    page = browser.new_context(bypass_csp=bypass_csp).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{language}/konto/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_path}")
    return page


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the loaded page; the violations of the given impacts, summarised."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )
    return [violation for violation in result if violation["impact"] in impacts]


def current_totp_code(username: str) -> str:
    """The code the user's authenticator app would show now, computed from the device's key."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def pass_second_step(page, username: str) -> None:
    """After the password: type the current TOTP code on the two-step page and send it."""
    page.wait_for_url("**/konto/tvastegsverifiering/kod/**")
    page.fill("input[name=token]", current_totp_code(username))
    page.click("main button[type=submit]")


# --- Two-step enrolment, as a person who must use it goes through it -------------------------------


def open_the_mailed_enrolment_link(page, base: str, mailoutbox) -> None:
    """On the page that says the enrolment link was mailed: the task worker sends it, and the
    person opens the link from their mail in the same browser."""
    from django.core.management import call_command
    from playwright.sync_api import expect

    expect(page.locator("main [role=status]")).to_contain_text("…@", timeout=30_000)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    links = [
        link
        for mail in mailoutbox
        for link in re.findall(r"https?://\S+", mail.body)
        if "/tvastegsverifiering/aktivera/" in link
    ]
    page.goto(base + urlsplit(links[-1]).path)


def confirm_the_pending_device(page, username: str) -> None:
    """Type the code an app that scanned the QR code shows now, and confirm."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    page.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, digits=6):06d}")
    page.click("main button[type=submit]")
