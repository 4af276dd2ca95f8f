"""Who reads the audit trail: superusers all of it; the members whose role reads an
organisation's audit trail (ROLE_READS: its administrators) the changes made on its behalf.
Nobody writes it through the application."""

import rules

from mineralstrategi.organisations.models import Reads
from mineralstrategi.organisations.visibility import SUPERUSER, RoleIn, reads_anywhere

# On a historical record of any audited model, and on an organisation (whose trail one reads).
AUDIT_TRAIL = RoleIn("history_organisation", Reads.AUDIT_TRAIL) | SUPERUSER
AUDITED_ORGANISATIONS = RoleIn("", Reads.AUDIT_TRAIL) | SUPERUSER


@rules.predicate
def reads_an_audit_trail(user) -> bool:
    return reads_anywhere(user, Reads.AUDIT_TRAIL)


rules.add_perm("audit.view_log", rules.is_superuser | reads_an_audit_trail)
