"""Two-step verification: who must use it, enrolment with a QR code, the second step at login,
backup codes, and what an unverified session can reach. Logins go through the real login form
(not force_login, which tests/conftest.py completes with the second step)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mineralstrategi.accounts import services
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
    return get_user_model().objects.create_user("staffer", password=PASSWORD, is_staff=True)


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


def test_setup_page_shows_an_inline_svg_qr_code_and_the_key(client, staff, soup):
    password_login(client, staff)

    response = client.get(SETUP)

    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
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
    assert soup(client.get(SETUP)).select_one(".otp-secret").text == secret


def test_a_wrong_code_does_not_confirm_the_device(client, staff):
    password_login(client, staff)
    client.get(SETUP)

    response = client.post(SETUP, {"token": "000000"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_right_code_confirms_shows_ten_backup_codes_once_and_opens_the_admin(
    client, staff, soup
):
    password_login(client, staff, next_path="/admin/")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(SETUP, {"token": current_code(device), "next": "/admin/"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = [code.text for code in soup(response).select(".backup-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # Already enrolled: the set-up page leads to the backup codes, not to a second device.
    assert client.get(SETUP)["Location"] == reverse("accounts:backup_codes")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


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
