"""Who decides on onboarding: an organisation's administrators on the requests to join it, the
platform's staff on the applications to register a new organisation. Any account may ask."""

import rules

from mineralstrategi.organisations.rules import is_org_administrator, is_superuser

is_staff = rules.is_staff

# On a JoinRequest (its organisation's administrators).
rules.add_perm("accounts.decide_joinrequest", is_superuser | is_org_administrator)
# On an OrganisationApplication.
rules.add_perm("accounts.decide_organisationapplication", is_superuser | is_staff)
rules.add_perm("accounts.add_joinrequest", rules.is_authenticated)
rules.add_perm("accounts.add_organisationapplication", rules.is_authenticated)
