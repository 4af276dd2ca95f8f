from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "mineralstrategi.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # A municipality's page shows the latest value of each indicator measured there.
        from mineralstrategi.organisations import profiles

        profiles.register("municipality", "indicators/_profile_values.html", municipality_values)


def municipality_values(municipality, user) -> dict | None:
    """The selector, imported when a page first asks: it loads the analysis (pandas,
    statsmodels), which a `manage` command or a worker without pages does not need."""
    from .selectors import municipality_values as read

    return read(municipality, user)
