"""Sign-up: an account that logs in only once the link mailed by the worker is opened; the page
tells nobody which addresses have accounts; links work once and expire."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from mineralstrategi.accounts import services
from mineralstrategi.accounts.models import SignUp

from .conftest import PASSWORD, link_path, sign_up

User = get_user_model()


def logged_in_as(client) -> str | None:
    response = client.get("/en/konto/kom-igang/")
    if response.status_code != 200:
        return None
    return User.objects.get(pk=client.session["_auth_user_id"]).username


def test_the_sign_up_page_prefills_the_address_and_shows_the_privacy_notice(client, db, soup):
    page = soup(client.get("/konto/registrera/?email=anna.berg@example.se&next=/organisationer/"))

    assert page.select_one("input[name=email]")["value"] == "anna.berg@example.se"
    assert page.select_one("input[name=next]")["value"] == "/organisationer/"
    assert page.select_one(".privacy-note a")["href"] == "/om/personuppgifter/"
    assert page.select_one("input[name=consent][type=checkbox]") is not None
    assert page.select_one("h1").get_text() == "Skapa ett konto"


def test_an_account_logs_in_only_after_the_mailed_link_is_opened(
    client, run_tasks, mailoutbox, soup
):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/en/konto/registrera/skickat/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()

    account = User.objects.get(email="anna.berg@example.se")
    assert account.username == "anna.berg@example.se" and not account.is_active
    assert account.get_full_name() == "Anna Berg" and account.sign_up.consented_at is not None

    # Before the link: the login is refused; the right password is told to confirm first.
    refused = client.post("/en/konto/login/", {"username": account.username, "password": PASSWORD})
    assert "not confirmed yet" in soup(refused).select_one(".form-errors").get_text()
    assert logged_in_as(client) is None
    wrong = client.post("/en/konto/login/", {"username": account.username, "password": "fel"})
    assert "not confirmed" not in soup(wrong).select_one(".form-errors").get_text()
    assert logged_in_as(client) is None

    assert mailoutbox == []  # the request sent nothing: the worker does
    run_tasks()
    (mail,) = mailoutbox
    assert mail.to == ["anna.berg@example.se"]
    path = link_path(mail, "/konto/bekrafta/")

    confirm = client.get(path)  # a scanner opening the link changes nothing
    assert confirm.status_code == 200 and soup(confirm).select_one("main form button")
    assert not User.objects.get(pk=account.pk).is_active

    done = client.post(path, follow=True)
    assert done.redirect_chain[-1][0] == "/konto/kom-igang/"
    assert "Din e-postadress är bekräftad" in done.content.decode()
    assert logged_in_as(client) == "anna.berg@example.se"

    # The link works once.
    again = client.get(path)
    assert again.status_code == 410
    assert soup(again).select_one("main a[href='/konto/login/']") is not None

    # Logging in with the address and password works from now on.
    client.logout()
    client.post("/en/konto/login/", {"username": "anna.berg@example.se", "password": PASSWORD})
    assert logged_in_as(client) == "anna.berg@example.se"


def test_after_verification_the_person_goes_where_next_said(client, run_tasks, mailoutbox):
    sign_up(client, next="/organisationer/")
    run_tasks()
    response = client.post(link_path(mailoutbox[0], "/konto/bekrafta/"))
    assert response.status_code == 302 and response["Location"] == "/organisationer/"


def test_next_cannot_lead_off_the_site(client, run_tasks, mailoutbox):
    sign_up(client, next="https://evil.example/")
    run_tasks()
    response = client.post(link_path(mailoutbox[0], "/konto/bekrafta/"))
    assert response["Location"] == "/konto/kom-igang/"


def test_a_taken_address_gets_the_same_page_and_a_mail_to_its_holder(
    client, run_tasks, mailoutbox, person
):
    response = sign_up(client, email="PER.HOLM@example.se", name="Someone Else")
    assert response.status_code == 302 and response["Location"] == "/en/konto/registrera/skickat/"
    assert User.objects.count() == 1
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)

    run_tasks()
    (mail,) = mailoutbox
    assert mail.to == ["per.holm@example.se"]
    assert link_path(mail, "/konto/password_reset/") == "/konto/password_reset/"
    assert "/konto/bekrafta/" not in mail.body


def test_a_second_sign_up_before_verification_replaces_the_first_link(
    client, run_tasks, mailoutbox, soup
):
    sign_up(client)
    run_tasks()
    sign_up(client, password1="ett-annat-langt-losenord", password2="ett-annat-langt-losenord")
    run_tasks()
    first, second = (link_path(mail, "/konto/bekrafta/") for mail in mailoutbox)
    assert User.objects.filter(email="anna.berg@example.se").count() == 1

    stale = client.get(first)
    assert stale.status_code == 410
    assert "nyare länk" in soup(stale).select_one("main").get_text()
    assert client.post(second).status_code == 302
    account = User.objects.get(email="anna.berg@example.se")
    assert account.is_active and account.check_password("ett-annat-langt-losenord")


def test_an_expired_link_says_so(client, db, monkeypatch, soup):
    user = User.objects.create_user("x@example.se", email="x@example.se", is_active=False)
    SignUp.objects.create(user=user, consented_at=datetime.datetime.now(tz=datetime.UTC))
    path = f"/konto/bekrafta/{services.verification_token(user)}/"
    monkeypatch.setattr(services, "VERIFICATION_MAX_AGE", datetime.timedelta(seconds=-1))

    response = client.post(path)

    assert response.status_code == 410
    assert "har gått ut" in soup(response).select_one("main").get_text()
    assert not User.objects.get(pk=user.pk).is_active


def test_a_broken_link_says_so(client, db, soup):
    response = client.get("/konto/bekrafta/not-a-token/")
    assert response.status_code == 400
    assert "ofullständig" in soup(response).select_one("main").get_text()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password1": "qwertyuiop", "password2": "qwertyuiop"}, "password1", "too common"),
        ({"password2": "something-else-entirely"}, "password2", "differ"),
        ({"consent": ""}, "consent", "Tick the box"),
        ({"email": "not-an-address"}, "email", "valid email"),
    ],
)
def test_bad_input_is_refused_with_a_message_at_its_field(
    client, db, soup, overrides, field, message
):
    response = sign_up(client, **overrides)

    assert response.status_code == 200
    assert not User.objects.exists()
    page = soup(response)
    summary = page.select_one(".error-summary")
    assert summary.select_one(f"a[href='#id_{field}']") is not None
    assert message in summary.get_text()


@pytest.fixture
def signup_limits(db, settings):
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "SIGNUP_PER_IP": 2,
        "SIGNUP_PER_EMAIL": 1,
        # The comments' limit is not the sign-up's.
        "COMMENT_RATE_LIMIT": 1,
    }


def test_too_many_sign_ups_from_one_address_are_refused_and_the_form_kept(
    client, signup_limits, soup
):
    for number in range(2):
        assert sign_up(client, email=f"p{number}@example.se").status_code == 302

    refused = sign_up(client, email="p9@example.se", name="Petra Nio")

    assert refused.status_code == 429
    page = soup(refused)
    assert page.select_one(".error-summary li").get_text(" ", strip=True) == (
        "Too many sign-ups from this address or with this e-mail address. "
        "Please try again in 60 minutes."
    )
    assert page.select_one("input[name=name]")["value"] == "Petra Nio"
    assert page.select_one("input[name=email]")["value"] == "p9@example.se"
    assert not User.objects.filter(email="p9@example.se").exists()
    other = sign_up(client, email="p9@example.se", ip="192.0.2.77")
    assert other.status_code == 302  # another address may


def test_one_e_mail_address_is_signed_up_at_most_so_often_from_any_address(
    client, signup_limits, soup, clock
):
    assert sign_up(client, ip="192.0.2.1").status_code == 302

    refused = client.post(
        "/konto/registrera/",
        {"name": "Anna Berg", "email": "Anna.Berg@example.se", "password1": PASSWORD,
         "password2": PASSWORD, "consent": "on", "next": ""},
        REMOTE_ADDR="192.0.2.2",
    )  # fmt: skip

    assert refused.status_code == 429
    assert soup(refused).select_one(".error-summary li").get_text(" ", strip=True) == (
        "För många registreringar från den här adressen eller med den här e-postadressen. "
        "Försök igen om 60 minuter."
    )
    clock.advance(hours=1, seconds=1)
    assert sign_up(client, email="anna.berg@example.se", ip="192.0.2.3").status_code == 302


def test_the_login_page_links_to_password_reset_and_sign_up_in_swedish(client, db, soup):
    page = soup(client.get("/konto/login/"))
    links = {a["href"]: a.get_text() for a in page.select("main a")}
    assert links["/konto/password_reset/"] == "Glömt lösenordet?"
    assert links["/konto/registrera/"] == "Skapa ett konto"

    reset = soup(client.get("/konto/password_reset/"))
    assert reset.select_one("h1").get_text() == "Glömt lösenordet?"


def test_password_reset_mails_a_link_in_swedish(client, person, mailoutbox, soup):
    response = client.post("/konto/password_reset/", {"email": "per.holm@example.se"}, follow=True)
    assert soup(response).select_one("h1").get_text() == "Kolla din e-post"
    (mail,) = mailoutbox
    assert "lösenord" in mail.body
    path = link_path(mail, "/konto/reset/")
    page = client.get(path, follow=True)
    assert soup(page).select_one("h1").get_text() == "Välj ett nytt lösenord"


@pytest.mark.parametrize("typed", ["per.holm@example.se", "Per.Holm@Example.se"])
def test_an_account_logs_in_with_its_address_in_any_case(client, person, typed):
    client.post("/en/konto/login/", {"username": typed, "password": PASSWORD})
    assert logged_in_as(client) == "per.holm@example.se"


def test_an_older_account_still_logs_in_with_its_user_name_or_its_address(client, db):
    User.objects.create_user("lindqvist", email="anna@region.example", password=PASSWORD)
    client.post("/en/konto/login/", {"username": "lindqvist", "password": PASSWORD})
    assert logged_in_as(client) == "lindqvist"
    client.logout()
    client.post("/en/konto/login/", {"username": "anna@region.example", "password": PASSWORD})
    assert logged_in_as(client) == "lindqvist"


def test_an_account_never_confirmed_is_forgotten_once_its_link_has_expired(
    client, run_tasks, mailoutbox
):
    from django_tasks_db.models import DBTaskResult

    sign_up(client)
    run_tasks()
    account = User.objects.get(email="anna.berg@example.se")
    waiting = DBTaskResult.objects.get(task_path__endswith="forget_unconfirmed")
    assert waiting.run_after > account.sign_up.consented_at + services.VERIFICATION_MAX_AGE

    # Not yet: the link still works.
    assert services.unconfirmed_forget(account.pk) is False
    # Once it has expired, the account and its sign-up go.
    SignUp.objects.filter(user=account).update(
        consented_at=account.sign_up.consented_at - services.VERIFICATION_MAX_AGE
    )
    assert services.unconfirmed_forget(account.pk) is True
    assert not User.objects.filter(email="anna.berg@example.se").exists()


def test_a_confirmed_account_is_never_forgotten(client, run_tasks, mailoutbox):
    sign_up(client)
    run_tasks()
    client.post(link_path(mailoutbox[0], "/konto/bekrafta/"))
    account = User.objects.get(email="anna.berg@example.se")
    SignUp.objects.filter(user=account).update(
        consented_at=account.sign_up.consented_at - 2 * services.VERIFICATION_MAX_AGE
    )

    assert services.unconfirmed_forget(account.pk) is False
    assert User.objects.get(pk=account.pk).is_active


def test_a_bot_filling_the_hidden_field_sees_the_same_page_and_makes_nothing(
    client, run_tasks, mailoutbox
):
    response = sign_up(client, website="https://spam.example")

    assert response.status_code == 302 and response["Location"] == "/en/konto/registrera/skickat/"
    assert not User.objects.exists()
    run_tasks()
    assert mailoutbox == []


def test_a_logged_in_person_following_a_sign_up_link_goes_where_it_leads(client, person):
    client.force_login(person)
    response = client.get("/konto/registrera/?email=per.holm@example.se&next=/organisationer/")
    assert response.status_code == 302 and response["Location"] == "/organisationer/"
