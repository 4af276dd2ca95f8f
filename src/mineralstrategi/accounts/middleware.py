"""Holds back people who must use two-step verification until they have.

After the password, someone who must verify (policy.otp_required_for) and has not in this
session reaches only the two-step pages, the login and logout and the language switch: every
other page, the admin site and every write (API included) send them to verify a code, or to set
up an authenticator app first when they have none. Installed after django-otp's OTPMiddleware,
which tells whether the session is verified.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .policy import otp_required_for
from .services import has_confirmed_device

OPEN_VIEWS = frozenset(
    {
        "accounts:otp_setup",
        "accounts:otp_enrol",
        "accounts:otp_verify",
        "login",
        "logout",
        "set_language",
        "healthz",
    }
)


class OTPRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not otp_required_for(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Two-step verification is required: log in again in the browser.")},
                status=403,
            )
        enrolled = has_confirmed_device(user)
        target = reverse("accounts:otp_verify" if enrolled else "accounts:otp_setup")
        next_path = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{target}?{urlencode({'next': next_path})}")
