"""Sessions end; passwords that are common, short, numeric or like the username are refused."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

PASSWORD = "a-long-test-password"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("person", password=PASSWORD)


def test_a_session_lasts_eight_hours_and_ends_with_the_browser(client, person):
    before = timezone.now()
    client.post("/konto/login/", {"username": "person", "password": PASSWORD})
    after = timezone.now()

    expires = Session.objects.get().expire_date
    assert before + timedelta(hours=8) <= expires <= after + timedelta(hours=8)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_an_expired_session_is_logged_out(client, person):
    client.post("/konto/login/", {"username": "person", "password": PASSWORD})
    assert client.get("/konto/api-nycklar/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/konto/api-nycklar/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("qwertyuiop", "password_too_common"),
        ("kort", "password_too_short"),
        ("84738291047", "password_entirely_numeric"),
        ("person123", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(person, password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=person)

    assert code in {error.code for error in refused.value.error_list}


def test_a_long_uncommon_password_is_accepted(person):
    validate_password("gruvlave-i-malmberget-1974", user=person)


def test_the_headers_login_link_comes_back_to_the_page_it_was_on(client, person, soup):
    """A consultee who opens the remiss page signed out logs in from the header and is back on
    the page, where the answer link now shows."""
    page = soup(client.get("/remiss/"))
    link = page.select_one("header a[href^='/konto/login/']")["href"]
    assert link == "/konto/login/?next=/remiss/"
    login = soup(client.get(link))
    assert login.select_one("header a[href^='/konto/login/']")["href"] == "/konto/login/"

    response = client.post(link, {"username": "person", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/remiss/"
