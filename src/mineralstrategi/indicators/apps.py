from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "mineralstrategi.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # A municipality's page shows the latest value of each indicator measured there.
        from mineralstrategi.organisations import profiles

        from .selectors import municipality_values

        profiles.register("municipality", "indicators/_profile_values.html", municipality_values)
