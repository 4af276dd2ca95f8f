"""An organisation's administrator, in a real browser, invites a colleague who has an account:
the worker mails the link; the colleague opens it, logs in, accepts, and appears in the member
list with the role. On the demo data: "strateg" administers Region Västerbotten; "ltu"
(Luleå tekniska universitet's contributor) is the colleague.
"""

import re

import pytest
from django.core.management import call_command

from mineralstrategi.demo.organisations import DEMO_PASSWORD

from .conftest import axe_violations, pass_second_step
from .handbook import handbook_picture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sqlite_in_ci,
]  # the browser walks share out between the CI runs

PUBLIC = "https://strategi.example.se"


def log_in(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/konto/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")


def test_an_administrator_invites_a_colleague_who_accepts(
    open_page, demo_site, settings, mailoutbox
):
    settings.SITE_URL = PUBLIC
    admin = open_page(bypass_csp=True)  # bypass only to inject axe-core
    log_in(admin, demo_site, "strateg", "/konto/organisationer/")
    pass_second_step(admin, "strateg")  # an organisation's administrator verifies twice
    admin.wait_for_url("**/konto/organisationer/")
    admin.get_by_role("link", name="Hantera medlemmar").click()
    admin.wait_for_url("**/organisationer/region-vasterbotten/medlemmar/")

    admin.fill("input[name=email]", "ltu@mineralstrategi.example")
    admin.get_by_label("Roll", exact=True).select_option("strategy_editor")
    admin.get_by_role("button", name="Skicka inbjudan").click()
    admin.wait_for_selector(".message-success")
    row = admin.locator("#invitations tbody tr").first
    assert "ltu@mineralstrategi.example" in row.inner_text()
    assert row.locator("[data-state]").get_attribute("data-state") == "queued"
    assert axe_violations(admin) == []
    handbook_picture(admin, "organisation-medlemmar", full_page=True)

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (mail,) = mailoutbox
    assert mail.to == ["ltu@mineralstrategi.example"]
    link = re.search(re.escape(PUBLIC) + r"(/inbjudan/[\w-]+/)", mail.body).group(1)
    admin.reload()
    assert row.locator("[data-state]").get_attribute("data-state") == "sent"

    colleague = open_page()
    colleague.goto(f"{demo_site}{link}")
    assert "Region Västerbotten" in colleague.locator("main").inner_text()
    colleague.get_by_role("link", name="Logga in").last.click()
    colleague.fill("input[name=username]", "ltu")
    colleague.fill("input[name=password]", DEMO_PASSWORD)
    colleague.click("main button[type=submit]")
    colleague.wait_for_url(re.compile(re.escape(link) + "$"))
    handbook_picture(colleague, "organisation-inbjudan")
    colleague.get_by_role("button", name="Tacka ja och gå med i Region Västerbotten").click()
    colleague.wait_for_url("**/konto/organisationer/")
    assert "Strategiredaktör" in colleague.locator(".message-success").inner_text()

    admin.reload()
    members = admin.locator("#members").inner_text()
    assert re.search(r"Maria Kero\s+ltu@mineralstrategi.example\s+Strategiredaktör", members)
    assert (
        admin.locator("#invitations tbody tr")
        .first.locator("[data-state]")
        .get_attribute("data-state")
        == "accepted"
    )
