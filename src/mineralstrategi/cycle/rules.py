"""Who may change the annual wheel, report for a period and read who has reported.

- The wheel of a strategy is read with the strategy (public once a version is frozen; before that
  its partnership's: `strategy.view_draft`), and changed by its editors (`strategy.rules.may_edit`:
  the strategy editors of the partnership and superusers), who also open a period, read the
  overview of who has reported and remind the late.
- A period's report is written by the members of the owning organisation with the role
  contributor or higher (`REPORTING_ROLES`), or by the strategy's editors; the owners' members
  with any role read it.
"""

import rules

from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.rules import has_role
from mineralstrategi.strategy.rules import may_edit

#: The roles of an owner's members who report for it (and are reminded).
REPORTING_ROLES = (
    Role.CONTRIBUTOR,
    Role.CONSULTATION_OFFICER,
    Role.STRATEGY_EDITOR,
    Role.ADMINISTRATOR,
)

is_reporter = has_role(*REPORTING_ROLES)
is_owner_member = has_role(*Role.values)


@rules.predicate
def edits_the_strategy_of(user, report) -> bool:
    return report is not None and may_edit(user, report.period.strategy)


# On a strategy:
rules.add_perm("cycle.change_wheel", may_edit)
rules.add_perm("cycle.view_overview", may_edit)
rules.add_perm("cycle.remind_owner", may_edit)
# On a PeriodReport (its `organisation` is the owner):
rules.add_perm("cycle.submit_report", is_reporter | edits_the_strategy_of)
rules.add_perm("cycle.view_report", is_owner_member | edits_the_strategy_of)
