"""In a real browser: a person signs up, opens the verification link from the mail the worker
sent, registers a new organisation (a wrong check digit in its number is refused at the field),
a staff member approves it, and the person, now its administrator, sets up two-step verification
and sees themselves as its administrator.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the pages.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.handbook import handbook_picture

from .conftest import (
    axe_violations,
    confirm_the_pending_device,
    open_the_mailed_enrolment_link,
    pass_second_step,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs

PASSWORD = "gruvlave-i-malmberget-1974"
STAFF_PASSWORD = "a-long-test-password"
WAIT = 30_000  # milliseconds: the machine may be busy (expect's own default is 5 s)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def link_path(mail, fragment: str) -> str:
    for link in re.findall(r"https?://\S+", mail.body):
        if fragment in link:
            return urlsplit(link).path
    raise AssertionError(mail.body)


@pytest.fixture
def staff(transactional_db, geography):
    user = get_user_model().objects.create_user(
        "staffer", email="staffer@example.se", password=STAFF_PASSWORD, is_staff=True
    )
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def test_a_person_signs_up_registers_an_organisation_and_administers_it_once_approved(
    open_page, live_server, staff, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    person = open_page(bypass_csp=True)  # bypass only to inject axe-core
    person.set_default_timeout(30_000)

    # Sign up.
    person.goto(f"{base}/konto/login/")
    person.click("main a[href='/konto/registrera/']")
    person.fill("#id_name", "Anna Berg")
    person.fill("#id_email", "anna.berg@example.se")
    person.fill("#id_password1", PASSWORD)
    person.fill("#id_password2", PASSWORD)
    person.check("#id_consent")
    handbook_picture(person, "kom-igang-skapa-konto")
    assert axe_violations(person) == []
    person.click("main button[type=submit]")
    person.wait_for_url("**/konto/registrera/skickat/")
    assert person.locator("h1").inner_text() == "Kolla din e-post"

    # The worker mails the link; opening it and confirming logs the person in.
    assert mailoutbox == []
    run_worker()
    (mail,) = mailoutbox
    assert mail.to == ["anna.berg@example.se"]
    person.goto(base + link_path(mail, "/konto/bekrafta/"))
    person.click("main button[type=submit]")
    person.wait_for_url("**/konto/kom-igang/")
    expect(person.locator(".message-success")).to_contain_text(
        "Din e-postadress är bekräftad", timeout=WAIT
    )
    handbook_picture(person, "kom-igang-dina-organisationer")

    # A number with a wrong check digit is refused, naming the field.
    form = person.locator("form[action='/konto/kom-igang/ny-organisation/#register']")
    form.locator("#id_name").fill("Norrbottens Gruvteknik AB")
    form.locator("#id_kind").select_option("company")
    form.locator("#id_organisation_number").fill("556036-0794")
    form.locator("button[type=submit]").click()
    summary = person.locator("#register ~ .error-summary")
    expect(summary).to_contain_text(
        "Organisationsnummer: Organisationsnumret 556036-0794 har fel", timeout=WAIT
    )
    assert axe_violations(person) == []

    # With the right number it is sent.
    form.locator("#id_organisation_number").fill("556036-0793")
    form.locator("button[type=submit]").click()
    expect(person.locator(".message-success")).to_contain_text(
        "Din ansökan om att registrera Norrbottens Gruvteknik AB är skickad", timeout=WAIT
    )
    expect(person.locator("table")).to_contain_text("Väntar på beslut", timeout=WAIT)

    # The staff member is told by mail and approves it on the decisions page.
    run_worker()
    assert mailoutbox[-1].to == ["staffer@example.se"]
    desk = open_page()
    desk.set_default_timeout(30_000)
    desk.goto(f"{base}/konto/login/?next=/konto/ansokningar/")
    desk.fill("input[name=username]", "staffer")
    desk.fill("input[name=password]", STAFF_PASSWORD)
    desk.click("main button[type=submit]")
    pass_second_step(desk, "staffer")
    desk.wait_for_url("**/konto/ansokningar/")
    application = desk.locator("li.application", has_text="Norrbottens Gruvteknik AB")
    expect(application).to_contain_text("556036-0793", timeout=WAIT)
    application.locator("button[value=approve]").click()
    expect(desk.locator(".message-success")).to_contain_text(
        "Norrbottens Gruvteknik AB är registrerad, med Anna Berg som administratör", timeout=WAIT
    )

    run_worker()
    assert mailoutbox[-1].to == ["anna.berg@example.se"]

    # The person, now an administrator, sets up two-step verification and sees their role.
    person.goto(f"{base}/konto/kom-igang/")
    person.wait_for_url("**/konto/tvastegsverifiering/?next=*")
    open_the_mailed_enrolment_link(person, base, mailoutbox)
    handbook_picture(person, "kom-igang-tvastegsverifiering")
    confirm_the_pending_device(person, "anna.berg@example.se")
    expect(person.locator(".backup-codes code")).to_have_count(10, timeout=WAIT)
    handbook_picture(person, "kom-igang-reservkoder")
    person.click("main a[href='/konto/kom-igang/']")
    person.wait_for_url("**/konto/kom-igang/")
    expect(person.locator("ul.memberships")).to_have_text(
        re.compile(r"Norrbottens Gruvteknik AB:\s*Administratör"), timeout=WAIT
    )
    person.click("ul.memberships a")
    expect(person.locator("h1")).to_have_text("Norrbottens Gruvteknik AB", timeout=WAIT)
