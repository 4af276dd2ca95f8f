from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "mineralstrategi.cycle"
    verbose_name = _("Yearly follow-up cycle")
