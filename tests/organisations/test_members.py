"""An organisation's administrators manage its people: roles, removals and invitations by mail.

Service tests (the last-administrator rule, the invitation's life from queued to accepted, the
mail sent by the task worker, expiry) and page tests that read the members page after every
write."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.organisations import services
from mineralstrategi.organisations.models import Invitation, InvitationState, Membership, Role

PUBLIC = "https://strategi.example.se"
LINK = re.compile(re.escape(PUBLIC) + r"(/inbjudan/[\w-]+/)")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused")


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC


@pytest.fixture
def admin(skelleftea, make_member):
    user = make_member(skelleftea, Role.ADMINISTRATOR, username="admin")
    user.email = "admin@skelleftea.example"
    user.save()
    return user


@pytest.fixture
def colleague(db):
    return get_user_model().objects.create_user(
        "kollega", email="Kollega@Skelleftea.example", password="a-long-test-password"
    )


def _membership(user, organisation, role):
    return Membership.objects.get(user=user, organisation=organisation, role=role)


def _invite_and_send(organisation, admin, mailoutbox, *, email="kollega@skelleftea.example"):
    invitation = services.invitation_create(
        organisation, user=admin, email=email, role=Role.STRATEGY_EDITOR
    )
    assert services.invitation_send(invitation.pk) == InvitationState.SENT
    invitation.refresh_from_db()
    return invitation, LINK.search(mailoutbox[-1].body).group(1)


# --- Roles and the last administrator ---------------------------------------------------------


def test_an_administrator_changes_a_role_and_the_change_is_audited(skelleftea, admin, make_member):
    member = make_member(skelleftea, Role.VIEWER)
    membership = _membership(member, skelleftea, Role.VIEWER)
    services.membership_role_change(membership, user=admin, role=Role.CONTRIBUTOR)
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR
    record = membership.history.latest()
    assert (record.history_user, record.history_organisation_id) == (admin, skelleftea.pk)


def test_the_last_administrator_cannot_be_demoted_or_removed(skelleftea, admin):
    membership = _membership(admin, skelleftea, Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="sista administratören"):
        services.membership_role_change(membership, user=admin, role=Role.VIEWER)
    with pytest.raises(ValidationError, match="sista administratören"):
        services.membership_remove(membership, user=admin)
    assert _membership(admin, skelleftea, Role.ADMINISTRATOR)


def test_with_a_second_administrator_the_first_may_step_down(skelleftea, admin, make_member):
    make_member(skelleftea, Role.ADMINISTRATOR)
    services.membership_remove(_membership(admin, skelleftea, Role.ADMINISTRATOR), user=admin)
    assert not Membership.objects.filter(user=admin, organisation=skelleftea).exists()


def test_a_role_the_member_holds_already_is_refused(skelleftea, admin, make_member):
    member = make_member(skelleftea, Role.VIEWER)
    Membership.objects.create(user=member, organisation=skelleftea, role=Role.CONTRIBUTOR)
    with pytest.raises(ValidationError, match="har redan rollen"):
        services.membership_role_change(
            _membership(member, skelleftea, Role.VIEWER), user=admin, role=Role.CONTRIBUTOR
        )


def test_others_may_not_manage_members(skelleftea, kiruna, admin, make_member):
    editor = make_member(skelleftea, Role.STRATEGY_EDITOR)
    kiruna_admin = make_member(kiruna, Role.ADMINISTRATOR)
    membership = _membership(editor, skelleftea, Role.STRATEGY_EDITOR)
    for outsider in (editor, kiruna_admin):
        with pytest.raises(PermissionDenied):
            services.membership_remove(membership, user=outsider)
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                skelleftea, user=outsider, email="x@example.se", role=Role.VIEWER
            )


# --- Invitations ------------------------------------------------------------------------------


def test_an_invitation_is_queued_until_the_worker_hands_the_mail_over(
    skelleftea, admin, mailoutbox
):
    invitation = services.invitation_create(
        skelleftea, user=admin, email="kollega@skelleftea.example", role=Role.CONTRIBUTOR
    )
    assert invitation.state == InvitationState.QUEUED
    assert invitation.token_hash == ""
    assert mailoutbox == []

    assert services.invitation_send(invitation.pk) == InvitationState.SENT
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT and invitation.sent_at is not None
    (mail,) = mailoutbox
    assert mail.to == ["kollega@skelleftea.example"]
    assert "Skellefteå kommun" in mail.subject
    assert LINK.search(mail.body)
    # A second delivery of the task sends nothing.
    assert services.invitation_send(invitation.pk) == ""
    assert len(mailoutbox) == 1


def test_the_worker_sends_the_invitation(
    transactional_db, skelleftea, admin, mailoutbox, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            skelleftea, user=admin, email="kollega@skelleftea.example", role=Role.VIEWER
        )
    assert mailoutbox == []
    run_tasks()
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT
    assert [mail.to for mail in mailoutbox] == [["kollega@skelleftea.example"]]


def test_a_failed_mail_is_recorded_as_failed(skelleftea, admin, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    invitation = services.invitation_create(
        skelleftea, user=admin, email="kollega@skelleftea.example", role=Role.VIEWER
    )
    assert services.invitation_send(invitation.pk) == InvitationState.FAILED
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.FAILED
    assert "Connection refused" in invitation.delivery_error


def test_accepting_makes_the_member_and_uses_the_link_up(skelleftea, admin, colleague, mailoutbox):
    invitation, path = _invite_and_send(skelleftea, admin, mailoutbox)
    found = services.invitation_for_token(path.split("/")[2])
    assert found == invitation
    membership = services.invitation_accept(found, user=colleague)
    assert (membership.user, membership.role) == (colleague, Role.STRATEGY_EDITOR)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitation.accepted_by == colleague
    with pytest.raises(services.InvitationUnusable, match="redan accepterad"):
        services.invitation_accept(invitation, user=colleague)
    # Audited: the invitation's life is in its history, with the organisation acted for.
    records = list(invitation.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~", "~"]
    assert records[0].history_organisation_id == skelleftea.pk


def test_another_address_cannot_accept(skelleftea, admin, make_member, mailoutbox):
    invitation, _ = _invite_and_send(skelleftea, admin, mailoutbox)
    stranger = make_member(skelleftea, Role.VIEWER)
    stranger.email = "annan@example.se"
    with pytest.raises(
        services.InvitationUnusable, match="skickades till kollega@skelleftea.example"
    ):
        services.invitation_accept(invitation, user=stranger)
    assert not Membership.objects.filter(user=stranger, role=Role.STRATEGY_EDITOR).exists()


def test_an_expired_invitation_cannot_be_accepted_nor_resent(
    skelleftea, admin, colleague, mailoutbox
):
    invitation, _ = _invite_and_send(skelleftea, admin, mailoutbox)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.EXPIRED
    with pytest.raises(services.InvitationUnusable, match="gått ut"):
        services.invitation_accept(invitation, user=colleague)
    with pytest.raises(ValidationError, match="gått ut"):
        services.invitation_resend(invitation, user=admin)


def test_a_revoked_invitation_cannot_be_accepted(skelleftea, admin, colleague, mailoutbox):
    invitation, _ = _invite_and_send(skelleftea, admin, mailoutbox)
    services.invitation_revoke(invitation, user=admin)
    assert invitation.state == InvitationState.REVOKED
    with pytest.raises(services.InvitationUnusable, match="återkallat"):
        services.invitation_accept(invitation, user=colleague)


def test_resending_replaces_the_link(skelleftea, admin, colleague, mailoutbox):
    invitation, old_path = _invite_and_send(skelleftea, admin, mailoutbox)
    services.invitation_resend(invitation, user=admin)
    assert invitation.state == InvitationState.QUEUED
    services.invitation_send(invitation.pk)
    new_path = LINK.search(mailoutbox[-1].body).group(1)
    assert new_path != old_path
    assert services.invitation_for_token(old_path.split("/")[2]) is None
    assert services.invitation_for_token(new_path.split("/")[2]) == invitation


def test_one_open_invitation_an_address(skelleftea, admin):
    services.invitation_create(skelleftea, user=admin, email="a@example.se", role=Role.VIEWER)
    with pytest.raises(ValidationError, match="redan en öppen inbjudan"):
        services.invitation_create(
            skelleftea, user=admin, email="A@example.se", role=Role.CONTRIBUTOR
        )
    with pytest.raises(ValidationError, match="inte en e-postadress"):
        services.invitation_create(skelleftea, user=admin, email="inte en adress", role="viewer")


# --- The pages --------------------------------------------------------------------------------


def _members_page(client, soup, organisation):
    response = client.get(reverse("organisations:members", args=[organisation.slug]))
    assert response.status_code == 200
    return soup(response)


def _roles_shown(page) -> set[tuple[str, str]]:
    return {
        (row.select("td")[0].text.strip(), row.select_one("[data-role]").text.strip())
        for row in page.select("#members tbody tr[id]")
    }


def test_the_organisation_page_and_my_organisations_lead_administrators_to_the_members(
    client, soup, skelleftea, admin, make_member
):
    members_url = reverse("organisations:members", args=[skelleftea.slug])
    client.force_login(admin)
    page = soup(client.get(skelleftea.get_absolute_url()))
    assert page.select_one(f'a[href="{members_url}"]')
    mine = soup(client.get(reverse("organisations:my_organisations")))
    assert mine.select_one(f'a[href="{members_url}"]')
    assert soup(client.get("/")).select_one('a[href="/konto/organisationer/"]')

    client.force_login(make_member(skelleftea, Role.STRATEGY_EDITOR))
    assert not soup(client.get(skelleftea.get_absolute_url())).select_one(
        f'a[href="{members_url}"]'
    )
    assert client.get(members_url).status_code == 403


def test_the_members_page_after_each_write(client, soup, skelleftea, admin, make_member):
    member = make_member(skelleftea, Role.VIEWER, username="lasare")
    client.force_login(admin)
    assert ("lasare", "Läsare") in _roles_shown(_members_page(client, soup, skelleftea))

    membership = _membership(member, skelleftea, Role.VIEWER)
    response = client.post(
        reverse("organisations:member_role", args=[skelleftea.slug, membership.pk]),
        {"role": Role.CONTRIBUTOR},
        follow=True,
    )
    page = soup(response)
    assert ("lasare", "Bidragsgivare") in _roles_shown(page)
    assert "lasare: Läsare är nu Bidragsgivare." in page.select_one(".message-success").text

    response = client.post(
        reverse("organisations:member_remove", args=[skelleftea.slug, membership.pk]),
        follow=True,
    )
    page = soup(response)
    assert not any(name == "lasare" for name, _ in _roles_shown(page))


def test_the_page_refuses_to_remove_the_last_administrator(client, soup, skelleftea, admin):
    membership = _membership(admin, skelleftea, Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        reverse("organisations:member_remove", args=[skelleftea.slug, membership.pk]),
        follow=True,
    )
    page = soup(response)
    assert "sista administratören" in page.select_one(".message-error").text
    assert ("admin", "Administratör") in _roles_shown(page)


def test_invitations_on_the_page_with_their_true_state(client, soup, skelleftea, admin, mailoutbox):
    client.force_login(admin)
    response = client.post(
        reverse("organisations:members", args=[skelleftea.slug]),
        {"email": "kollega@skelleftea.example", "role": Role.CONTRIBUTOR},
        follow=True,
    )
    page = soup(response)
    row = page.select_one("#invitations tbody tr[id]")
    assert "kollega@skelleftea.example" in row.text
    assert row.select_one("[data-state]")["data-state"] == "queued"
    assert "Väntar på utskick" in row.text

    invitation = Invitation.objects.get()
    services.invitation_send(invitation.pk)
    row = _members_page(client, soup, skelleftea).select_one(f"#invitation-{invitation.pk}")
    assert row.select_one("[data-state]")["data-state"] == "sent"

    response = client.post(
        reverse("organisations:invitation_resend", args=[skelleftea.slug, invitation.pk]),
        follow=True,
    )
    row = soup(response).select_one(f"#invitation-{invitation.pk}")
    assert row.select_one("[data-state]")["data-state"] == "queued"

    response = client.post(
        reverse("organisations:invitation_revoke", args=[skelleftea.slug, invitation.pk]),
        follow=True,
    )
    row = soup(response).select_one(f"#invitation-{invitation.pk}")
    assert row.select_one("[data-state]")["data-state"] == "revoked"
    assert not row.select("button")


def test_a_bad_address_is_named_on_the_page(client, soup, skelleftea, admin):
    client.force_login(admin)
    response = client.post(
        reverse("organisations:members", args=[skelleftea.slug]),
        {"email": "inte-en-adress", "role": Role.VIEWER},
    )
    assert response.status_code == 400
    assert soup(response).select_one("#email-errors")
    assert not Invitation.objects.exists()


def test_the_link_for_a_visitor_offers_login_and_sign_up(
    client, soup, skelleftea, admin, mailoutbox
):
    _, path = _invite_and_send(skelleftea, admin, mailoutbox)
    page = soup(client.get(path))
    hrefs = [a["href"] for a in page.select("main a.button")]
    assert hrefs[0].startswith("/konto/login/?next=%2Finbjudan%2F")
    assert hrefs[1].startswith("/konto/registrera/?email=kollega%40skelleftea.example&next=")


def test_a_logged_in_colleague_accepts_on_the_page(
    client, soup, skelleftea, admin, colleague, mailoutbox
):
    _, path = _invite_and_send(skelleftea, admin, mailoutbox)
    client.force_login(colleague)
    assert soup(client.get(path)).select_one("main form button")
    page = soup(client.post(path, follow=True))
    assert "Strategiredaktör" in page.select_one(".message-success").text
    assert "Skellefteå kommun" in page.select_one("main table").text
    # Used: the link now says so, without a 500.
    response = client.get(path)
    assert response.status_code == 410
    assert "redan" in soup(response).select_one("[data-refusal]").text


@pytest.mark.parametrize("path", ["/inbjudan/okand/", "/inbjudan/" + "x" * 300 + "/"])
def test_an_unknown_link_has_a_clear_page(client, soup, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "inte giltig" in soup(response).select_one("main").text


def test_an_expired_link_has_a_clear_page(client, soup, skelleftea, admin, colleague, mailoutbox):
    invitation, path = _invite_and_send(skelleftea, admin, mailoutbox)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(colleague)
    response = client.post(path)
    assert response.status_code == 410
    assert "gått ut" in soup(response).select_one("[data-refusal]").text
    assert not Membership.objects.filter(user=colleague).exists()


def test_invitation_changes_are_in_the_audit_trail(client, soup, skelleftea, admin, mailoutbox):
    invitation, _ = _invite_and_send(skelleftea, admin, mailoutbox)
    services.invitation_revoke(invitation, user=admin)
    client.force_login(admin)
    page = soup(client.get(reverse("audit:log"), {"model": "organisations.invitation"}))
    assert "kollega@skelleftea.example" in page.select_one("main").text
