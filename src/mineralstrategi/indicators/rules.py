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


@rules.predicate
def maintains_for_some_organisation(user) -> bool:
    """An administrator or strategy editor of some organisation: may create its indicators and
    import into them, so the import page is theirs (the page itself says what each may import)."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, role__in=[Role.ADMINISTRATOR, Role.STRATEGY_EDITOR]
        ).exists()
    )


@rules.predicate
def edits_some_strategy(user) -> bool:
    """A strategy editor of an organisation in some strategy's partnership: links indicators to
    the directions and goals of the strategies they edit (`strategy.edit_draft` on each)."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, role=Role.STRATEGY_EDITOR, organisation__strategies__isnull=False
        ).exists()
    )


@rules.predicate
def edits_a_strategy_it_follows_up(user, indicator) -> bool:
    """A strategy editor of a partner organisation of a strategy the indicator is linked to: the
    strategy says where its indicators should go (`strategy.edit_draft` on that strategy)."""
    if indicator is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user,
        role=Role.STRATEGY_EDITOR,
        organisation__strategies__indicator_links__indicator=indicator,
    ).exists()


rules.add_perm("indicators.view_indicator", rules.always_allow)
rules.add_perm("indicators.change_indicator", is_superuser | maintains_indicator)
# Targets and baselines are kept by the indicator's maintainers and by the editors of the strategies
# it follows up; its links to strategy goals by the strategies' editors: the page is theirs (no
# object: the links' own writes check `strategy.edit_draft` on each strategy).
rules.add_perm(
    "indicators.set_targets",
    is_superuser | maintains_indicator | edits_a_strategy_it_follows_up,
)
rules.add_perm("indicators.link_indicator", is_superuser | edits_some_strategy)
rules.add_perm("indicators.import_observations", is_superuser | maintains_indicator)
rules.add_perm("indicators.start_import", is_superuser | maintains_for_some_organisation)
rules.add_perm("indicators.import_prices", is_superuser | administers_some_organisation)
rules.add_perm("indicators.add_indicator", is_superuser)
# An organisation's administrators and strategy editors may create indicators it is responsible
# for (from a statistics file's metadata); the object is the organisation.
rules.add_perm(
    "indicators.add_indicator_for",
    is_superuser | has_role(Role.ADMINISTRATOR, Role.STRATEGY_EDITOR),
)
rules.add_perm("indicators.delete_indicator", is_superuser)
