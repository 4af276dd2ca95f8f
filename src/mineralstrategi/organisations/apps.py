from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "mineralstrategi.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from .visibility import register_view_permissions

        register_view_permissions()
