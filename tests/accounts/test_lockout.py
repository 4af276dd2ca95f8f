"""Failed logins behind a reverse proxy: nobody can lock somebody else out.

Every request reaches the app from the proxy (REMOTE_ADDR is the proxy's address); the proxy
appends the address it saw to whatever X-Forwarded-For the client sent. The lockout counts
failures per (username, real client address), the address read from the proxy's own entry; a
slower throttle per username makes a guessed-at account wait seconds, never an hour.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.client import RequestFactory

from mineralstrategi.visitors import client_ip

PASSWORD = "ett-riktigt-långt-lösenord"
PROXY = "10.0.0.2"  # the proxy's own address: the REMOTE_ADDR of every request behind it
ATTACKER = "198.51.100.7"
VICTIM = "192.0.2.10"


@pytest.fixture
def lasare(db):
    return get_user_model().objects.create_user("lasare", password=PASSWORD)


@pytest.fixture
def behind_one_proxy(settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "PROXY_COUNT": 1}


@pytest.fixture
def throttle(settings, behind_one_proxy):
    """The per-username throttle with small numbers: after 10 failures, one try per 30 s."""
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "LOGIN_THROTTLE_FAILURES": 10,
        "LOGIN_THROTTLE_SECONDS": 30,
    }


def login(client, password, *, real, forged="", username="lasare"):
    """A login through the proxy, which appends the address it saw (`real`) to the
    X-Forwarded-For the client sent (`forged`)."""
    return client.post(
        "/konto/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{forged}, {real}" if forged else real,
    )


def text(response) -> str:
    return " ".join(response.content.decode().split())


# --- The lockout per (username, real address) ----------------------------------------------------


@pytest.mark.parametrize("forged", ["203.0.113.66", VICTIM])
def test_a_stranger_cannot_lock_the_user_out_behind_the_proxy(lasare, behind_one_proxy, forged):
    """The issue's report: five wrong passwords with a forged X-Forwarded-For (even one that
    names the victim's own address) lock the stranger out, not the person with the password."""
    attacker = Client()
    answers = [login(attacker, "fel", real=ATTACKER, forged=forged) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]

    assert login(Client(), PASSWORD, real=VICTIM).status_code == 302


def test_the_strangers_own_username_and_address_are_locked(lasare, behind_one_proxy):
    attacker = Client()
    for n in range(5):
        login(attacker, "fel", real=ATTACKER, forged=f"203.0.113.{n}")

    # Neither the right password nor a new forged entry gets them in.
    locked = login(attacker, PASSWORD, real=ATTACKER, forged="203.0.113.99")

    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", "ip_address")) == {
        ("lasare", ATTACKER)
    }
    # The same person with another username is not locked (the pair is).
    get_user_model().objects.create_user("annan", password=PASSWORD)
    assert login(attacker, PASSWORD, real=ATTACKER, username="annan").status_code == 302


def test_the_lockout_says_what_happened_and_until_when(lasare, behind_one_proxy, clock):
    for _ in range(5):
        login(Client(), "fel", real=ATTACKER)
    clock.advance(minutes=10)  # tries during the lockout do not prolong it

    locked = login(Client(), PASSWORD, real=ATTACKER)

    until = (clock.now - timedelta(minutes=10) + timedelta(hours=1)).astimezone(
        ZoneInfo("Europe/Stockholm")
    )
    assert locked.status_code == 429
    page = text(locked)
    assert "För många felaktiga lösenord för det här användarnamnet från din adress" in page
    assert f"spärrad till kl. {until:%H:%M}" in page
    assert 'href="/konto/password_reset/"' in page

    clock.advance(minutes=50, seconds=1)
    assert login(Client(), PASSWORD, real=ATTACKER).status_code == 302


def test_tries_during_the_lockout_check_no_password_and_count_nothing(lasare, behind_one_proxy):
    for _ in range(5):
        login(Client(), "fel", real=ATTACKER)
    for _ in range(5):
        assert login(Client(), "fel", real=ATTACKER).status_code == 429

    assert AccessAttempt.objects.get().failures_since_start == 5


