"""Two-step verification: who must use it, enrolment with a QR code through a link mailed to the
account's address, the second step at login, backup codes, the operator's reset, and what an
unverified session can reach. Logins go through the real login form
(not force_login, which tests/conftest.py completes with the second step)."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mineralstrategi.accounts import services, tasks
from mineralstrategi.accounts.policy import otp_required_for
from mineralstrategi.organisations.models import ApiToken, Role

PASSWORD = "a-long-test-password"
SETUP = "/konto/tvastegsverifiering/"
VERIFY = "/konto/tvastegsverifiering/kod/"


def password_login(client, user, next_path="/"):
    return client.post(
        f"/konto/login/?next={next_path}",
        {"username": user.username, "password": PASSWORD, "next": next_path},
    )


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "staffer", email="staffer@example.se", password=PASSWORD, is_staff=True
    )


def links_queued() -> int:
    """How many enrolment mails are queued for the task worker."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith=".send_enrolment_link").count()


def enrol_path(user) -> str:
    """The path of the link the enrolment mail carries (`enrolment_link` is that mail's)."""
    return urlsplit(services.enrolment_link(user)).path


@pytest.fixture
def enrolled_staff(staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    return staff


def test_who_must_verify(db, superuser, staff, skelleftea, make_member):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR)
    editor = make_member(skelleftea, Role.STRATEGY_EDITOR)

    assert otp_required_for(superuser) and otp_required_for(staff)
    assert otp_required_for(administrator)
    assert not otp_required_for(editor)


