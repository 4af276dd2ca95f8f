"""Who must prove a second factor (TOTP or a backup code) before acting.

Staff and superusers reach the admin site and the editorial desk; an organisation's
administrators grant roles to other people (organisations.rules), so a stolen password of theirs
hands out every role of the organisation. All three need two-step verification.
"""

from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.rules import roles_by_organisation


def otp_required_for(user) -> bool:
    """True when the user must be verified with a second factor.

    Reads the roles through the per-request cache that the permission rules use, so that the
    check costs no query of its own on pages that check permissions anyway.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(Role.ADMINISTRATOR in roles for roles in roles_by_organisation(user).values())
