from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CachingConfig(AppConfig):
    """Installs the write watcher on every database connection, in every process (web, worker, CLI)."""

    name = "mineralstrategi.caching"
    verbose_name = "Public page cache"

    def ready(self) -> None:
        from .invalidation import watch_connection

        connection_created.connect(watch_connection, dispatch_uid="mineralstrategi-public-cache")
