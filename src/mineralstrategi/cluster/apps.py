from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClusterConfig(AppConfig):
    name = "mineralstrategi.cluster"
    verbose_name = _("Innovation system")

    def ready(self):
        from mineralstrategi.organisations import profiles

        from . import checks  # noqa: F401  (registers the check of MAP_TILES_URL)
        from .selectors import municipality_sites, organisation_sites

        # The pages of organisations and municipalities list their sites.
        template = "cluster/_profile_sites.html"
        profiles.register("organisation", template, organisation_sites)
        profiles.register("municipality", template, municipality_sites)

        # A change of an initiative or its partners may change the actor network: its figures
        # are computed again by the task worker at once, before anyone asks (tasks.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from mineralstrategi.implementation.models import Initiative

        from .tasks import network_changed

        for signal in (post_save, post_delete):
            signal.connect(network_changed, sender=Initiative, dispatch_uid=f"network-{signal}")
        m2m_changed.connect(
            network_changed, sender=Initiative.partners.through, dispatch_uid="network-partners"
        )
