"""Who may change indicators and import data.

Indicators, observations and targets are public to read. The responsible organisation's
administrators and strategy editors maintain an indicator and import its observations; commodity
prices are shared reference data, imported by a superuser or by any organisation's administrator.
"""

import rules

from mineralstrategi.organisations.models import Membership, Role
from mineralstrategi.organisations.rules import has_role, is_superuser


@rules.predicate
def maintains_indicator(user, indicator) -> bool:
    if indicator is None:
        return False
    return has_role(Role.ADMINISTRATOR, Role.STRATEGY_EDITOR)(user, indicator.owner)


@rules.predicate
def administers_some_organisation(user) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
    )


rules.add_perm("indicators.view_indicator", rules.always_allow)
rules.add_perm("indicators.change_indicator", is_superuser | maintains_indicator)
rules.add_perm("indicators.import_observations", is_superuser | maintains_indicator)
rules.add_perm("indicators.import_prices", is_superuser | administers_some_organisation)
rules.add_perm("indicators.add_indicator", is_superuser)
# An organisation's administrators and strategy editors may create indicators it is responsible
# for (from a statistics file's metadata); the object is the organisation.
rules.add_perm(
    "indicators.add_indicator_for",
    is_superuser | has_role(Role.ADMINISTRATOR, Role.STRATEGY_EDITOR),
)
rules.add_perm("indicators.delete_indicator", is_superuser)
