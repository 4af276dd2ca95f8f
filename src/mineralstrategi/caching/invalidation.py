"""Invalidation: a generation token, shared by every process, that every write to our tables renews.

Cached pages are keyed by the token that was current when their request began, so renewing it makes
them all unreachable at once (they then expire on their own). The token lives in the "shared" cache
(Redis, or files in the data folder) so that a write in one process (a web worker, the task worker,
the command line) is seen by the next read in any other.

Writes are recognised in the SQL, by a database execute wrapper, rather than by model signals:
`QuerySet.update()`, `bulk_create()` and raw SQL send no signals, and the imports use them.

When the token is renewed: at once for a write outside a transaction (it is already visible), and
for a write inside one when the transaction commits (a page that another process rendered before
the commit must not outlive it). Inside a transaction it is also renewed at once if this process
has looked up a page since its last renewal, so that a read on the same connection after the write
(tests run inside one transaction) never gets a page from before it.
"""

import functools
import logging
import re
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page-generation"

# Every app of ours (its data may show on a public page) is watched; of Django's, auth_user for the
# names of people (e.g. who froze a version), not for logins, which only write last_login.
OUR_PACKAGE = "mineralstrategi."
OTHER_TABLES = frozenset({"auth_user"})

_WRITE_SQL = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)"
    r"\s+(?:TABLE\s+)?(?:ONLY\s+)?[\"`]?(\w+)",
    re.IGNORECASE,
)
_LAST_LOGIN_ONLY = re.compile(r'UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE')

# Whether this process has looked up the token since it last renewed it (see the module's doc).
_looked_up_since_renewal = True


def _generation_cache():
    return caches[settings.PUBLIC_CACHE_GENERATION_ALIAS]


def current_generation() -> str:
    """The token pages are cached under now; created if it is missing (first run, evicted)."""
    global _looked_up_since_renewal
    _looked_up_since_renewal = True
    cache = _generation_cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        token = cache.get(GENERATION_KEY)
    if token is None:
        raise RuntimeError("the shared cache keeps no public-page generation")
    return token


def _renew() -> None:
    """A fresh random token, not a counter: two writers renewing at once can never bring back an
    old token (and with it the pages cached under it)."""
    global _looked_up_since_renewal
    _looked_up_since_renewal = False
    try:
        _generation_cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        logger.exception("The public page cache could not be invalidated.")


def invalidate_public_cache(using: str | None = None) -> None:
    """Make every cached public page stale: now, and again when the current transaction commits."""
    connection = connections[using or DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        _renew()
        return
    if _looked_up_since_renewal:
        _renew()
    if not any(entry[1] is _renew for entry in connection.run_on_commit):
        transaction.on_commit(_renew, using=connection.alias)


def our_app_labels() -> frozenset[str]:
    """The labels of the installed apps of this package (`mineralstrategi.…`), from the registry."""
    return frozenset(
        config.label for config in apps.get_app_configs() if config.name.startswith(OUR_PACKAGE)
    )


def shown_on_public_pages(model) -> bool:
    """False for a model that declares `shown_on_public_pages = False` (a person's own rows, such
    as notifications or sign-ups, which no public page reads), for its history model and for its
    many-to-many tables: their writes leave the public pages cached."""
    owner = getattr(model, "instance_type", None) or model._meta.auto_created or model
    return getattr(owner, "shown_on_public_pages", True)


@functools.cache
def public_tables() -> frozenset[str]:
    """The tables of our apps (history and many-to-many tables included) and OTHER_TABLES, less
    those of models not shown on public pages."""
    labels = our_app_labels()
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels and shown_on_public_pages(model)
    }
    return frozenset(tables | OTHER_TABLES)


def writes_public_table(sql: str) -> bool:
    match = _WRITE_SQL.match(sql)
    if match is None:
        return False
    table = match.group(1)
    if table == "auth_user":
        return not _LAST_LOGIN_ONLY.match(sql.lstrip())
    return table in public_tables() or sql.lstrip()[:8].upper() == "TRUNCATE"


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_public_table(sql):
        invalidate_public_cache(context["connection"].alias)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """connection_created: watch this connection's writes (once; the wrapper list outlives it).

    Inserted first so that Django's `connection.execute_wrapper()` blocks, which pop the last
    wrapper on exit, never remove it."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)
