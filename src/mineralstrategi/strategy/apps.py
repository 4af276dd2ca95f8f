from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "mineralstrategi.strategy"
    verbose_name = _("Strategy")

    def ready(self):
        # An organisation's page names the strategies it is a partner in.
        from mineralstrategi.organisations import profiles

        from .selectors import organisation_strategies

        profiles.register(
            "organisation", "strategy/_profile_strategies.html", organisation_strategies
        )
