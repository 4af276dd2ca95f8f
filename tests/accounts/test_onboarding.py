"""Onboarding: a person asks to join an organisation (its administrators decide) or registers a
new one (the platform's staff decide; the number checked by the Luhn rule; duplicates refused).
Every decision is mailed by the worker and shows in the audit trail."""

import pytest
from django.contrib.auth import get_user_model

from mineralstrategi.accounts import services
from mineralstrategi.accounts.models import Decision, JoinRequest, OrganisationApplication
from mineralstrategi.organisations.models import Membership, Organisation, Role

from .conftest import PASSWORD

User = get_user_model()

APPLICATION = {
    "name": "Norrbottens Gruvteknik AB",
    "kind": "company",
    "organisation_number": "556036-0793",
    "county": "",
    "municipality": "",
    "website": "https://gruvteknik.example.se",
    "description": "Konsulter i gruvteknik.",
}


@pytest.fixture
def staff(db):
    return User.objects.create_user(
        "handlaggare", email="handlaggare@example.se", password=PASSWORD, is_staff=True
    )


def onboarding(client, soup):
    return soup(client.get("/konto/kom-igang/"))


def memberships_shown(page) -> list[str]:
    return [" ".join(item.get_text().split()) for item in page.select("ul.memberships li")]


# --- Joining -------------------------------------------------------------------------------------


def test_a_person_asks_to_join_and_an_administrator_approves_with_a_role(
    client, person, skelleftea, make_member, soup, run_tasks, mailoutbox
):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR, username="admin")
    administrator.email = "admin@skelleftea.example"
    administrator.save()
    client.force_login(person)

    response = client.post(
        "/konto/kom-igang/ga-med/",
        {"organisation": skelleftea.pk, "message": "Jag arbetar med näringslivsfrågor."},
        follow=True,
    )
    page = soup(response)
    assert "Du har ansökt om medlemskap i Skellefteå kommun" in page.select_one(".messages").text
    assert "Medlemskap i Skellefteå kommun" in page.select_one("table").get_text()
    assert "Väntar på beslut" in page.select_one("table").get_text()

    run_tasks()
    (to_administrator,) = mailoutbox
    assert to_administrator.to == ["admin@skelleftea.example"]
    assert "Jag arbetar med näringslivsfrågor." in to_administrator.body
    assert "/konto/ansokningar/" in to_administrator.body

    client.force_login(administrator)
    waiting = soup(client.get("/konto/ansokningar/"))
    (item,) = waiting.select("li.join-request")
    assert "Per Holm" in item.get_text() and "Skellefteå kommun" in item.get_text()
    assert item.select_one("option[selected]")["value"] == Role.CONTRIBUTOR

    join_request = JoinRequest.objects.get()
    decided = client.post(
        f"/konto/ansokningar/medlemskap/{join_request.pk}/",
        {"action": "approve", "role": Role.STRATEGY_EDITOR},
        follow=True,
    )
    page = soup(decided)
    assert "Per Holm är nu medlem i Skellefteå kommun" in page.select_one(".messages").text
    assert not page.select("li.join-request")

    run_tasks()
    to_person = mailoutbox[-1]
    assert to_person.to == ["per.holm@example.se"]
    assert "Strategiredaktör" in to_person.body

    client.force_login(person)
    assert memberships_shown(onboarding(client, soup)) == ["Skellefteå kommun: Strategiredaktör"]
    decided_request = JoinRequest.objects.get()
    assert decided_request.decided_by == administrator and decided_request.decided_at


def test_a_declined_request_is_told_to_the_person(
    client, person, skelleftea, make_member, soup, run_tasks, mailoutbox
):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR, username="admin")
    join_request = services.join_request_create(user=person, organisation=skelleftea)
    client.force_login(administrator)

    client.post(f"/konto/ansokningar/medlemskap/{join_request.pk}/", {"action": "decline"})

    assert not Membership.objects.filter(user=person).exists()
    run_tasks()
    assert mailoutbox[-1].to == ["per.holm@example.se"]
    assert "avslagit" in mailoutbox[-1].body
    client.force_login(person)
    page = onboarding(client, soup)
    assert memberships_shown(page) == []
    assert "Avslagen" in page.select_one("table").get_text()


