"""Deployment checks of the fleet (`manage.py check --deploy`): what one server would keep to
itself when several share the database.

- `mineralstrategi.W005`: PostgreSQL, or WEB_NODES above 1, with a cache alias that lives in a
  process or on a server's disk (no REDIS_URL): each server then keeps its own generation token
  (a write on one leaves the others' pages stale), its own page cache, its own counts of
  anonymous renders and its own import progress.
- `mineralstrategi.W006`: WEB_NODES above 1 with uploads and reports on a server's own disk
  (FileSystemStorage): an upload, its preview and its task may land on three machines.
- `mineralstrategi.W007`: WEB_NODES above 1 with SQLite, a file on one server.

The public site address (SITE_URL) is checked by `links.py` (W001, W002).
"""

from collections.abc import Mapping

from django.conf import settings
from django.core import checks
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string

SERVER_LOCAL_CACHES = (LocMemCache, FileBasedCache)


def _is_subclass(dotted: str, bases: tuple[type, ...]) -> bool:
    try:
        backend = import_string(dotted)
    except ImportError:
        return False
    return isinstance(backend, type) and issubclass(backend, bases)


def fleet_warnings(
    *,
    databases: Mapping,
    caches: Mapping,
    storages: Mapping,
    web_nodes: int,
) -> list[checks.CheckMessage]:
    """The warnings for these settings (pure, so that each case is tested without a process)."""
    several = web_nodes > 1
    engine = databases["default"]["ENGINE"]
    postgresql = "postgresql" in engine
    messages = []
    local = sorted(
        alias
        for alias, cache in caches.items()
        if _is_subclass(cache["BACKEND"], SERVER_LOCAL_CACHES)
    )
    if local and (postgresql or several):
        shared = "several servers share the database" if several else "the database is PostgreSQL"
        messages.append(
            checks.Warning(
                f"The cache aliases {', '.join(local)} live in each process or on each server's "
                f"own disk (REDIS_URL is not set), while {shared}: each server keeps its own "
                "generation token (a write on one leaves the pages of the others stale), its own "
                "page cache, its own counts of anonymous renders and its own import progress.",
                hint="Set REDIS_URL to a Redis every server reaches.",
                id="mineralstrategi.W005",
            )
        )
    default_storage = storages.get("default", {}).get("BACKEND", "")
    if several and _is_subclass(default_storage, (FileSystemStorage,)):
        messages.append(
            checks.Warning(
                f"WEB_NODES is {web_nodes}, but uploads, attachments and reports are kept on "
                "each server's own disk (FileSystemStorage in MEDIA_ROOT): an import's upload, "
                "its preview and its task may land on different servers.",
                hint="Set MEDIA_STORAGE=s3 and S3_BUCKET (object storage every server reaches), "
                "or put MEDIA_ROOT on storage every server mounts at the same path (NFS or the "
                "like).",
                id="mineralstrategi.W006",
            )
        )
    if several and engine == "django.db.backends.sqlite3":
        messages.append(
            checks.Warning(
                f"WEB_NODES is {web_nodes}, but the database is SQLite, a file on one server.",
                hint="Set DATABASE_URL to a PostgreSQL database every server reaches.",
                id="mineralstrategi.W007",
            )
        )
    return messages


@checks.register(checks.Tags.caches, deploy=True)
def check_fleet(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return fleet_warnings(
        databases=settings.DATABASES,
        caches=settings.CACHES,
        storages=settings.STORAGES,
        web_nodes=settings.WEB_NODES,
    )
