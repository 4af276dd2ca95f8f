from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "mineralstrategi.implementation"
    verbose_name = _("Implementation")