def test_staff_without_a_device_is_sent_to_set_one_up_and_reaches_nothing_else(client, staff):
    response = password_login(client, staff, next_path="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"

    for path in ["/admin/", "/", "/konto/api-nycklar/", "/admin/auth/user/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SETUP}?next="), path

    write = client.post("/konto/api-nycklar/", {"name": "sneaky"})
    assert write.status_code == 302 and write["Location"].startswith(SETUP)
    assert not ApiToken.objects.exists()


def test_an_unverified_session_gets_403_from_the_api(client, staff):
    password_login(client, staff)

    response = client.get("/api/organisations")

    assert response.status_code == 403
    assert "verification" in response.json()["detail"] or "verifiering" in response.json()["detail"]


def test_the_app_is_set_up_only_through_a_link_mailed_to_the_account(
    client, staff, soup, mailoutbox, django_capture_on_commit_callbacks
):
    """Whoever has the password is not thereby the one who sets up the second factor (#18)."""
    password_login(client, staff, next_path="/admin/")
    with django_capture_on_commit_callbacks(execute=True):
        page = soup(client.get(SETUP))

    assert links_queued() == 1
    assert "En länk för att ställa in appen är på väg till s…@example.se" in page.text
    assert not page.select(".qr-code, .otp-secret") and not TOTPDevice.objects.exists()
    assert tasks.send_enrolment_link.call(staff.pk) is True  # the worker's work
    (mail,) = mailoutbox
    assert mail.to == ["staffer@example.se"]
    link = re.search(r"https?://\S+/konto/tvastegsverifiering/aktivera/\S+/", mail.body).group(0)
    # The same signed value but for its timestamp, which may fall in the next second.
    assert urlsplit(link).path.split(":")[0] == enrol_path(staff).split(":")[0]

    with django_capture_on_commit_callbacks(execute=True):
        reload = soup(client.get(SETUP))
    assert links_queued() == 1  # one mail a session unless asked for
    assert "har skickats till s…@example.se" in reload.text


def test_the_link_can_be_sent_again_a_few_times_an_hour(
    client, staff, soup, django_capture_on_commit_callbacks
):
    password_login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(SETUP)
        for _ in range(services.ENROLMENT_MAILS_PER_HOUR):
            last = soup(client.post(SETUP))

    assert links_queued() == services.ENROLMENT_MAILS_PER_HOUR
    assert "Inga fler länkar kan skickas till s…@example.se den här timmen" in last.text


def test_the_mailed_link_shows_an_inline_svg_qr_code_and_the_key(client, staff, soup):
    password_login(client, staff)

    response = client.get(enrol_path(staff))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = soup(response)
    svg = page.select_one(".qr-code svg")
    assert svg is not None and svg.select("path")
    assert not page.select("[style]")  # the page's CSP allows no inline style
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    secret = page.select_one(".otp-secret").text
    assert re.fullmatch(r"[A-Z2-7]+=*", secret)
    assert "otpauth://totp/" in page.select_one(".otp-uri").text
    # A reload keeps the same key (the one the person may already have scanned).
    assert soup(client.get(enrol_path(staff))).select_one(".otp-secret").text == secret


@pytest.mark.parametrize(
    ("case", "status", "text"),
    [
        ("another account's", 403, "Länken skickades till ett annat konto"),
        ("expired", 410, "Länken har slutat gälla eller så har en nyare skickats"),
        ("tampered", 400, "Länken är ofullständig eller fel"),
    ],
)
def test_a_link_that_is_not_ones_own_current_one_is_refused(
    client, staff, soup, monkeypatch, case, status, text
):
    other = get_user_model().objects.create_user(
        "other-staffer", email="o@example.se", password=PASSWORD, is_staff=True
    )
    path = enrol_path(other if case == "another account's" else staff)
    if case == "expired":
        monkeypatch.setattr(services, "ENROLMENT_MAX_AGE", datetime.timedelta(seconds=-1))
    if case == "tampered":
        path = path[:-6] + "xx/"
    password_login(client, staff)

    response = client.get(path)

    assert response.status_code == status and text in soup(response).text
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_a_wrong_code_does_not_confirm_the_device(client, staff):
    password_login(client, staff)
    client.get(enrol_path(staff))

    response = client.post(enrol_path(staff), {"token": "000000"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_right_code_confirms_shows_ten_backup_codes_once_and_opens_the_admin(
    client, staff, soup
):
    password_login(client, staff, next_path="/admin/")
    client.get(f"{SETUP}?next=/admin/")  # where the login sent them; remembered
    link = enrol_path(staff)
    client.get(link)
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(link, {"token": current_code(device)})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = soup(response)
    codes = [code.text for code in page.select(".backup-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert page.select_one('main a[href="/admin/"]')
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # Already enrolled: the set-up page leads to the backup codes, not to a second device,
    # and the link has done its work.
    assert client.get(SETUP)["Location"] == reverse("accounts:backup_codes")
    used = client.get(link)
    assert used.status_code == 410 and "redan inställd" in soup(used).text
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_operator_resets_a_lost_second_factor_and_the_next_login_mails_a_new_link(
    client, enrolled_staff, soup, django_capture_on_commit_callbacks
):
    services.backup_codes_issue(enrolled_staff)
    output = io.StringIO()

    call_command("two_step_reset", "staffer", stdout=output)

    assert "Removed 2 second factor(s) of staffer" in output.getvalue()
    assert not services.has_confirmed_device(enrolled_staff)
    password_login(client, enrolled_staff, next_path="/admin/")
    assert client.get("/admin/")["Location"].startswith(SETUP)
    with django_capture_on_commit_callbacks(execute=True):
        assert "på väg till s…@example.se" in soup(client.get(SETUP)).text
    assert links_queued() == 1


def test_login_asks_for_the_code_after_the_password(client, enrolled_staff):
    response = password_login(client, enrolled_staff, next_path="/admin/")
    assert response["Location"] == "/admin/"

    sent = client.get("/admin/")
    assert sent.status_code == 302
    assert sent["Location"] == f"{VERIFY}?next=%2Fadmin%2F"

    device = TOTPDevice.objects.get(user=enrolled_staff)
    verified = client.post(VERIFY, {"token": current_code(device), "next": "/admin/"})

    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_at_login_is_refused(client, enrolled_staff):
    password_login(client, enrolled_staff)

    response = client.post(VERIFY, {"token": "123456", "next": "/admin/"})

    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, enrolled_staff):
    codes = services.backup_codes_issue(enrolled_staff)
    password_login(client, enrolled_staff)

    first = client.post(VERIFY, {"token": codes[0].upper(), "next": "/admin/"})
    assert first.status_code == 302 and first["Location"] == "/admin/"
    assert services.backup_codes_left(enrolled_staff) == 9

    client.post(reverse("logout"))
    password_login(client, enrolled_staff)
    again = client.post(VERIFY, {"token": codes[0], "next": "/admin/"})
    assert again.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_new_backup_codes_replace_the_old_ones(client, enrolled_staff, soup):
    old = services.backup_codes_issue(enrolled_staff)
    client.force_login(enrolled_staff)  # verified, see tests/conftest.py

    response = client.post(reverse("accounts:backup_codes"))

    new = [code.text for code in soup(response).select(".backup-codes code")]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_an_organisation_administrator_must_verify_too(client, skelleftea, make_member):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR)

    password_login(client, administrator)

    assert client.get("/konto/api-nycklar/")["Location"].startswith(SETUP)


def test_others_log_in_with_the_password_alone(client, skelleftea, make_member):
    editor = make_member(skelleftea, Role.STRATEGY_EDITOR)

    password_login(client, editor)

    assert client.get("/konto/api-nycklar/").status_code == 200
    assert client.get(SETUP).status_code == 403  # nothing asks them for a device


def test_the_admin_login_is_the_sites_two_step_login(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")


def test_the_admin_refuses_a_staff_session_verified_by_nobody(client, staff):
    """Defence in depth: the admin site itself (OTPAdminSite) checks the verification."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = staff
    staff.is_verified = lambda: False

    assert not admin.site.has_permission(request)
    staff.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_verified_session_finds_its_backup_codes_from_the_header(client, enrolled_staff, soup):
    client.force_login(enrolled_staff)  # verified, see tests/conftest.py

    page = soup(client.get("/"))

    link = page.select_one(f".header-tools a[href='{reverse('accounts:backup_codes')}']")
    assert link is not None
