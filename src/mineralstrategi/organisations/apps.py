from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "mineralstrategi.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from mineralstrategi import links  # noqa: F401 (registers the check of SITE_URL)

        from .visibility import register_view_permissions

        register_view_permissions()
