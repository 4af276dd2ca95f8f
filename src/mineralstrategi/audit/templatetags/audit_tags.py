"""`{% reads_audit_trail as name %}`: whether the person may read the audit trail, for the pages
that link to it (a strategy's: `audit/_strategy_trail_link.html`)."""

import rules
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_audit_trail(context) -> bool:
    # The rule itself, not user.has_perm: Django's model backend would read the person's
    # permissions from the database for a permission that only the rule grants.
    request = context.get("request")
    return request is not None and rules.has_perm("audit.view_log", request.user)
