"""Object-level permissions: a person acts for an organisation only as a member with the role.

Each predicate takes the user and an organisation (or an object that belongs to one). Other apps
build on `has_role` for what their roles may change. What each role may read is not here: it is
`ROLE_READS` (models.py), and the read rules are the models' `visibility` (see visibility.py),
which registers `organisations.view_contactperson`, `view_membership` and `view_apitoken`.
"""

import rules

from .models import Organisation, Role
from .visibility import roles_by_organisation


def organisation_of(obj) -> Organisation | None:
    if obj is None or isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


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


is_superuser = rules.is_superuser
is_org_administrator = has_role(Role.ADMINISTRATOR)

rules.add_perm("organisations.view_organisation", rules.always_allow)
rules.add_perm("organisations.change_organisation", is_superuser | is_org_administrator)
rules.add_perm("organisations.add_organisation", is_superuser)
rules.add_perm("organisations.delete_organisation", is_superuser)

rules.add_perm("organisations.add_contactperson", is_superuser | is_org_administrator)
rules.add_perm("organisations.change_contactperson", is_superuser | is_org_administrator)
rules.add_perm("organisations.delete_contactperson", is_superuser | is_org_administrator)

rules.add_perm("organisations.add_membership", is_superuser | is_org_administrator)
rules.add_perm("organisations.change_membership", is_superuser | is_org_administrator)
rules.add_perm("organisations.delete_membership", is_superuser | is_org_administrator)

rules.add_perm("organisations.view_county", rules.always_allow)
rules.add_perm("organisations.view_municipality", rules.always_allow)
