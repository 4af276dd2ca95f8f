"""Who reads the audit trail: superusers all of it, an organisation's administrators the changes
made on behalf of the organisations they administer. Nobody writes it through the application."""

import rules

from mineralstrategi.organisations.models import Organisation


@rules.predicate
def administers_an_organisation(user) -> bool:
    return Organisation.objects.administered_by(user).exists()


rules.add_perm("audit.view_log", rules.is_superuser | administers_an_organisation)
