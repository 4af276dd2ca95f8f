"""Enrolment and verification of second factors: a TOTP device and a set of backup codes.

Built on django-otp's own devices (TOTPDevice, StaticDevice) so that their throttling
(a growing delay after each wrong code) and one-time use of each code apply.
"""

from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def totp_device_pending(user) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made on first call and kept across reloads
    so that the QR code the person scanned stays the one that is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if the token is the current code; other unconfirmed devices go."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(normalise_token(token)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


@transaction.atomic
def backup_codes_issue(user) -> list[str]:
    """Replace the user's backup codes with ten new ones; each works once. Shown once only."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def otp_verify(*, user, token: str):
    """The confirmed device that accepts the token (a TOTP code or an unused backup code)."""
    token = normalise_token(token)
    if not token:
        return None
    for device in list(devices_for_user(user, confirmed=True)):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def normalise_token(token: str) -> str:
    """Codes are typed with spaces or dashes now and then ('123 456', 'abcd-efgh')."""
    return "".join(ch for ch in (token or "") if ch.isalnum()).lower()