def test_asking_twice_or_when_a_member_already_is_refused_at_the_field(
    client, person, skelleftea, soup
):
    client.force_login(person)
    client.post("/konto/kom-igang/ga-med/", {"organisation": skelleftea.pk})

    again = client.post("/konto/kom-igang/ga-med/", {"organisation": skelleftea.pk})

    assert again.status_code == 400
    summary = soup(again).select_one(".error-summary")
    assert "Du har redan ansökt om medlemskap i Skellefteå kommun" in summary.get_text()
    assert summary.select_one("a[href='#id_organisation']") is not None
    assert JoinRequest.objects.count() == 1


def test_an_administrator_of_another_organisation_cannot_see_or_decide(
    client, person, skelleftea, kiruna, make_member, soup
):
    outsider = make_member(kiruna, Role.ADMINISTRATOR, username="kiruna-admin")
    join_request = services.join_request_create(user=person, organisation=skelleftea)
    client.force_login(outsider)

    assert not soup(client.get("/konto/ansokningar/")).select("li.join-request")
    response = client.post(
        f"/konto/ansokningar/medlemskap/{join_request.pk}/", {"action": "approve"}
    )

    assert response.status_code == 403
    assert JoinRequest.objects.get().state == Decision.PENDING


def test_a_decided_request_cannot_be_decided_again(client, person, skelleftea, make_member, soup):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR, username="admin")
    join_request = services.join_request_create(user=person, organisation=skelleftea)
    services.join_request_decide(join_request, user=administrator, approve=False)
    client.force_login(administrator)

    response = client.post(
        f"/konto/ansokningar/medlemskap/{join_request.pk}/",
        {"action": "approve", "role": Role.VIEWER},
        follow=True,
    )

    assert "redan fattat" in soup(response).select_one(".messages").get_text()
    assert not Membership.objects.filter(user=person).exists()


# --- Registering a new organisation ----------------------------------------------------------------


def test_a_new_organisation_is_applied_for_approved_by_staff_and_administered_by_its_applicant(
    client, person, staff, geography, soup, run_tasks, mailoutbox
):
    client.force_login(person)
    response = client.post("/konto/kom-igang/ny-organisation/", APPLICATION, follow=True)
    page = soup(response)
    assert (
        "Din ansökan om att registrera Norrbottens Gruvteknik AB"
        in page.select_one(".messages").get_text()
    )
    assert "Registrering av Norrbottens Gruvteknik AB" in page.select_one("table").get_text()

    run_tasks()
    (to_staff,) = mailoutbox
    assert to_staff.to == ["handlaggare@example.se"]
    assert "556036-0793" in to_staff.body

    client.force_login(staff)
    waiting = soup(client.get("/konto/ansokningar/"))
    (item,) = waiting.select("li.application")
    assert "Norrbottens Gruvteknik AB" in item.get_text() and "556036-0793" in item.get_text()

    application = OrganisationApplication.objects.get()
    decided = client.post(
        f"/konto/ansokningar/organisation/{application.pk}/", {"action": "approve"}, follow=True
    )
    assert (
        "Norrbottens Gruvteknik AB är registrerad, med Per Holm som administratör"
        in soup(decided).select_one(".messages").get_text()
    )

    organisation = Organisation.objects.get(name="Norrbottens Gruvteknik AB")
    assert organisation.organisation_number == "556036-0793"
    assert organisation.kind == "company" and organisation.helix_role == "industry"
    assert organisation.website == "https://gruvteknik.example.se"

    run_tasks()
    to_applicant = mailoutbox[-1]
    assert to_applicant.to == ["per.holm@example.se"]
    assert organisation.get_absolute_url() in to_applicant.body

    client.force_login(person)
    assert memberships_shown(onboarding(client, soup)) == [
        "Norrbottens Gruvteknik AB: Administratör"
    ]
    organisation_page = client.get(organisation.get_absolute_url())
    assert organisation_page.status_code == 200


def test_a_municipality_takes_its_county_from_the_municipality(person, staff, geography):
    from mineralstrategi.organisations.models import Municipality

    # Every municipality has its organisation from the reference data: one without is made here.
    municipality = Municipality.objects.get(code="2584")
    Organisation.objects.filter(municipality=municipality).delete()
    data = services.ApplicationInput(
        name="Kiruna kommun", kind="municipality", organisation_number="2120002817",
        municipality=municipality,
    )  # fmt: skip
    application = services.application_create(user=person, data=data)
    assert application.county == municipality.county
    assert application.organisation_number == "212000-2817"

    services.application_decide(application, user=staff, approve=True)

    organisation = Organisation.objects.get(municipality=municipality)
    assert organisation.county == municipality.county
    assert Membership.objects.get(organisation=organisation).user == person


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("556036-0794", "fel kontrollsiffra"),
        ("55603-0793", "tio siffror"),
        ("", "måste fyllas i"),
    ],
)
def test_a_wrong_organisation_number_is_refused_at_its_field(
    client, person, geography, soup, number, message
):
    client.force_login(person)

    response = client.post(
        "/konto/kom-igang/ny-organisation/", {**APPLICATION, "organisation_number": number}
    )

    assert response.status_code == 400
    summary = soup(response).select_one(".error-summary")
    link = summary.select_one("a[href='#id_organisation_number']")
    assert link is not None and link.get_text().startswith("Organisationsnummer")
    assert message in link.get_text()
    assert not OrganisationApplication.objects.exists()


