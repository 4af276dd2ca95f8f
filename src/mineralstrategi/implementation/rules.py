"""Who may register, change, approve and read initiatives.

- A member of an organisation with the role contributor or higher proposes initiatives led by that
  organisation (`add_initiative` is checked on the organisation).
- Members of the lead organisation with contributor or higher change the initiative.
- Strategy editors of the strategy's partnership approve (list), return for changes, reject and
  unlist initiatives; members of the lead organisation with contributor or higher submit a
  returned initiative again (the services check the state: only a returned one).
- The moderation history (decisions and their reasons) is read by the strategy editors of the
  partnership and the lead organisation's members, never by the public
  (`implementation.view_moderation`).
- Approved initiatives are public; an unapproved one is read by its lead organisation's members
  and the strategy editors of the partnership: `Initiative.visibility` (models.py), registered as
  `implementation.view_initiative`.
"""

import rules

from mineralstrategi.organisations.models import Reads, Role
from mineralstrategi.organisations.rules import has_role, organisation_of, roles_in
from mineralstrategi.organisations.visibility import roles_reading
from mineralstrategi.strategy.rules import is_partnership_editor

CONTRIBUTOR_OR_HIGHER = (
    Role.CONTRIBUTOR,
    Role.CONSULTATION_OFFICER,
    Role.STRATEGY_EDITOR,
    Role.ADMINISTRATOR,
)

is_contributor = has_role(*CONTRIBUTOR_OR_HIGHER)


@rules.predicate
def reads_unapproved(user, initiative) -> bool:
    """A member of the initiative's lead organisation whose role reads its unapproved initiatives."""
    held = roles_in(user, organisation_of(initiative))
    return bool(held & roles_reading(Reads.UNAPPROVED_INITIATIVES))


is_superuser = rules.is_superuser

rules.add_perm("implementation.add_initiative", is_superuser | is_contributor)
rules.add_perm("implementation.change_initiative", is_superuser | is_contributor)
rules.add_perm("implementation.approve_initiative", is_superuser | is_partnership_editor)
rules.add_perm("implementation.resubmit_initiative", is_superuser | is_contributor)
rules.add_perm(
    "implementation.view_moderation", is_superuser | is_partnership_editor | reads_unapproved
)
rules.add_perm("implementation.change_actionplan", is_superuser | is_partnership_editor)
rules.add_perm("implementation.change_implementationsettings", is_superuser | is_partnership_editor)
