from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "mineralstrategi.limits"
    verbose_name = _("Rate limits")
