import pytest
from django.urls import reverse

from mineralstrategi.organisations.models import ContactPerson, Membership, Role


@pytest.fixture
def staff_admin_of(make_member):
    def make(organisation):
        user = make_member(organisation, Role.ADMINISTRATOR)
        user.is_staff = True
        user.save()
        return user

    return make


def test_staff_administrator_sees_only_their_own_organisation(
    client, skelleftea, kiruna, staff_admin_of, soup
):
    client.force_login(staff_admin_of(skelleftea))

    response = client.get(reverse("admin:organisations_organisation_changelist"))

    assert response.status_code == 200
    names = [a.text for a in soup(response).select("#result_list tbody th a")]
    assert names == ["Skellefteå kommun"]
    own = reverse("admin:organisations_organisation_change", args=[skelleftea.pk])
    other = reverse("admin:organisations_organisation_change", args=[kiruna.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code in (302, 403, 404)


def test_staff_administrator_cannot_change_another_organisation_by_post(
    client, skelleftea, kiruna, staff_admin_of
):
    client.force_login(staff_admin_of(skelleftea))
    url = reverse("admin:organisations_organisation_change", args=[kiruna.pk])

    client.post(url, {"name": "Kapad", "helix_role": "public", "website": "", "description": ""})

    kiruna.refresh_from_db()
    assert kiruna.name == "Kiruna kommun"


def test_staff_administrator_adds_a_contact_only_for_their_organisation(
    client, skelleftea, kiruna, staff_admin_of, soup
):
    client.force_login(staff_admin_of(skelleftea))
    url = reverse("admin:organisations_contactperson_add")

    form = soup(client.get(url))
    choices = [o["value"] for o in form.select("select[name=organisation] option") if o["value"]]
    assert choices == [str(skelleftea.pk)]

    response = client.post(
        url, {"organisation": kiruna.pk, "name": "Smugglad", "title": "", "phone": "", "email": ""}
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not ContactPerson.objects.filter(name="Smugglad").exists()


def test_staff_without_an_administrator_role_sees_no_organisation_admin(
    client, skelleftea, make_member
):
    editor = make_member(skelleftea, Role.STRATEGY_EDITOR)
    editor.is_staff = True
    editor.save()
    client.force_login(editor)

    response = client.get(reverse("admin:organisations_organisation_changelist"))

    assert response.status_code == 403


def test_superuser_sees_all_and_changes_are_audited(client, superuser, skelleftea):
    client.force_login(superuser)
    url = reverse("admin:organisations_membership_changelist")
    assert client.get(url).status_code == 200

    Membership.objects.create(user=superuser, organisation=skelleftea, role=Role.VIEWER)
    skelleftea.description = "Ändrad"
    skelleftea._history_user = superuser
    skelleftea.save()

    latest = skelleftea.history.first()
    assert latest.description == "Ändrad" and latest.history_type == "~"
