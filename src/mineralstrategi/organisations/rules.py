"""Object-level permissions: a person acts for an organisation only as a member with the role.

Each predicate takes the user and an organisation (or an object that belongs to one). Other apps
build on `has_role` for their own objects.
"""

import rules

from .models import ContactPerson, Membership, Organisation, Role


def organisation_of(obj) -> Organisation | None:
    if obj is None or isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def roles_by_organisation(user) -> dict[int, set[str]]:
    """The user's roles per organisation id, fetched once per user and request."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_organisation_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cache.setdefault(org_id, set()).add(role)
        user._organisation_roles = cache
    return cache


def roles_in(user, organisation: Organisation) -> set[str]:
    """The user's roles in the organisation, fetched once per user and request."""
    if organisation is None:
        return set()
    return roles_by_organisation(user).get(organisation.pk, set())


def has_role(*roles: str):
    """A predicate: the user holds one of the roles in the object's organisation."""

    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user, obj) -> bool:
        return bool(roles_in(user, organisation_of(obj)) & set(roles))

    return predicate


@rules.predicate
def is_member(user, obj) -> bool:
    return bool(roles_in(user, organisation_of(obj)))


@rules.predicate
def is_public_contact(user, contact: ContactPerson | None) -> bool:
    return contact is not None and contact.is_public


is_superuser = rules.is_superuser
is_org_administrator = has_role(Role.ADMINISTRATOR)

rules.add_perm("organisations.view_organisation", rules.always_allow)
rules.add_perm("organisations.change_organisation", is_superuser | is_org_administrator)
rules.add_perm("organisations.add_organisation", is_superuser)
rules.add_perm("organisations.delete_organisation", is_superuser)

rules.add_perm("organisations.view_contactperson", is_superuser | is_public_contact | is_member)
rules.add_perm("organisations.add_contactperson", is_superuser | is_org_administrator)
rules.add_perm("organisations.change_contactperson", is_superuser | is_org_administrator)
rules.add_perm("organisations.delete_contactperson", is_superuser | is_org_administrator)

rules.add_perm("organisations.view_membership", is_superuser | is_org_administrator)
rules.add_perm("organisations.add_membership", is_superuser | is_org_administrator)
rules.add_perm("organisations.change_membership", is_superuser | is_org_administrator)
rules.add_perm("organisations.delete_membership", is_superuser | is_org_administrator)

rules.add_perm("organisations.view_county", rules.always_allow)
rules.add_perm("organisations.view_municipality", rules.always_allow)
