"""Sites are public; they are kept by superusers and by strategy editors of any organisation."""

import rules

from mineralstrategi.organisations.models import Membership, Role


@rules.predicate
def is_any_strategy_editor(user) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role=Role.STRATEGY_EDITOR).exists()


rules.add_perm("cluster.view_site", rules.always_allow)
rules.add_perm("cluster.change_site", rules.is_superuser | is_any_strategy_editor)
rules.add_perm("cluster.add_site", rules.is_superuser | is_any_strategy_editor)
rules.add_perm("cluster.delete_site", rules.is_superuser)
