"""The API keys page (/konto/api-nycklar/): a key is made with a period and scopes, listed with
its scopes, expiry and last use, renewed and revoked; staff make one only after verifying a
second factor in the session."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from mineralstrategi.organisations.models import ApiScope, ApiToken, Role
from mineralstrategi.organisations.services import api_token_create

PAGE = "/konto/api-nycklar/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def editor(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR)


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staffer", password=PASSWORD, is_staff=True)


def day(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d")


def row_of(page, token):
    return page.select_one(f"#key-{token.pk}")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_a_key_is_made_for_a_period_with_scopes_and_listed(client, editor, soup):
    client.force_login(editor)

    page = soup(client.post(PAGE, {"name": "Importskript", "days": "90", "scopes": ["import"]}))

    key = page.select_one("code.api-key").text
    token = ApiToken.objects.get(user=editor)
    assert key.startswith(f"ms_{token.prefix}_") and token.scopes == ["import"]
    row = row_of(page, token)
    assert (
        text(row.select_one("[data-scopes]")) == "Importera statistik (POST /api/imports) och läsa"
    )
    expires = timezone.now() + datetime.timedelta(days=90)
    assert text(row.select_one("[data-expires]")) == day(expires)
    assert text(row.select_one("[data-last-used]")) == "aldrig"
    assert row.select_one("button[name=renew]") and row.select_one("button[name=revoke]")


def test_a_short_key_says_how_many_days_are_left_and_an_expired_one_is_marked(client, editor, soup):
    soon, _ = api_token_create(user=editor, name="snart", days=30)
    gone, _ = api_token_create(user=editor, name="gammal", days=30)
    ApiToken.objects.filter(pk=gone.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=2)
    )
    gone.refresh_from_db()
    client.force_login(editor)

    page = soup(client.get(PAGE))

    assert text(row_of(page, soon).select_one("[data-expires]")) == (
        f"{day(soon.expires_at)} går ut om 30 dagar"
    )
    assert text(row_of(page, gone).select_one("[data-expires]")) == (
        f"{day(gone.expires_at)} har gått ut"
    )
    assert row_of(page, gone).select_one("button[name=renew]") is None


def test_renewing_extends_the_key_from_today_by_the_period_chosen(client, editor, soup):
    token, _ = api_token_create(user=editor, name="skript", days=30)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=5)
    )
    client.force_login(editor)
    assert "går ut om 5 dagar" in text(row_of(soup(client.get(PAGE)), token))

    response = client.post(PAGE, {"renew": token.pk, "days": "365"}, follow=True)

    token.refresh_from_db()
    new_date = day(timezone.now() + datetime.timedelta(days=365))
    assert day(token.expires_at) == new_date
    page = soup(response)
    assert text(row_of(page, token).select_one("[data-expires]")) == new_date
    assert f"Nyckeln skript gäller till {new_date}." in text(page)


def test_the_last_use_is_shown_with_the_time_and_address(client, editor, soup):
    token, key = api_token_create(user=editor, name="skript")
    client.get("/api/imports/1", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    client.force_login(editor)

    shown = text(row_of(soup(client.get(PAGE)), token).select_one("[data-last-used]"))

    when = date_format(timezone.localtime(token.last_used_at), "Y-m-d H:i")
    assert shown == f"{when} från 127.0.0.1"


def test_a_member_without_a_setting_up_role_is_offered_read_and_import_only(
    client, region_vasterbotten, make_member, soup
):
    viewer = make_member(region_vasterbotten, Role.VIEWER)
    client.force_login(viewer)

    offered = [box["value"] for box in soup(client.get(PAGE)).select("input[name=scopes]")]
    assert offered == ["read", "import"]

    response = client.post(PAGE, {"name": "x", "days": "365", "scopes": ["write"]})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert text(soup(response).select_one("#new-key .errorlist")) == (
        "Välj bland de behörigheter som du erbjuds."
    )


def test_the_longest_period_is_capped_by_the_setting(client, editor, soup, settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "API_KEY_MAX_DAYS": 90}
    client.force_login(editor)

    offered = [option.text for option in soup(client.get(PAGE)).select("#id_days option")]
    assert offered == ["30 dagar", "90 dagar"]
    token, _ = api_token_create(user=editor, name="standard")
    assert day(token.expires_at) == day(timezone.now() + datetime.timedelta(days=90))


def password_login(client, user):
    client.post("/konto/login/", {"username": user.username, "password": PASSWORD, "next": "/"})


def test_staff_without_a_verified_second_factor_cannot_make_a_key_and_are_told_why(
    client, staff, soup, settings
):
    # Through the whole stack, the session is sent to verify before it reaches the page.
    password_login(client, staff)
    sent = client.post(PAGE, {"name": "x", "days": "365", "scopes": ["read"]})
    assert sent.status_code == 302 and sent["Location"].startswith("/konto/tvastegsverifiering/")
    assert not ApiToken.objects.exists()

    # The page's own refusal, should OTPRequiredMiddleware ever let such a session through.
    settings.MIDDLEWARE = [
        entry for entry in settings.MIDDLEWARE if not entry.endswith("OTPRequiredMiddleware")
    ]
    session = client.cookies
    client = Client()  # a client loads the middleware once
    client.cookies = session
    page = soup(client.get(PAGE))
    assert page.select_one("form#new-key") is None
    notice = page.select_one("#second-factor-needed")
    assert "tvåstegsverifiering" in text(notice)
    assert notice.select_one("a")["href"].startswith("/konto/tvastegsverifiering/?next=")

    refused = client.post(PAGE, {"name": "x", "days": "365", "scopes": ["read"]})
    assert refused.status_code == 403
    assert "tvåstegsverifiering" in text(soup(refused).select_one("#second-factor-needed"))
    assert not ApiToken.objects.exists()


def test_staff_with_a_verified_second_factor_make_a_key(client, staff, soup):
    client.force_login(staff)  # tests/conftest.py: force_login completes the second step

    page = soup(client.post(PAGE, {"name": "Redaktionens", "days": "30", "scopes": ["read"]}))

    assert page.select_one("code.api-key").text.startswith("ms_")
    assert ApiToken.objects.get(user=staff).scopes == [ApiScope.READ]


def test_existing_keys_keep_every_scope_for_a_year_from_creation_and_30_days_at_least(editor):
    migration = importlib.import_module(
        "mineralstrategi.organisations.migrations.0005_apitoken_expiry_scopes"
    )
    recent, _ = api_token_create(user=editor, name="ny", scopes=[ApiScope.READ])
    old, _ = api_token_create(user=editor, name="gammal", scopes=[ApiScope.READ])
    made = timezone.now() - datetime.timedelta(days=100)
    ApiToken.objects.filter(pk=recent.pk).update(created_at=made)
    ApiToken.objects.filter(pk=old.pk).update(created_at=made - datetime.timedelta(days=600))

    migration.existing_keys_valid_a_year(apps, None)

    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.expires_at == made + datetime.timedelta(days=365)
    assert recent.scopes == old.scopes == ["read", "import", "write"]
    assert old.days_left == 30
