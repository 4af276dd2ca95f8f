from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mineralstrategi.accounts.admin_site import VerifiedAdminSite
from mineralstrategi.accounts.views import (
    LoginView,
    PasswordResetDoneView,
    PublicPasswordResetView,
)
from mineralstrategi.api.api import api
from mineralstrategi.portal.views import favicon

from .health import healthz

# django-otp's documented way: the default site (with every app's registrations) becomes one that
# admits only sessions verified with a second factor.
admin.site.__class__ = VerifiedAdminSite
admin.site.site_header = _("Mineralstrategi administration")
admin.site.site_title = "Mineralstrategi"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    # Before Django's own: the login also by e-mail address; the reset mail's link on the
    # site's public address (SITE_URL), the mails limited and the page after saying so.
    path("konto/login/", LoginView.as_view(), name="login"),
    path("konto/password_reset/", PublicPasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/password_reset/done/",
        PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("konto/", include("django.contrib.auth.urls")),
    path("", include("mineralstrategi.accounts.urls")),
    path("", include("mineralstrategi.organisations.urls")),
    path("", include("mineralstrategi.indicators.urls")),
    path("", include("mineralstrategi.strategy.urls")),
    path("", include("mineralstrategi.implementation.urls")),
    path("", include("mineralstrategi.cluster.urls")),
    path("", include("mineralstrategi.consultation.urls")),
    path("", include("mineralstrategi.cycle.urls")),
    path("", include("mineralstrategi.reports.urls")),
    path("", include("mineralstrategi.portal.urls")),
    path("", include("mineralstrategi.audit.urls")),
    path("", include("mineralstrategi.notifications.urls")),
    path("", include("mineralstrategi.help.urls")),
    prefix_default_language=False,
)
