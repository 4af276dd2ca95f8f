"""Who may read and write a strategy.

- Anyone reads a strategy's frozen versions (they were sent out or adopted) and its frameworks.
- Members of a partner organisation whose role reads the partnership's work (ROLE_READS) read the
  working draft and the editors' comments (`StrategyVersion.visibility`,
  `SectionComment.visibility`, registered as `strategy.view_strategyversion` and
  `view_sectioncomment`).
- Strategy editors of a partner organisation edit the draft, comment, link, freeze and adopt.
- Administrators and strategy editors of an organisation set up a strategy it leads.
- Anyone reads the reference frameworks. A strategy editor of an organisation adds a framework
  owned by it (`strategy.add_framework`, on the organisation) and keeps that framework and its
  items (`strategy.change_framework`, on the framework or an item); the frameworks loaded from
  the platform's data files have no owner and only superusers change them.

Every strategy predicate takes a Strategy, a StrategyVersion or a Section and works on its
strategy; the framework predicates take an Organisation, a Framework or a FrameworkItem.
"""

import rules

from mineralstrategi.organisations.models import Reads, Role
from mineralstrategi.organisations.visibility import RoleIn, related_ids, roles_by_organisation

from .models import Framework, FrameworkItem, Section, Strategy, StrategyVersion


def strategy_of(obj) -> Strategy | None:
    if obj is None or isinstance(obj, Strategy):
        return obj
    if isinstance(obj, StrategyVersion):
        return obj.strategy
    if isinstance(obj, Section):
        return obj.version.strategy
    return getattr(obj, "strategy", None)


def partner_ids(strategy: Strategy) -> set[int]:
    """The partnership's organisation ids, read once per strategy object (or from a prefetch)."""
    return related_ids(strategy, "partnership")


def partnership_roles(user, strategy: Strategy | None) -> set[str]:
    if strategy is None or not user.is_authenticated:
        return set()
    held = roles_by_organisation(user)
    roles: set[str] = set()
    for organisation_id in partner_ids(strategy):
        roles |= held.get(organisation_id, set())
    return roles


_PARTNERSHIP_WORK = RoleIn("partnership", Reads.PARTNERSHIP_WORK)


@rules.predicate
def is_partnership_member(user, obj) -> bool:
    """Holds, in a partner organisation, a role that reads the partnership's work."""
    return _PARTNERSHIP_WORK.allows(user, strategy_of(obj))


@rules.predicate
def is_partnership_editor(user, obj) -> bool:
    return Role.STRATEGY_EDITOR in partnership_roles(user, strategy_of(obj))


@rules.predicate
def is_frozen_version(user, obj) -> bool:
    version = obj.version if isinstance(obj, Section) else obj
    return isinstance(version, StrategyVersion) and version.is_frozen


@rules.predicate
def may_read_version(user, section) -> bool:
    """A section is read with its version."""
    return StrategyVersion.visibility.allows(user, section.version if section else None)


#: The roles with which a person sets up a strategy led by their organisation.
SETUP_ROLES = frozenset({Role.ADMINISTRATOR, Role.STRATEGY_EDITOR})


@rules.predicate
def may_set_up_for(user, organisation) -> bool:
    """Holds a setting-up role in `organisation`, or (without one given) in any organisation."""
    held = roles_by_organisation(user)
    if organisation is None:
        return any(roles & SETUP_ROLES for roles in held.values())
    return bool(held.get(organisation.pk, set()) & SETUP_ROLES)


#: The roles with which a person keeps the frameworks of their organisation: those that edit its
#: strategies (`may_edit`).
FRAMEWORK_ROLES = frozenset({Role.STRATEGY_EDITOR})


def framework_of(obj) -> Framework | None:
    if isinstance(obj, FrameworkItem):
        return obj.framework
    return obj if isinstance(obj, Framework) else None


@rules.predicate
def may_add_framework_for(user, organisation) -> bool:
    """Edits the strategies of `organisation`, or (without one given) of any organisation."""
    held = roles_by_organisation(user)
    if organisation is None:
        return any(roles & FRAMEWORK_ROLES for roles in held.values())
    return bool(held.get(organisation.pk, set()) & FRAMEWORK_ROLES)


@rules.predicate
def keeps_framework(user, obj) -> bool:
    """Edits the strategies of the organisation that owns the framework (of the item)."""
    framework = framework_of(obj)
    if framework is None or framework.owner_id is None:
        return False
    return bool(roles_by_organisation(user).get(framework.owner_id, set()) & FRAMEWORK_ROLES)


is_superuser = rules.is_superuser
may_edit = is_superuser | is_partnership_editor

rules.add_perm("strategy.view_strategy", rules.always_allow)
# Sets up a strategy led by the organisation (or, without one, by some organisation of theirs).
rules.add_perm("strategy.set_up_strategy", is_superuser | may_set_up_for)
rules.add_perm("strategy.view_draft", is_superuser | is_partnership_member)
rules.add_perm("strategy.edit_draft", may_edit)
rules.add_perm("strategy.freeze_version", may_edit)
rules.add_perm("strategy.adopt_version", may_edit)
rules.add_perm("strategy.add_sectioncomment", may_edit)

# The admin's model permissions: strategies are set up by a superuser; the sections of a working
# draft may be corrected there by its editors; a frozen version's sections by nobody.
rules.add_perm("strategy.change_strategy", is_superuser)
rules.add_perm("strategy.add_section", may_edit & ~is_frozen_version)
rules.add_perm("strategy.change_section", may_edit & ~is_frozen_version)
rules.add_perm("strategy.delete_section", may_edit & ~is_frozen_version)
rules.add_perm("strategy.view_section", may_read_version)
rules.add_perm("strategy.view_framework", rules.always_allow)
# On an organisation (the owner-to-be; without one: of some organisation of theirs).
rules.add_perm("strategy.add_framework", is_superuser | may_add_framework_for)
# On a framework or one of its items: its fields and its items.
rules.add_perm("strategy.change_framework", is_superuser | keeps_framework)
