"""Who must prove a second factor (TOTP or a backup code) before acting.

Staff and superusers reach the admin site and the editorial desk; an organisation's
administrators grant roles to other people (organisations.rules), so a stolen password of theirs
hands out every role of the organisation. All three need two-step verification.
"""

from mineralstrategi.organisations.models import Membership, Role


def otp_required_for(user) -> bool:
    """True when the user must be verified with a second factor (cached on the user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_otp_required", None)
    if cached is None:
        cached = bool(
            user.is_staff
            or user.is_superuser
            or Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
        )
        user._otp_required = cached
    return cached
