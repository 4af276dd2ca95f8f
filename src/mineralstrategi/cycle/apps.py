from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "mineralstrategi.cycle"
    verbose_name = _("Yearly follow-up cycle")

    def ready(self):
        # An initiative's page shows its light in each reporting period; the implementation app
        # below this one learns it from the part registered here.
        from mineralstrategi.organisations import profiles

        from .selectors import initiative_lights

        profiles.register("initiative", "cycle/_initiative_lights.html", initiative_lights)
