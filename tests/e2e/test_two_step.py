"""In a real browser: a staff member without a device sets up two-step verification from the
QR code page reached through the link mailed to them (accessible, within the Content-Security-Policy), gets backup codes and reaches the
admin; on the next login a code is asked after the password (here a backup code: the app's
code of this 30-second step has been used, and each code works once)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from .conftest import axe_violations, confirm_the_pending_device, open_the_mailed_enrolment_link

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sqlite_in_ci,
]  # the browser walks share out between the CI runs

PASSWORD = "a-long-test-password"


@pytest.fixture
def staff(transactional_db):
    return get_user_model().objects.create_user(
        "staffer", email="staffer@example.se", password=PASSWORD, is_staff=True
    )


def log_in_with_password(page, base: str, next_path: str) -> None:
    page.goto(f"{base}/en/konto/login/?next={next_path}")
    page.fill("input[name=username]", "staffer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_staff_sets_up_two_step_verification_and_logs_in_with_a_code(
    open_page, live_server, staff, mailoutbox
):
    base = live_server.url
    page = open_page(bypass_csp=False)
    page.set_default_timeout(30_000)
    log_in_with_password(page, base, "/admin/")

    page.wait_for_url("**/konto/tvastegsverifiering/?next=*")
    assert page.locator(".qr-code").count() == 0  # only through the link in the mail
    open_the_mailed_enrolment_link(page, base, mailoutbox)
    assert page.locator(".qr-code svg path").count() == 1
    assert page.evaluate("window.__cspViolations") == []
    confirm_the_pending_device(page, "staffer")
    # The click starts a navigation; wait for the codes page rather than reading the old one.
    expect(page.locator(".backup-codes code")).to_have_count(10)
    codes = page.locator(".backup-codes code").all_inner_texts()
    page.click('main a[href="/admin/"]')  # "Fortsätt", or "Continue" in English
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("#site-name").count() == 1

    # A new browser: the password, then a code.
    second = open_page(bypass_csp=True)  # bypass only to inject axe-core
    second.set_default_timeout(30_000)
    log_in_with_password(second, base, "/admin/")
    second.wait_for_url("**/konto/tvastegsverifiering/kod/**")
    assert axe_violations(second) == []
    second.fill("input[name=token]", codes[0])
    second.click("main button[type=submit]")
    second.wait_for_url(f"{base}/admin/")
