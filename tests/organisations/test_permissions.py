import pytest
from django.contrib.auth.models import AnonymousUser

from mineralstrategi.organisations.models import ContactPerson, Role


@pytest.fixture
def contacts(skelleftea):
    return {
        "public": ContactPerson.objects.create(
            organisation=skelleftea, name="Öppen Kontakt", is_public=True
        ),
        "internal": ContactPerson.objects.create(
            organisation=skelleftea, name="Intern Kontakt", is_public=False
        ),
    }


@pytest.mark.parametrize(
    ("role", "may_change"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.STRATEGY_EDITOR, False),
        (Role.CONSULTATION_OFFICER, False),
        (Role.CONTRIBUTOR, False),
        (Role.VIEWER, False),
    ],
)
def test_only_the_organisations_administrator_may_change_it(
    skelleftea, make_member, role, may_change
):
    member = make_member(skelleftea, role)

    assert member.has_perm("organisations.change_organisation", skelleftea) is may_change
    assert member.has_perm("organisations.change_contactperson", skelleftea) is may_change


def test_an_administrator_of_one_municipality_cannot_change_another(
    skelleftea, kiruna, make_member
):
    admin_of_kiruna = make_member(kiruna, Role.ADMINISTRATOR)

    assert admin_of_kiruna.has_perm("organisations.change_organisation", kiruna)
    assert not admin_of_kiruna.has_perm("organisations.change_organisation", skelleftea)
    assert not admin_of_kiruna.has_perm("organisations.add_membership", skelleftea)


def test_nobody_but_a_superuser_creates_or_deletes_organisations(
    skelleftea, make_member, superuser
):
    admin = make_member(skelleftea, Role.ADMINISTRATOR)

    assert not admin.has_perm("organisations.add_organisation")
    assert not admin.has_perm("organisations.delete_organisation", skelleftea)
    assert superuser.has_perm("organisations.delete_organisation", skelleftea)


def test_internal_contacts_are_visible_to_members_only(contacts, skelleftea, kiruna, make_member):
    member = make_member(skelleftea, Role.VIEWER)
    outsider = make_member(kiruna, Role.ADMINISTRATOR)

    def visible(user):
        return set(ContactPerson.objects.visible_to(user).values_list("name", flat=True))

    assert visible(AnonymousUser()) == {"Öppen Kontakt"}
    assert visible(outsider) == {"Öppen Kontakt"}
    assert visible(member) == {"Öppen Kontakt", "Intern Kontakt"}
    assert outsider.has_perm("organisations.view_contactperson", contacts["public"])
    assert not outsider.has_perm("organisations.view_contactperson", contacts["internal"])
    assert member.has_perm("organisations.view_contactperson", contacts["internal"])
