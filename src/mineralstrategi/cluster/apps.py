from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClusterConfig(AppConfig):
    name = "mineralstrategi.cluster"
    verbose_name = _("Innovation system")

    def ready(self):
        # The pages of organisations and municipalities list their sites.
        from mineralstrategi.organisations import profiles

        from .selectors import municipality_sites, organisation_sites

        template = "cluster/_profile_sites.html"
        profiles.register("organisation", template, organisation_sites)
        profiles.register("municipality", template, municipality_sites)
