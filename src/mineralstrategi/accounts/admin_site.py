"""The admin site admits only sessions verified with a second factor (django-otp's
OTPAdminSite), and its login is the site's own two-step login rather than a second login form."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class VerifiedAdminSite(OTPAdminSite):
    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)