def test_an_organisation_on_the_platform_is_refused_with_a_link_to_join_it(
    client, person, skelleftea, soup
):
    client.force_login(person)

    response = client.post(
        "/konto/kom-igang/ny-organisation/",
        {**APPLICATION, "name": "skellefteå KOMMUN", "kind": "company"},
    )

    assert response.status_code == 400
    page = soup(response)
    assert (
        "Skellefteå kommun finns redan på plattformen"
        in page.select_one(".error-summary").get_text()
    )
    assert page.select_one(".duplicate-hint a")["href"] == skelleftea.get_absolute_url()
    assert not OrganisationApplication.objects.exists()


def test_the_same_organisation_number_is_a_duplicate(person, skelleftea):
    Organisation.objects.filter(pk=skelleftea.pk).update(organisation_number="212000-2817")
    data = services.ApplicationInput(
        name="Ett annat namn", kind="company", organisation_number="2120002817"
    )
    with pytest.raises(services.Duplicate) as refused:
        services.application_create(user=person, data=data)
    assert refused.value.organisation == skelleftea


def test_a_declined_application_tells_the_applicant_why(
    client, person, staff, geography, soup, run_tasks, mailoutbox
):
    application = services.application_create(
        user=person,
        data=services.ApplicationInput(
            name="Testbolaget AB", kind="company", organisation_number="556036-0793"
        ),
    )
    client.force_login(staff)

    client.post(
        f"/konto/ansokningar/organisation/{application.pk}/",
        {"action": "decline", "reason": "Bolaget finns inte i Bolagsverkets register."},
    )

    assert not Organisation.objects.filter(name="Testbolaget AB").exists()
    run_tasks()
    assert mailoutbox[-1].to == ["per.holm@example.se"]
    assert "Bolagsverkets register" in mailoutbox[-1].body
    client.force_login(person)
    assert "Bolagsverkets register" in onboarding(client, soup).select_one("table").get_text()


def test_people_who_are_not_staff_do_not_see_or_decide_applications(
    client, person, skelleftea, make_member, soup
):
    application = services.application_create(
        user=person,
        data=services.ApplicationInput(
            name="Testbolaget AB", kind="company", organisation_number="556036-0793"
        ),
    )
    administrator = make_member(skelleftea, Role.ADMINISTRATOR, username="admin")
    client.force_login(administrator)

    assert not soup(client.get("/konto/ansokningar/")).select("li.application")
    response = client.post(
        f"/konto/ansokningar/organisation/{application.pk}/", {"action": "approve"}
    )
    assert response.status_code == 403
    assert OrganisationApplication.objects.get().state == Decision.PENDING


def test_the_onboarding_pages_ask_for_a_login(client, db):
    for path in ("/konto/kom-igang/", "/konto/ansokningar/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


# --- The audit trail -------------------------------------------------------------------------------


def test_requests_and_applications_are_in_the_audit_trail(
    client, person, staff, skelleftea, make_member, superuser, soup
):
    administrator = make_member(skelleftea, Role.ADMINISTRATOR, username="admin")
    join_request = services.join_request_create(user=person, organisation=skelleftea)
    services.join_request_decide(join_request, user=administrator, approve=True)
    application = services.application_create(
        user=person,
        data=services.ApplicationInput(
            name="Testbolaget AB", kind="company", organisation_number="556036-0793"
        ),
    )
    services.application_decide(application, user=staff, approve=True)

    client.force_login(superuser)
    for model, text in [
        ("accounts.joinrequest", "Per Holm"),
        ("accounts.organisationapplication", "Testbolaget AB"),
    ]:
        page = client.get("/granskning/", {"model": model}).content.decode()
        assert text in page, model

    # Skellefteå's administrator reads the approval made on behalf of Skellefteå.
    client.force_login(administrator)
    page = client.get("/granskning/", {"model": "accounts.joinrequest"}).content.decode()
    assert "admin" in page and "Godkänd" in page
