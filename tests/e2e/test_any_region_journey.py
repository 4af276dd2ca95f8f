"""Issue 16's whole walk, in a real browser, on a platform with nothing but the map of Sweden: a
strategy for another county set up from nothing through the pages.

A person signs up and registers a new organisation; the platform's staff approve it; she, now its
administrator, invites two colleagues (one signs up from the invitation, one already has an
account); she sets the strategy up from an outline; her colleague writes the draft, freezes it
and sends it on remiss. A follower of the organisation and of the strategy is told of each step by
the worker: the bell and the notification list show them, and his daily digest (sent by the
worker, once) lists them with a one-click unsubscribe link.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mineralstrategi.consultation.models import ConsultationRound
from mineralstrategi.notifications.models import NotificationSettings
from mineralstrategi.strategy.models import Strategy

from .conftest import confirm_the_pending_device, open_the_mailed_enrolment_link, pass_second_step

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs (the SQLite run is the longer)

PASSWORD = "fjallgruvan-i-jamtland-2026"
WAIT = 30_000  # milliseconds: the machine may be busy
ORGANISATION = "Jämtlands gruvråd"  # an invented organisation, with an invented number
NUMBER = "802481-1237"
STRATEGY = "Mineralstrategi för Jämtlands län"
OUTLINE = """# Hållbar gruvdrift i fjällen
Gruvor som tar hänsyn till rennäringen och fjällmiljön.
## Samråd med samebyarna
# Kompetensförsörjning
""".encode()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def link_path(mail, fragment: str) -> str:
    for link in re.findall(r"https?://\S+", mail.body):
        if fragment in link:
            return urlsplit(link).path + (
                f"?{urlsplit(link).query}" if urlsplit(link).query else ""
            )
    raise AssertionError(mail.body)


def mails_to(outbox, address: str) -> list:
    return [mail for mail in outbox if address in mail.to]


def new_page(open_page):
    page = open_page()
    page.set_default_timeout(WAIT)
    return page


def log_in(page, base: str, username: str, password: str, next_path: str) -> None:
    page.goto(f"{base}/konto/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def sign_up(page, base: str, outbox, *, name: str, email: str, path: str = "/konto/registrera/"):
    """Signs up, opens the link the worker mails and confirms; the page is then logged in."""
    page.goto(base + path)
    page.fill("#id_name", name)
    if not page.input_value("#id_email"):
        page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_consent")
    page.click("main button[type=submit]")
    page.wait_for_url("**/konto/registrera/skickat/")
    run_worker()
    page.goto(base + link_path(mails_to(outbox, email)[-1], "/konto/bekrafta/"))
    page.click("main button[type=submit]")


def follow(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.get_by_role("button", name="Följ", exact=True).click()
    expect(page.get_by_role("button", name=re.compile("Följer"))).to_be_visible()


@pytest.fixture
def people(transactional_db, geography):
    User = get_user_model()
    staff = User.objects.create_user(
        "staffer", email="staffer@example.se", password=PASSWORD, is_staff=True
    )
    TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    follower = User.objects.create_user("lars", email="lars@example.se", password=PASSWORD)
    NotificationSettings.objects.create(user=follower, mail="daily")
    User.objects.create_user("karin", email="karin@example.se", password=PASSWORD)


def test_a_strategy_for_another_county_from_nothing_with_followers_told_at_each_step(
    open_page, live_server, people, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url

    # 1. Anna signs up and registers her organisation; a wrong check digit is refused.
    anna = new_page(open_page)
    sign_up(anna, base, mailoutbox, name="Anna Berg", email="anna@example.se")
    anna.wait_for_url("**/konto/kom-igang/")
    form = anna.locator("form[action='/konto/kom-igang/ny-organisation/#register']")
    form.locator("#id_name").fill(ORGANISATION)
    form.locator("#id_kind").select_option("interest_organisation")
    form.locator("#id_county").select_option(label="Jämtlands län")
    form.locator("#id_organisation_number").fill("802481-1238")
    form.locator("button[type=submit]").click()
    expect(anna.locator("#register ~ .error-summary")).to_contain_text("fel kontrollsiffra")
    form.locator("#id_organisation_number").fill(NUMBER)
    form.locator("button[type=submit]").click()
    expect(anna.locator("table")).to_contain_text("Väntar på beslut")

    # 2. The platform's staff approve it.
    run_worker()
    desk = new_page(open_page)
    log_in(desk, base, "staffer", PASSWORD, "/konto/ansokningar/")
    pass_second_step(desk, "staffer")
    desk.wait_for_url("**/konto/ansokningar/")
    desk.locator("li.application", has_text=ORGANISATION).locator("button[value=approve]").click()
    expect(desk.locator(".message-success")).to_contain_text(f"{ORGANISATION} är registrerad")
    run_worker()

    # The organisation has its page, with its number; Lars follows it.
    lars = new_page(open_page)
    log_in(lars, base, "lars", PASSWORD, "/organisationer/")
    lars.wait_for_url("**/organisationer/")
    lars.get_by_role("link", name=ORGANISATION).click()
    expect(lars.locator("main dl.facts")).to_contain_text(NUMBER)
    organisation_path = urlsplit(lars.url).path
    follow(lars, base, organisation_path)

    # 3. Anna, now its administrator, verifies in two steps and invites two colleagues.
    anna.goto(f"{base}/konto/organisationer/")
    anna.wait_for_url("**/konto/tvastegsverifiering/?next=*")
    open_the_mailed_enrolment_link(anna, base, mailoutbox)
    confirm_the_pending_device(anna, "anna@example.se")
    expect(anna.locator(".backup-codes code")).to_have_count(10)
    anna.goto(f"{base}/konto/organisationer/")
    anna.get_by_role("link", name="Hantera medlemmar").click()
    for email, role in (
        ("erik@example.se", "strategy_editor"),
        ("karin@example.se", "contributor"),
    ):
        anna.fill("input[name=email]", email)
        anna.get_by_label("Roll", exact=True).select_option(role)
        anna.get_by_role("button", name="Skicka inbjudan").click()
        expect(anna.locator(".message-success")).to_be_visible()
    run_worker()
    anna.reload()
    expect(anna.locator("#invitations [data-state=sent]")).to_have_count(2)

    # Erik has no account: he signs up from the invitation and accepts it.
    erik = new_page(open_page)
    invitation = link_path(mails_to(mailoutbox, "erik@example.se")[-1], "/inbjudan/")
    erik.goto(base + invitation)
    erik.locator("main").get_by_role("link", name="Skapa ett konto").click()
    sign_up(
        erik,
        base,
        mailoutbox,
        name="Erik Persson",
        email="erik@example.se",
        path=urlsplit(erik.url).path + "?" + urlsplit(erik.url).query,
    )
    erik.wait_for_url(f"**{invitation}")
    erik.get_by_role("button", name=re.compile("Tacka ja|Godta|Acceptera")).click()
    # Karin has an account: she logs in from the invitation and accepts it.
    karin = new_page(open_page)
    invitation = link_path(mails_to(mailoutbox, "karin@example.se")[-1], "/inbjudan/")
    log_in(karin, base, "karin", PASSWORD, invitation)
    karin.wait_for_url(f"**{invitation}")
    karin.get_by_role("button", name=re.compile("Tacka ja|Godta|Acceptera")).click()
    anna.reload()
    members = anna.locator("main").inner_text()
    assert "Erik Persson" in members and "karin" in members

    # 4. Anna sets the strategy up from an outline.
    anna.goto(f"{base}/strategi/ny/")
    anna.get_by_label("Strategins namn").fill(STRATEGY)
    anna.get_by_label("Första år:").fill("2026")
    anna.get_by_label("Sista år:").fill("2035")
    anna.get_by_label("Jämtlands län").check()
    anna.get_by_label("En importerad disposition").check()
    anna.set_input_files(
        "input[name=outline]",
        files=[{"name": "disposition.md", "mimeType": "text/markdown", "buffer": OUTLINE}],
    )
    anna.get_by_role("button", name="Lägg upp strategin").click()
    strategy = Strategy.objects.get(title=STRATEGY)
    anna.wait_for_url(f"**/strategi/{strategy.slug}/utkast/")
    follow(lars, base, f"/strategi/{strategy.slug}/")
    follow(karin, base, f"/strategi/{strategy.slug}/")  # a partner: she may read the draft

    # 5. Erik writes the draft, freezes it and sends it on remiss to Östersund.
    erik.goto(f"{base}/strategi/{strategy.slug}/utkast/")
    erik.get_by_role("link", name="Redigera Kompetensförsörjning").click()
    erik.fill("textarea[name=body_markdown]", "Fler utbildade för gruvor och förädling i länet.")
    erik.get_by_role("button", name="Spara").click()
    expect(erik.locator(".message-success")).to_be_visible()
    erik.goto(f"{base}/strategi/{strategy.slug}/utkast/")
    erik.fill("#id_label", "Remissversion")
    erik.get_by_role("button", name="Lås utkastet som en ny version").click()
    erik.goto(f"{base}/strategi/{strategy.slug}/ny-remiss/")
    erik.fill("#id_title", "Remiss av mineralstrategin för Jämtlands län")
    erik.fill("#id_registry_number", "JGR 2026/1")
    erik.fill("#id_contact_name", "Erik Persson")
    erik.fill("#id_contact_email", "erik@example.se")
    today = timezone.localdate()
    erik.fill("#id_opens_on", today.isoformat())
    erik.fill("#id_deadline", (today + datetime.timedelta(days=30)).isoformat())
    erik.get_by_role("button", name="Planera remissomgången").click()
    erik.wait_for_url(re.compile(r".*/remiss/\d+/$"))
    erik.select_option("#id_organisation", label="Östersunds kommun")
    erik.click("button[name=action][value=add_organisation]")
    erik.wait_for_selector("tr[data-consultee] >> text=Östersunds kommun")
    erik.click("button[name=action][value=send]")
    expect(erik.locator(".message-success")).to_contain_text("Remissomgången är öppen")
    round_ = ConsultationRound.objects.get(registry_number="JGR 2026/1")

    # 6. The worker tells the followers. Karin, a partner, hears of the draft's change at once
    # (she reads the draft; mail at once is the default); Lars, a member of the public, of the
    # frozen version and the remiss only: the bell, the list, and one daily digest.
    run_worker()
    karin.goto(f"{base}/notiser/")
    expect(karin.locator("main")).to_contain_text("Kompetensförsörjning")
    assert any(
        "Kompetensförsörjning" in mail.body for mail in mails_to(mailoutbox, "karin@example.se")
    )
    assert mails_to(mailoutbox, "lars@example.se") == []
    lars.goto(f"{base}/notiser/")
    notices = lars.locator("main").inner_text()
    assert "Kompetensförsörjning" not in notices  # the working draft is not his to read
    assert f"Version 1 av {STRATEGY} låstes" in notices
    assert round_.title in notices
    expect(lars.locator(".notification-bell .badge")).to_have_text(re.compile("^2"))

    call_command("send_digests", "--period", "daily")
    run_worker()
    (digest,) = mails_to(mailoutbox, "lars@example.se")
    assert round_.title in digest.body and "låstes" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    call_command("send_digests", "--period", "daily")
    run_worker()
    assert len(mails_to(mailoutbox, "lars@example.se")) == 1  # never twice

    # The unsubscribe link works without logging in.
    visitor = new_page(open_page)
    visitor.goto(base + link_path(digest, "/notiser/avsluta/"))
    visitor.click("main form button[type=submit]")
    expect(visitor.locator("main [role=status]")).to_be_visible()
    assert NotificationSettings.objects.get(user__username="lars").mail == "never"
