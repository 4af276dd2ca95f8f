from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "mineralstrategi.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # An organisation's page links its audit trail for those who read it.
        from mineralstrategi.organisations import profiles

        from .selectors import organisation_trail_link

        profiles.register("organisation", "audit/_trail_link.html", organisation_trail_link)
