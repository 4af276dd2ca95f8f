"""Two-step verification for the demo accounts that need it (accounts.policy): each gets an
authenticator device with one known key, printed by `mineralstrategi demo`, so that anyone
trying the demo can add it to an authenticator app (or compute codes with `oathtool`)."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from mineralstrategi.accounts.policy import otp_required_for

# RFC 6238's own test key ("12345678901234567890"): plainly not a secret. Demo only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_DEVICE_NAME = "demo"


def demo_totp_secret() -> str:
    """The demo key in base32, as authenticator apps and oathtool take it."""
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def two_step_demo_load(result) -> None:
    """Give every demo account that must verify a confirmed device with the demo key (once)."""
    for user in get_user_model().objects.order_by("pk"):
        if not otp_required_for(user):
            continue
        _device, created = TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_TOTP_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
        )
        if created:
            result.count("two-step devices")
