import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("person", password="ett-riktigt-långt-lösenord")


def login(client, password, ip="10.0.0.1"):
    return client.post(
        "/konto/login/", {"username": "person", "password": password}, REMOTE_ADDR=ip
    )


def test_login_with_the_right_password(client, person):
    assert login(client, "ett-riktigt-långt-lösenord").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_username_from_that_address(client, person):
    for _ in range(3):
        login(client, "fel")

    locked = login(client, "ett-riktigt-långt-lösenord")

    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode() or "misslyckade" in (
        locked.content.decode()
    )
    # Another address may still log in with the same username.
    assert login(client, "ett-riktigt-långt-lösenord", ip="10.0.0.2").status_code == 302
