"""The second step of logging in: enrol an authenticator app, verify a code, backup codes."""

from base64 import b32encode
from urllib.parse import urlsplit

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mineralstrategi.links import site_address

from . import services
from .forms import TokenForm
from .policy import otp_required_for
from .qr import qr_svg


def _next_url(request) -> str:
    """Where to go after the step: the `next` given, if it is on this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@never_cache  # secrets and codes on the page: Cache-Control no-store, private
@sensitive_post_parameters("token")
@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code.

    On success the session counts as verified and ten backup codes are shown, once. Only for
    the people two-step verification is required of (policy.otp_required_for): a device that
    nothing asks for would give a false sense of protection.
    """
    if not otp_required_for(request.user):
        raise PermissionDenied
    if services.has_confirmed_device(request.user):
        if request.user.is_verified():
            return redirect("accounts:backup_codes")
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = services.totp_device_pending(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session.cycle_key()
            codes = services.backup_codes_issue(request.user)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "enrolled": True, "next": _next_url(request)},
            )
        form.add_error(
            "token", _("The code is wrong or has expired. Type the code the app shows now.")
        )
    context = {
        "form": form,
        # The SVG is drawn by qrcode: path data only, no text of the URI (see qr.py).
        "qr_svg": mark_safe(qr_svg(device.config_url)),  # nosec B308, B703 # modules only, no text
        "secret": b32encode(device.bin_key).decode(),
        "otpauth_uri": device.config_url,
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@sensitive_post_parameters("token")
@login_required
def otp_verify(request):
    """The second step after the password: a code from the app or one of the backup codes."""
    if not services.has_confirmed_device(request.user):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            request.session.cycle_key()
            if services.backup_codes_left(request.user) < 3:
                messages.warning(
                    request,
                    _("You have few backup codes left. Make new ones under two-step verification."),
                )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _("The code is wrong, already used or has expired. Try again in a moment."),
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def backup_codes(request):
    """Make a new set of ten backup codes (the old ones stop working); shown once."""
    if not otp_required_for(request.user):
        raise PermissionDenied
    if request.method == "POST":
        codes = services.backup_codes_issue(request.user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "enrolled": False})
    return render(
        request,
        "accounts/backup_codes_status.html",
        {"left": services.backup_codes_left(request.user)},
    )


class PublicPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the link in its mail on the site's public address (SITE_URL)
    rather than the host name the request happened to arrive with."""

    def form_valid(self, form):
        address = urlsplit(site_address())
        self.extra_email_context = {"site_name": settings.MINERALSTRATEGI["SITE_NAME"]}
        form.save(
            domain_override=address.netloc,
            use_https=address.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())