# --- The client's address ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy configured: the header is the client's own word and is ignored.
        (0, "", "192.0.2.1"),
        (0, "203.0.113.66", "192.0.2.1"),
        (0, "203.0.113.66, 198.51.100.7", "192.0.2.1"),
        # One proxy: its entry is the right-most; anything left of it came from the client.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66 , 10.9.9.9,198.51.100.7 ", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Two proxies: the outer one's entry is second from the right.
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.3", "198.51.100.7"),
        # Fewer entries than proxies: the request skipped the outer proxy, whose place the
        # inner one's entry takes (nothing in it came from the client).
        (2, "198.51.100.7", "198.51.100.7"),
        # A proxy that sends no header, or an entry that is no address (a proxy configured
        # wrongly, or a header sent by the client where the settings count one proxy too
        # many): the address of the peer.
        (1, "", "192.0.2.1"),
        (2, "<script>, 10.0.0.3", "192.0.2.1"),
        (1, "198.51.100.7:4711", "192.0.2.1"),
    ],
)
def test_the_client_address_is_the_entry_of_the_outermost_trusted_proxy(
    settings, proxies, forwarded, expected
):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "PROXY_COUNT": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)

    assert client_ip(request) == expected


def test_without_a_proxy_a_forged_header_neither_helps_nor_harms(lasare):
    """PROXY_COUNT=0 (the default): a client that sends X-Forwarded-For is counted by its own
    address, so changing the header escapes nothing and blames nobody."""
    attacker = Client()
    for n in range(5):
        attacker.post(
            "/konto/login/",
            {"username": "lasare", "password": "fel"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"{VICTIM}, 203.0.113.{n}",
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    again = attacker.post(
        "/konto/login/",
        {"username": "lasare", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert again.status_code == 429
    victim = Client().post(
        "/konto/login/", {"username": "lasare", "password": PASSWORD}, REMOTE_ADDR=VICTIM
    )
    assert victim.status_code == 302


# --- The throttle per username --------------------------------------------------------------------


def test_failures_from_many_addresses_make_the_username_wait_seconds_not_an_hour(
    lasare, throttle, clock
):
    for n in range(10):
        assert login(Client(), "fel", real=f"198.51.100.{n}").status_code == 200

    victim = Client()
    waiting = login(victim, PASSWORD, real=VICTIM)

    assert waiting.status_code == 429
    assert waiting["Retry-After"] == "30"
    page = text(waiting)
    assert "Vänta 30 sekunder" in page
    assert "spärrad" not in page and "timme" not in page

    clock.advance(seconds=30)
    assert login(victim, PASSWORD, real=VICTIM).status_code == 302


def test_the_throttle_tries_one_password_per_interval(lasare, throttle, clock):
    """Once throttled, one password is tried per interval, whoever sends it; the ones refused in
    between are not tried, count as no failure and never lock the sender out."""
    for n in range(10):
        login(Client(), "fel", real=f"198.51.100.{n}")
    clock.advance(seconds=30)
    assert login(Client(), "fel", real="198.51.100.77").status_code == 200  # tried: wrong
    victim = Client()
    for seconds in range(0, 30, 3):
        waiting = login(victim, PASSWORD, real=VICTIM)
        assert waiting.status_code == 429
        assert waiting["Retry-After"] == str(30 - seconds)
        clock.advance(seconds=3)

    assert not AccessAttempt.objects.filter(ip_address=VICTIM).exists()
    assert login(victim, PASSWORD, real=VICTIM).status_code == 302


def test_one_address_alone_cannot_throttle_the_username(lasare, throttle):
    """One address is locked after five failures, and what it sends while locked is not
    counted: it alone never reaches the throttle's ten."""
    attacker = Client()
    for n in range(30):
        login(attacker, "fel", real=ATTACKER, forged=f"203.0.113.{n}")

    assert login(Client(), PASSWORD, real=VICTIM).status_code == 302


def test_an_address_the_account_has_logged_in_from_does_not_wait(lasare, throttle):
    """The person at their usual address (a successful login from it in django-axes' log) is
    not kept waiting by strangers elsewhere; their own wrong passwords still lock them there."""
    victim = Client()
    assert login(victim, PASSWORD, real=VICTIM).status_code == 302
    victim.post("/konto/logout/")
    for n in range(10):
        login(Client(), "fel", real=f"198.51.100.{n}")

    assert login(Client(), PASSWORD, real="192.0.2.99").status_code == 429
    assert login(victim, PASSWORD, real=VICTIM).status_code == 302


def test_the_throttle_forgets_failures_older_than_an_hour(lasare, throttle, clock):
    for n in range(10):
        login(Client(), "fel", real=f"198.51.100.{n}")
        clock.advance(minutes=7)  # the first failure is over an hour old after the tenth

    assert login(Client(), PASSWORD, real=VICTIM).status_code == 302
