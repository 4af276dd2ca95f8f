"""Two pieces of middleware: `OTPRequiredMiddleware` and `RenderBudgetMiddleware`.

`OTPRequiredMiddleware` holds back people who must use two-step verification until they have.

After the password, someone who must verify (policy.otp_required_for) and has not in this
session reaches only the two-step pages, the login and logout and the language switch: every
other page, the admin site and every write (API included) send them to verify a code, or to set
up an authenticator app first when they have none. Installed after django-otp's OTPMiddleware,
which tells whether the session is verified.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mineralstrategi.organisations.services import api_token_user
from mineralstrategi.visitors import render_budget_wait, too_many_renders

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


# Requests never counted against the render budget: the health check that monitoring asks for
# every few seconds from one address.
UNCOUNTED_PATHS = frozenset({"/healthz"})
COUNTED_METHODS = frozenset({"GET", "HEAD"})


class RenderBudgetMiddleware:
    """A budget for what an anonymous visitor can make the server render: at most
    ANONYMOUS_RENDERS_PER_MINUTE pages or API reads a minute per client address, then 429 with
    Retry-After (`visitors.render_budget_wait`).

    It sits after the public page cache, so only what the cache did not answer reaches it: a
    page rendered for the first time, with query values never asked before, or for a visitor
    who sent a cookie that keeps the cache away. Writes (POST) have their own limits, and signed-in
    people and callers with a valid API key are not counted (they are known)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._counted(request) and (wait := render_budget_wait(request)) is not None:
            return self._refusal(request, wait)
        return self.get_response(request)

    @staticmethod
    def _refusal(request, wait: int):
        """The page that says when to try again, or for the API (in English, as the rest of
        it) the same in JSON."""
        if request.path_info.startswith("/api/"):
            detail = f"too many uncached requests from this address; try again in {wait} seconds"
            response = JsonResponse({"detail": detail}, status=429)
            response["Retry-After"] = str(wait)
        else:
            response = too_many_renders(request, wait)
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _counted(request) -> bool:
        if settings.MINERALSTRATEGI["ANONYMOUS_RENDERS_PER_MINUTE"] <= 0:
            return False
        if request.method not in COUNTED_METHODS or request.path_info in UNCOUNTED_PATHS:
            return False
        if request.user.is_authenticated:
            return False
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        return not (scheme.lower() == "bearer" and key and api_token_user(key.strip()))
