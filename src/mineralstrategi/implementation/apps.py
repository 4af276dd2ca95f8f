from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "mineralstrategi.implementation"
    verbose_name = _("Implementation")

    def ready(self):
        # The pages of organisations and municipalities list their initiatives.
        from mineralstrategi.organisations import profiles

        from .selectors import municipality_initiatives, organisation_initiatives

        template = "implementation/_profile_initiatives.html"
        profiles.register("organisation", template, organisation_initiatives)
        profiles.register("municipality", template, municipality_initiatives)
