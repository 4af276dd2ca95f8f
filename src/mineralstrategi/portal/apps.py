from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "mineralstrategi.portal"
    verbose_name = _("Public portal")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .search_index import connect

        connect()  # the site search's stored vectors follow every write
